"""Keyboard and screen-reader rules applied once for the whole application (issue 14).

:func:`install_accessibility` puts one event filter on the ``QApplication``. Screens do not
call anything: whenever a widget is polished or shown, the rules below apply to it.

When a widget is polished:

* text editors (``QPlainTextEdit``, ``QTextEdit``) let Tab move the focus on
  (``setTabChangesFocus``): Tab never types a tab character;
* item views (tables, lists, trees) let Tab, Shift+Tab and Ctrl+Tab leave them
  (``setTabKeyNavigation(False)``).

When a window (or a part of it, such as a page of a stack) is shown:

* a label placed right before an input in the same row, or the label of a form row, becomes
  that input's buddy; a buddy that cannot take the focus (a box holding the field and its
  error) is replaced by the first input inside it;
* every input without an accessible name gets its label's text (mnemonic « & » and the final
  colon removed), else its placeholder, else its tooltip; a button showing only an icon gets
  its tooltip;
* buttons, check boxes, radio buttons and labels with a buddy get a mnemonic (Alt+letter)
  when they have none, chosen among the letters of their French text so that no two visible
  widgets of the window share one. Standard buttons of a ``QDialogButtonBox`` keep Qt's own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives on QtGui's Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

INPUT_TYPES: tuple[type[QWidget], ...] = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QCheckBox,
    QRadioButton,
)
_FILTER_NAME = "relaisAccessibility"


# ---- text helpers -----------------------------------------------------------------------
def strip_mnemonic(text: str) -> str:
    """« &Nom » -> « Nom »; « A && B » -> « A & B »."""
    return re.sub(r"&(.)", r"\1", text, flags=re.DOTALL)


def mnemonic_of(text: str) -> str | None:
    """The (lower-case) mnemonic letter of ``text``, if it has one."""
    index = 0
    while True:
        index = text.find("&", index)
        if index < 0 or index + 1 >= len(text):
            return None
        following = text[index + 1]
        if following == "&":
            index += 2
            continue
        return following.lower() if not following.isspace() else None


def label_name(text: str) -> str:
    """The accessible name a label gives its buddy: no mnemonic, no final colon or star."""
    name = strip_mnemonic(text)
    name = re.sub(r"<[^>]+>", "", name) if GuiQt.mightBeRichText(name) else name
    return name.strip().rstrip(":*").strip()


def _word_starts(text: str) -> Iterator[int]:
    """Positions to try for a mnemonic: first letters of long words, of short words, then any
    letter (ASCII letters only: Alt+é is no shortcut on most keyboards)."""
    words = list(re.finditer(r"[^\W\d_]+", text))
    seen: set[int] = set()
    for long_first in (True, False):
        for word in words:
            if (len(word.group()) >= 3) == long_first:
                seen.add(word.start())
                yield word.start()
    for position in range(len(text)):
        if position not in seen:
            yield position


def with_mnemonic(text: str, taken: set[str]) -> tuple[str, str] | None:
    """``text`` with « & » before a letter not in ``taken`` (and that letter), or None."""
    if not text or "&" in text:
        return None
    for position in _word_starts(text):
        char = text[position]
        if char.isascii() and char.isalpha() and char.lower() not in taken:
            return text[:position] + "&" + text[position:], char.lower()
    return None


# ---- per-widget rules (polish) ------------------------------------------------------------
def polish_widget(widget: QWidget) -> None:
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.setTabChangesFocus(True)
    elif isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)


# ---- names --------------------------------------------------------------------------------
def is_input(widget: QWidget) -> bool:
    """An input a person fills in (the line edit inside a combo or spin box is part of it;
    a read-only text view is something to read, not an input)."""
    if not isinstance(widget, INPUT_TYPES):
        return False
    if isinstance(widget, QPlainTextEdit | QTextEdit) and widget.isReadOnly():
        return False
    parent = widget.parentWidget()
    return not (isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox))


def _nameable(widget: QWidget | None) -> bool:
    """An input, or a text view (named like one, although nobody types into it)."""
    return widget is not None and (
        is_input(widget) or isinstance(widget, QPlainTextEdit | QTextEdit)
    )


def _focus_target(widget: QWidget) -> QWidget | None:
    """``widget`` if it takes the focus, else its focus proxy or first input inside it."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and is_input(widget):
        return widget
    if widget.focusProxy() is not None:
        return widget.focusProxy()
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
        return widget
    for child in widget.findChildren(QWidget):
        if is_input(child) and child.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return child
    return None


