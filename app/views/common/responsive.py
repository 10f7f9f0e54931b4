"""Screens that hold on a small window (issue 14: 1366×768 at 200 % is 683×384 logical px).

One helper for every screen, no per-screen sizes:

* :class:`ResponsivePage`: a frameless scroll area around a screen's content. At a normal size
  it is invisible (the content fills it); when the window is smaller than the content's
  minimum, the content keeps its minimum and scrolls instead of being clipped or squeezed.
  Before scrolling sideways, it turns the splitters and rows marked with
  :func:`stack_when_narrow` vertical (the detail goes below the list, a group box below the
  other), and back when the width allows again.
* :func:`scrolled_content`: the same for a dialog: it lays its content out on the widget
  returned, which scrolls inside the dialog when the screen is smaller than the dialog;
* :class:`FlowLayout`: a row of buttons that wraps onto a second row when narrow (toolbars,
  the header's buttons), instead of imposing the width of the whole row.
* :func:`size_to_current_page`: a stack of pages (tabs, screens) as small as its current page,
  not as its largest hidden one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.views.common.widgets import columns_width

_STACK = "relaisStackWhenNarrow"  # a splitter that may turn vertical
_WIDE = "relaisWideMinimum"  # the content's minimum width when it was last side by side
_PANE = "relaisPaneHeight"  # a stacked pane's minimum height set for its wrapped labels
_POLICY = "relaisPagePolicy"  # a hidden page's own size policy, while it is set aside
_WIDENED = "relaisFirstPaneWidened"  # ``widen_first_pane`` was applied (once)


def widen_first_pane(
    splitter: QSplitter,
    tables: Iterable[QTableView],
    *,
    room: int = 0,
    leaving_out: int = -1,
    second_least: Callable[[], int] | None = None,
) -> None:
    """Once per splitter, when it is shown side by side and its tables have rows: give its
    first pane what its ``tables`` need to show their columns whole (but for ``leaving_out``,
    plus ``room``), taken from the second pane down to ``second_least()`` (by default its
    minimum; asked only when the pane is widened, not at every reload). A width the user
    gives the splitter afterwards stays. Call it after a reload (``QTimer.singleShot(0, …)``:
    once laid out)."""
    sizes = splitter.sizes()
    measured = [t for t in tables if t.model() is not None and t.model().rowCount()]
    if (
        splitter.property(_WIDENED)
        or not splitter.isVisible()
        or splitter.orientation() != Qt.Orientation.Horizontal
        or len(sizes) != 2
        or not measured
    ):
        return
    splitter.setProperty(_WIDENED, True)
    need = room + max(  # the columns, and the pane's frames, margins and scroll bar
        columns_width(t, leaving_out=leaving_out) + sizes[0] - t.viewport().width()
        for t in measured
    )
    least = second_least() if second_least else splitter.widget(1).minimumSizeHint().width()
    give = min(need - sizes[0], sizes[1] - least)
    if give > 0:
        splitter.setSizes([sizes[0] + give, sizes[1] - give])


def stack_when_narrow(item: QSplitter | QBoxLayout) -> QSplitter | QBoxLayout:
    """Let the page holding ``item`` (a splitter, or a row of group boxes) put its parts one
    below the other when the page is too narrow for them side by side (and side by side again
    when it is wide enough)."""
    item.setProperty(_STACK, True)
    if isinstance(item, QSplitter):
        item.setChildrenCollapsible(False)
    return item


def _side_by_side(item: QSplitter | QBoxLayout) -> bool:
    if isinstance(item, QSplitter):
        return item.orientation() == Qt.Orientation.Horizontal
    return item.direction() == QBoxLayout.Direction.LeftToRight


def _set_side_by_side(item: QSplitter | QBoxLayout, side_by_side: bool) -> None:
    if isinstance(item, QSplitter):
        item.setOrientation(Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical)
    else:
        item.setDirection(
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        )


def _own_width(item: QSplitter | QBoxLayout) -> int:
    return (
        item.minimumSizeHint().width()
        if isinstance(item, QSplitter)
        else item.minimumSize().width()
    )


def size_to_current_page(pages: QStackedWidget | QTabWidget) -> None:
    """Only the current page counts in the minimum size of ``pages``: the hidden ones get the
    « ignored » size policy (their minimum no longer counts) until they are shown again."""
    stack = pages if isinstance(pages, QStackedWidget) else _tab_stack(pages)

    def update(*_args: object) -> None:
        current = stack.currentWidget()
        for index in range(stack.count()):
            page = stack.widget(index)
            saved = page.property(_POLICY)
            if page is current:
                if saved is not None:
                    horizontal, vertical = saved
                    page.setSizePolicy(QSizePolicy.Policy(horizontal), QSizePolicy.Policy(vertical))
                    page.setProperty(_POLICY, None)
            elif saved is None:
                policy = page.sizePolicy()
                page.setProperty(
                    _POLICY, [policy.horizontalPolicy().value, policy.verticalPolicy().value]
                )
                page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        stack.updateGeometry()

    stack.currentChanged.connect(update)
    stack.widgetAdded.connect(update)
    update()


def _tab_stack(tabs: QTabWidget) -> QStackedWidget:
    return tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")


class ResponsivePage(QScrollArea):
    """A screen's content, scrolled only when the window is smaller than its minimum."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("responsivePage")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the content's widgets take the focus
        self.viewport().setAutoFillBackground(False)
        self._content = content
        holder = _Holder(self, content)
        self.setWidget(holder)
        holder.installEventFilter(self)
        self._adapting = False

    def minimumSizeHint(self) -> QSize:
        # Room for the scroll bars only: the content scrolls below its own minimum.
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) * 3
        return QSize(extent, extent)

    def sizeHint(self) -> QSize:
        return self._content.sizeHint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.adapt()
            # Qt's scroll area resizes its widget on its own resize only: a content whose
            # minimum changed (a page shown, a splitter stacked) is fitted again here.
            QTimer.singleShot(0, self, self._fit)
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        holder = self.widget()
        wanted = self.viewport().size().expandedTo(holder.minimumSizeHint())
        if holder.size() != wanted:
            self.setWidgetResizable(True)  # lays the widget out again at the viewport's size

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.adapt()

    def adapt(self) -> None:
        """Stack the marked splitters and rows while the content is wider than the page; put
        them side by side again when the page is as wide as the content was then."""
        content = self._content
        if self._adapting:
            return
        self._adapting = True
        try:
            width = self.viewport().width()
            marked = [
                item
                for kind in (QSplitter, QBoxLayout)
                for item in content.findChildren(kind)
                if item.property(_STACK)
            ]
            for item in marked:
                wide = item.property(_WIDE)
                if not _side_by_side(item) and wide and wide <= width:
                    _set_side_by_side(item, True)
                    item.setProperty(_WIDE, None)
            side_by_side = [item for item in marked if _side_by_side(item)]
            side_by_side.sort(key=_own_width, reverse=True)
            for item in marked:
                if isinstance(item, QSplitter):
                    _fit_panes(item)
            needed = _minimum_width(content)
            if side_by_side and needed > width:
                # One at a time: the next is stacked when the content asks again for its
                # layout (if still too wide), once Qt has taken this one into account.
                side_by_side[0].setProperty(_WIDE, needed)
                _set_side_by_side(side_by_side[0], False)
        finally:
            self._adapting = False


