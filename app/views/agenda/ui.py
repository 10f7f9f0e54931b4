"""Small building blocks shared by the agenda's views: the OK/Cancel row of a dialog
(``QDialogButtonBox``), tables that Tab leaves, columns sized to their content."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)


def button_box(
    dialog: QDialog,
    ok_text: str,
    on_ok: Callable[[], object],
    *,
    ok_name: str,
    cancel_text: str | None = None,
    cancel_name: str = "",
) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's button row: ``ok_text`` (default button, runs ``on_ok``) and a cancel
    button that rejects the dialog (``cancel_text``, « &Annuler » by default)."""
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    ok.setDefault(True)
    ok.clicked.connect(lambda _c=False: on_ok())
    cancel = box.addButton(
        cancel_text or QCoreApplication.translate("AgendaDialogs", "&Annuler"),
        QDialogButtonBox.ButtonRole.RejectRole,
    )
    if cancel_name:
        cancel.setObjectName(cancel_name)
    cancel.setAutoDefault(False)
    cancel.clicked.connect(dialog.reject)
    return box, ok


def keyboard_friendly(view: QAbstractItemView) -> QAbstractItemView:
    """Tab and Shift+Tab leave the view (arrow keys move inside it)."""
    view.setTabKeyNavigation(False)
    return view


def fit_columns(table: QTableView, stretch: int | None = None) -> QTableView:
    """Every column as wide as its content; ``stretch`` takes the space left."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)  # the space left goes to ``stretch`` alone
    else:
        header.setStretchLastSection(True)
    keyboard_friendly(table)
    return table


def focus_later(widget: QWidget | None) -> None:
    """Give ``widget`` the focus once the closing dialog has given it back."""
    from PySide6.QtCore import QTimer

    if widget is not None:
        QTimer.singleShot(0, widget, lambda: widget.setFocus())


def form_row(errors, form, name: str, label: str, field: QWidget, *extra: QWidget) -> None:
    """``FieldErrors.add_row`` whose label mnemonic (« &Urgence ») focuses the field itself."""
    errors.add_row(form, name, label, field, *extra)
    box = field.parentWidget()
    if box is not None:
        box.setFocusProxy(field)