# Layouts are read through the widgets they hold (``indexOf``, ``getWidgetPosition``), never
# through ``itemAt``: PySide may keep the wrapper of a layout item after Qt deleted the item,
# and hand it out later for another object at the same address.
def _placed(layout: QLayout) -> list[tuple[int, QWidget]]:
    """The widgets ``layout`` holds itself, in its order."""
    parent = layout.parentWidget()
    if parent is None:
        return []
    placed = []
    for child in parent.children():
        if isinstance(child, QWidget) and not child.isWindow():
            index = layout.indexOf(child)
            if index >= 0:
                placed.append((index, child))
    return sorted(placed, key=lambda pair: pair[0])


def shown_widgets(root: QWidget) -> list[QWidget]:
    """``root`` and the widgets under it one can see now, in the window of ``root``: hidden
    pages and other windows are skipped (they get their turn when they are shown)."""
    found = [root]
    index = 0
    while index < len(found):
        for child in found[index].children():
            if isinstance(child, QWidget) and not child.isWindow() and child.isVisible():
                found.append(child)
        index += 1
    return found


def _pair_labels(widgets: list[QWidget]) -> None:
    """Give a buddy to labels that sit before their input (form rows, « Du : [date] »)."""
    layouts: list[QLayout] = []
    for widget in widgets:
        top = widget.layout()
        if top is not None:
            layouts.append(top)
            layouts.extend(top.findChildren(QLayout))
    for layout in layouts:
        if isinstance(layout, QFormLayout):
            _pair_form(layout)
        elif isinstance(layout, QBoxLayout):
            placed = _placed(layout)
            for (i, before), (j, after) in itertools.pairwise(placed):
                if j == i + 1:
                    _pair(before, after)
        elif isinstance(layout, QGridLayout):
            cells: dict[tuple[int, int], QWidget] = {}
            spans: dict[int, tuple[int, int, int]] = {}
            for index, widget in _placed(layout):
                row, column, _rows, columns = layout.getItemPosition(index)
                cells[(row, column)] = widget
                spans[id(widget)] = (row, column, columns)
            for widget in list(cells.values()):
                if not isinstance(widget, QLabel):
                    continue
                row, column, columns = spans[id(widget)]
                for cell in ((row, column + columns), (row + 1, column)):
                    if _pair(widget, cells.get(cell)):
                        break


def _pair_form(form: QFormLayout) -> None:
    labels: dict[int, QLabel] = {}
    fields: dict[int, QWidget] = {}
    for _index, widget in _placed(form):
        row, role = form.getWidgetPosition(widget)
        if role == QFormLayout.ItemRole.LabelRole and isinstance(widget, QLabel):
            labels[row] = widget
        elif role == QFormLayout.ItemRole.FieldRole:
            fields[row] = widget
    for inner in form.findChildren(QLayout, options=Qt.FindChildOption.FindDirectChildrenOnly):
        row, role = form.getLayoutPosition(inner)
        if role == QFormLayout.ItemRole.FieldRole and row not in fields:
            inputs = [w for _i, w in _placed(inner) if is_input(w)]
            if inputs:
                fields[row] = inputs[0]
    for row, label in labels.items():
        field = fields.get(row)
        target = _focus_target(field) if field is not None else None
        if label.buddy() is None and target is not None:
            label.setBuddy(target)


def _pair(before: QWidget | None, after: QWidget | None) -> bool:
    """A short label right before an input becomes its buddy; a check box right before an
    input (« jusqu'au [date] ») names it."""
    if not _nameable(after) or isinstance(after, QCheckBox | QRadioButton):
        return False
    assert after is not None
    if isinstance(before, QLabel) and before.buddy() is None:
        if 0 < len(label_name(before.text())) <= 60:
            before.setBuddy(after)
            return True
    elif isinstance(before, QCheckBox | QRadioButton) and before.text():
        if not after.accessibleName():
            after.setAccessibleName(label_name(before.text()))
        return True
    return False


