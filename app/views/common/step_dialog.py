"""The one step dialog: a form with inline errors, then « Annuler » and a confirm button
(``ok``) in a ``QDialogButtonBox`` (platform order, Escape cancels, Return confirms)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.views.common.buttons import confirm_buttons
from app.views.common.widgets import FieldErrors, error_label


def ok_cancel(
    dialog: QDialog, confirm: str, cancel: str | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """A ``QDialogButtonBox`` with « Annuler » (rejects) and ``confirm`` (the default
    button, not connected: the caller validates then accepts)."""
    box, ok, _close = confirm_buttons(
        confirm, cancel or QCoreApplication.translate("StepDialog", "&Annuler")
    )
    box.rejected.connect(dialog.reject)
    return box, ok


def form_row(
    errors: FieldErrors, form: QFormLayout, name: str, label: str, field: QWidget
) -> QLabel:
    """``errors.add_row`` whose label's mnemonic (« &Motif ») focuses ``field`` itself."""
    err = errors.add_row(form, name, label, field)
    box = err.parentWidget()
    if box is not None:
        box.setFocusProxy(field)
    return err


class StepDialog(QDialog):
    """A form with inline errors and « Annuler » / a confirm button (``ok``)."""

    def __init__(self, title: str, confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.form = QFormLayout()
        self.buttons, self.ok = ok_cancel(self, confirm)
        self.ok.setObjectName("stepConfirm")
        self.column = QVBoxLayout(self)
        self.column.addLayout(self.form)
        self.column.addWidget(self.general_error)
        self.column.addWidget(self.buttons)