class _Holder(QWidget):
    """The scroll area's widget: holds the content at the size the area gives it.

    Given the content itself, Qt's scroll area takes the content's height-for-width (the
    preferred height of every table under a word-wrapped label) as its minimum height, and
    pages would scroll at any size. The holder tells the area the content's minimum height
    while the page fits, and its height for the width once the page scrolls anyway."""

    def __init__(self, page: ResponsivePage, content: QWidget) -> None:
        super().__init__()
        self._page = page
        self._content = content
        content.setParent(self)
        content.setGeometry(self.rect())  # (never « adjusted » to its own size when shown)

    def minimumSizeHint(self) -> QSize:
        content = self._content
        minimum = content.minimumSizeHint().expandedTo(content.minimumSize())
        viewport = self._page.viewport()
        width = max(viewport.width(), minimum.width())
        needed = _height_for_width(content, width)
        # Once the page scrolls (or would scroll two lines for them), the wrapped labels get
        # their lines; a page that fits is not made to scroll for its tables' preferences.
        slack = 2 * self.fontMetrics().lineSpacing()
        if minimum.height() > viewport.height() or needed <= viewport.height() + slack:
            minimum.setHeight(max(minimum.height(), needed))
        return minimum

    def sizeHint(self) -> QSize:
        return self._content.sizeHint()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._content.setGeometry(self.rect())


