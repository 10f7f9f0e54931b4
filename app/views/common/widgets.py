"""Small shared widgets: inline field errors, error boxes, password fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.errors import RelaisError, ValidationError
from app.views.common.keyboard import return_activates
from app.views.common.tasks import runner_of

T = TypeVar("T")

ERROR_STYLE = "color: #b00020;"
ERROR_PROPERTY = "relaisError"


def error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldErrors:
    """One error label under each field of a form, plus a general one for the rest."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}

    def add_row(
        self, form: QFormLayout, name: str, label: str, field: QWidget, *extra: QWidget
    ) -> QLabel:
        """Add ``field`` (and an error label under it) to ``form``."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        for widget in extra:
            layout.addWidget(widget)
        err = error_label(box)
        err.setObjectName(f"error_{name}")
        layout.addWidget(err)
        form.addRow(label, box)
        row_label = form.labelForField(box)
        if isinstance(row_label, QLabel):  # Alt+letter and screen readers reach the field
            row_label.setBuddy(field)
        if not field.accessibleName():
            field.setAccessibleName(label.replace("&", "").strip().rstrip(":*").strip())
        self.labels[name] = err
        self.fields[name] = field
        return err

    def alias(self, name: str, target: str) -> None:
        """Show errors for ``name`` under the field ``target``."""
        self.labels[name] = self.labels[target]
        self.fields[name] = self.fields[target]

    def clear(self) -> None:
        for label in {id(lb): lb for lb in self.labels.values()}.values():
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def show(self, errors: dict[str, str]) -> None:
        self.clear()
        rest: list[str] = []
        for name, message in errors.items():
            label = self.labels.get(name)
            if label is None:
                rest.append(message)
                continue
            label.setText(f"{label.text()}\n{message}" if label.text() else message)
            label.show()
        if rest:
            self.general.setText("\n".join(rest))
            self.general.show()
        self._grow()
        first = next((self.fields[n] for n in errors if n in self.fields), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _grow(self) -> None:
        """Make room for the messages (never shrink a window the user sized)."""
        top = self.general.window()
        if top is not None and top.isVisible():
            if top.layout() is not None:
                top.layout().activate()
            top.resize(top.size().expandedTo(top.sizeHint()))

    def messages(self) -> dict[str, str]:
        shown = {n: lb.text() for n, lb in self.labels.items() if lb.text()}
        if self.general.text():
            shown["_general"] = self.general.text()
        return shown

    def show_general(self, message: str) -> None:
        self.clear()
        self.general.setText(message)
        self.general.show()
        self._grow()

    def attempt(
        self, call: Callable[[], T], fields_shown: Callable[[dict[str, str]], object] | None = None
    ) -> T | None:
        """``call()``'s result (a record), or None after showing its French error: see
        :meth:`succeeds`."""
        result: list[T] = []
        self.succeeds(lambda: result.append(call()), fields_shown)
        return result[0] if result else None

    def attempt_on_runner(
        self,
        call: Callable[[], T],
        done: Callable[[T], object],
        *,
        busy: Iterable[QWidget] = (),
        fields_shown: Callable[[dict[str, str]], object] | None = None,
    ) -> None:
        """:meth:`attempt` with ``call()`` on the window's task runner (a password hashed with
        Argon2 takes a quarter of a second: not on the UI thread). ``busy`` widgets (the
        dialog's OK) are disabled meanwhile; ``done(result)`` runs on the UI thread once the
        call went through, its French error is shown otherwise. Without a runner, at once."""
        runner = runner_of(self.general)
        if runner is None:
            result: list[T] = []
            if self.succeeds(lambda: result.append(call()), fields_shown):
                done(result[0])
            return
        widgets = list(busy)
        for widget in widgets:
            widget.setEnabled(False)

        def settle() -> None:
            for widget in widgets:
                widget.setEnabled(True)

        def succeeded(value: T) -> None:
            settle()
            done(value)

        def failed(error: BaseException) -> None:
            settle()
            self.succeeds(lambda: _raise(error), fields_shown)

        runner.run(
            lambda _report: call(),
            success=succeeded,
            failure=failed,
            write=True,
            owner=self.general,
        )

    def succeeds(
        self,
        call: Callable[[], object],
        fields_shown: Callable[[dict[str, str]], object] | None = None,
    ) -> bool:
        """Whether ``call()`` went through; when refused, its French error is shown: the
        fields of a ``ValidationError`` under their fields (then ``fields_shown(fields)``,
        e.g. a password's strength bar), any other ``RelaisError`` as a general one."""
        try:
            call()
        except ValidationError as exc:
            self.show(exc.fields)
            if fields_shown is not None:
                fields_shown(exc.fields)
            return False
        except RelaisError as exc:
            self.show_general(exc.message)
            return False
        return True


def _raise(error: BaseException) -> None:
    raise error


def show_message(
    parent: QWidget | None,
    message: str,
    *,
    title: str | None = None,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A non-blocking (window-modal) message box; returned so callers and tests can close it."""
    box = QMessageBox(parent)
    box.setObjectName("relaisMessage")
    box.setIcon(icon)
    box.setWindowTitle(title or QCoreApplication.translate("Messages", "Relais"))
    box.setText(message)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def set_texts(widgets: Iterable[QLabel], text: str) -> None:
    for widget in widgets:
        widget.setText(text)


# A column sized to its content never grows past this (long messages are elided instead).
MAX_COLUMN_WIDTH = 360


def record_table(model: QAbstractItemModel, *, name: str = "", single: bool = True) -> QTableView:
    """A read-only list of records: whole rows selected (one, or several with
    ``single=False``), no editing, no row numbers.

    Keyboard: Tab, Shift+Tab and Ctrl+Tab leave the table; Return/Enter opens the current row
    like a double click (``keyboard.return_activates``). Columns are sized to their content (at
    most ``MAX_COLUMN_WIDTH``, long texts elided), the last one takes the remaining width;
    callers may still size particular columns."""
    table = QTableView()
    if name:
        table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setMaximumSectionSize(MAX_COLUMN_WIDTH)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return_activates(table)
    return table


def content_width(table: QTableView, column: int, cap: int | None = None) -> int:
    """What ``column`` needs: its contents or its title, whichever is wider, at most ``cap``
    (default: the header's maximum)."""
    header = table.horizontalHeader()
    need = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
    return min(need, header.maximumSectionSize() if cap is None else cap)


def fit_capped(table: QTableView, caps: Mapping[int, int]) -> None:
    """The columns of ``caps`` as wide as their content, each at most its cap (longer texts
    cut short): what ``ResizeToContents`` does, with a cap per column. The user may still
    widen them; call again when the rows change."""
    header = table.horizontalHeader()
    for column, cap in caps.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, content_width(table, column, cap))


def columns_width(table: QTableView, *, leaving_out: int = -1) -> int:
    """What ``table``'s shown columns need side by side (``content_width``), but for column
    ``leaving_out``. A last column that stretches is never narrower than the header's default
    section size."""
    header = table.horizontalHeader()
    shown = [c for c in range(header.count()) if not table.isColumnHidden(c)]
    widths = {c: content_width(table, c) for c in shown}
    if shown and header.stretchLastSection():
        widths[shown[-1]] = max(widths[shown[-1]], header.defaultSectionSize())
    return sum(width for c, width in widths.items() if c != leaving_out)