def _group_title(widget: QWidget) -> str:
    """The title of the group box around ``widget`` when it is the box's only input."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QGroupBox):
            inputs = [w for w in parent.findChildren(QWidget) if is_input(w)]
            return parent.title() if inputs == [widget] else ""
        parent = parent.parentWidget()
    return ""


def name_inputs(root: QWidget) -> None:
    """Buddies and accessible names for the shown inputs and icon buttons under ``root``."""
    widgets = shown_widgets(root)
    _pair_labels(widgets)
    for label in widgets:
        if not isinstance(label, QLabel):
            continue
        buddy = label.buddy()
        if buddy is None:
            continue
        target = _focus_target(buddy)
        if target is not None and target is not buddy:
            label.setBuddy(target)
            buddy = target
        name = label_name(label.text())
        if name and not buddy.accessibleName():
            buddy.setAccessibleName(name)
    for widget in widgets:
        if _nameable(widget) and not widget.accessibleName():
            if isinstance(widget, QCheckBox | QRadioButton) and widget.text():
                widget.setAccessibleName(strip_mnemonic(widget.text()))
                continue
            placeholder = getattr(widget, "placeholderText", None)
            text = placeholder() if callable(placeholder) else ""
            if not text and isinstance(widget, QComboBox) and widget.lineEdit() is not None:
                text = widget.lineEdit().placeholderText()
            text = text or widget.toolTip() or _group_title(widget)
            if text:
                widget.setAccessibleName(label_name(text))
        elif (
            isinstance(widget, QAbstractButton)
            and not widget.text()
            and not widget.accessibleName()
            and widget.toolTip()
        ):
            widget.setAccessibleName(label_name(widget.toolTip()))


# ---- mnemonics ------------------------------------------------------------------------------
def _is_standard_button(button: QAbstractButton) -> bool:
    parent = button.parentWidget()
    return (
        isinstance(parent, QDialogButtonBox)
        and parent.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
    )


def _plain(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.PlainText:
        return True
    return fmt != Qt.TextFormat.RichText and not GuiQt.mightBeRichText(label.text())


def _mnemonic_candidate(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        return widget.buddy() is not None and _plain(widget) and bool(widget.text().strip())
    if isinstance(widget, QToolButton):
        return (
            widget.defaultAction() is None
            and widget.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly
            and bool(widget.text().strip())
        )
    if isinstance(widget, QPushButton | QCheckBox | QRadioButton):
        return bool(widget.text().strip()) and not _is_standard_button(widget)
    return False


def _taken_letters(widgets: Iterable[QWidget]) -> set[str]:
    taken: set[str] = set()
    for widget in widgets:
        texts: list[str] = []
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QMenuBar):
            texts.extend(action.text() for action in widget.actions())
        for text in texts:
            letter = mnemonic_of(text)
            if letter:
                taken.add(letter)
    return taken


def assign_mnemonics(window: QWidget) -> None:
    """A free Alt+letter for each visible button and labelled input of ``window``."""
    visible = shown_widgets(window)[1:]
    taken = _taken_letters(visible)
    for widget in visible:
        if not _mnemonic_candidate(widget):
            continue
        text = widget.text()
        if mnemonic_of(text) is not None or "&" in text:
            continue
        chosen = with_mnemonic(text, taken)
        if chosen is None:
            continue
        new_text, letter = chosen
        taken.add(letter)
        widget.setText(new_text)


def apply(window: QWidget) -> None:
    """Every rule, now, on ``window`` and what it shows (the filter calls it on show)."""
    for widget in shown_widgets(window):
        polish_widget(widget)
    name_inputs(window)
    assign_mnemonics(window.window())


# ---- the application-wide filter ----------------------------------------------------------
class AccessibilityFilter(QObject):
    """Applies the rules to every widget the application polishes or shows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish:
            if isinstance(watched, QWidget):
                polish_widget(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow():
                self._pending = [w for w in self._pending if w is not watched]
                apply(watched)
            else:
                self._later(watched.window())
        return False

    def _later(self, window: QWidget) -> None:
        if any(w is window for w in self._pending):
            return
        if not self._pending:
            QTimer.singleShot(0, self._flush)
        self._pending.append(window)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for window in pending:
            if shiboken6.isValid(window) and window.isVisible():
                apply(window)


def install_accessibility(app: QApplication) -> AccessibilityFilter:
    """Install the rules on ``app`` (once; later calls return the installed filter)."""
    existing = app.findChild(QObject, _FILTER_NAME)
    if isinstance(existing, AccessibilityFilter):
        return existing
    rules = AccessibilityFilter(app)
    rules.setObjectName(_FILTER_NAME)
    app.installEventFilter(rules)
    return rules


def uninstall_accessibility(app: QApplication) -> None:
    existing = app.findChild(QObject, _FILTER_NAME)
    if isinstance(existing, AccessibilityFilter):
        app.removeEventFilter(existing)
        existing.deleteLater()
        existing.setParent(None)