def _height_for_width(widget: QWidget, width: int) -> int:
    """The height ``widget`` needs at ``width`` (a stack: its current page's)."""
    if isinstance(widget, QStackedWidget):
        page = widget.currentWidget()
        return _height_for_width(page, width) if page is not None else 0
    layout = widget.layout()
    if layout is None or not layout.hasHeightForWidth():
        return widget.minimumSizeHint().height()
    return layout.totalMinimumHeightForWidth(width)


def scrolled_content(window: QWidget) -> QWidget:
    """A widget filling ``window`` inside a :class:`ResponsivePage`: ``window`` lays its
    content out on it (``QVBoxLayout(scrolled_content(self))``) and may then be smaller than
    that content's minimum size, which scrolls."""
    content = QWidget()
    content.setObjectName("scrolledContent")
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(ResponsivePage(content, window))
    return content


def _fit_panes(splitter: QSplitter) -> None:
    """A splitter ignores height-for-width: when stacked, each pane's minimum height is the
    one its word-wrapped labels need at its width (set back when side by side again)."""
    stacked = splitter.orientation() == Qt.Orientation.Vertical
    for index in range(splitter.count()):
        pane = splitter.widget(index)
        layout = pane.layout()
        if layout is None or not (layout.hasHeightForWidth() or pane.property(_PANE)):
            continue
        height = layout.totalMinimumHeightForWidth(pane.width()) if stacked else 0
        if stacked and height <= pane.minimumSizeHint().height():
            height = 0
        pane.setProperty(_PANE, bool(height))
        if pane.minimumHeight() != height:
            pane.setMinimumHeight(height)


def _minimum_width(content: QWidget) -> int:
    return content.minimumSizeHint().expandedTo(content.minimumSize()).width()


class FlowLayout(QLayout):
    """Widgets in a row, wrapping onto the next row when the width runs out (the classic Qt
    flow layout, with height-for-width; its minimum height is also that of its rows at the
    width last given, for the scroll pages). ``align_right`` packs each row to the right."""

    def __init__(self, parent: QWidget | None = None, *, align_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._align_right = align_right
        self._height = 0  # the rows' height at the width last given (scroll pages read it)
        self.setSpacing(6)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height = self._arrange(rect, apply=True)
        if height != self._height:  # more or fewer rows: counted in the minimum from now on
            self._height = height
            self.invalidate()

    def sizeHint(self) -> QSize:
        visible = self._visible()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in visible)
        width += self.spacing() * max(len(visible) - 1, 0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        size = size.grownBy(self.contentsMargins())
        return QSize(size.width(), max(size.height(), self._height))

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        spacing = self.spacing()
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._visible():
            hint = item.sizeHint().expandedTo(item.minimumSize())
            extra = hint.width() + (spacing if rows[-1] else 0)
            if rows[-1] and used + extra > area.width():
                rows.append([])
                used, extra = 0, hint.width()
            rows[-1].append((item, hint))
            used += extra
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(hint.height() for _item, hint in row)
            width = sum(hint.width() for _item, hint in row) + spacing * (len(row) - 1)
            x = area.x() + (max(area.width() - width, 0) if self._align_right else 0)
            for item, hint in row:
                if apply:
                    top = y + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), hint.boundedTo(area.size())))
                x += hint.width() + spacing
            y += height + spacing
        return max(y - spacing - area.y(), 0) + margins.top() + margins.bottom()


def flow_row(*widgets: QWidget | None, align_right: bool = False) -> QWidget:
    """A widget holding ``widgets`` in a :class:`FlowLayout` (``None`` is skipped)."""
    row = QWidget()
    row.setObjectName("flowRow")
    layout = FlowLayout(row, align_right=align_right)
    for widget in widgets:
        if widget is not None:
            layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    row.setSizePolicy(policy)
    return row
