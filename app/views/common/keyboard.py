"""Keyboard helpers shared by every screen (issue 14): « Return opens the current row ».

A list that opens its row on a double click also opens it with Return/Enter:

* :func:`on_activate` wires a callback to both (``callback(index)``);
* :func:`return_activates` (``record_table`` calls it) makes Return/Enter on a view emit the
  view's ``doubleClicked`` for its current row, so every screen that already opens rows on a
  double click opens them from the keyboard too, with one handler.

Return is consumed only when something listens to ``doubleClicked``; otherwise it goes on to
the dialog's default button as before. Qt's own ``activated`` (which some styles emit on a
single click) is not used.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SIGNAL, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView

_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_DOUBLE_CLICKED = SIGNAL("doubleClicked(QModelIndex)")
_FILTER_NAME = "relaisReturnActivates"


class _ReturnActivates(QObject):
    """Event filter of one view: Return/Enter emits ``doubleClicked(current index)``."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QAbstractItemView):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in _RETURN_KEYS:
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        if watched.state() == QAbstractItemView.State.EditingState:
            return False
        index = watched.currentIndex()
        if not index.isValid() or watched.receivers(_DOUBLE_CLICKED) == 0:
            return False
        if watched.selectionModel() is not None and not watched.selectionModel().isSelected(index):
            # Return opens the row the user sees selected, not a stale current index.
            rows = watched.selectionModel().selectedRows()
            if len(rows) == 1:
                index = rows[0]
        watched.doubleClicked.emit(index)
        return True


def return_activates(view: QAbstractItemView) -> None:
    """Return/Enter on ``view`` emits ``doubleClicked`` for its current row (idempotent)."""
    if isinstance(view.findChild(QObject, _FILTER_NAME), _ReturnActivates):
        return
    keys = _ReturnActivates(view)
    keys.setObjectName(_FILTER_NAME)
    view.installEventFilter(keys)


def on_activate(view: QAbstractItemView, callback: Callable[[QModelIndex], object]) -> None:
    """Open a row with Return/Enter or a double click: ``callback(index)``, once per gesture."""
    return_activates(view)
    view.doubleClicked.connect(callback)
