"""The row of dialog buttons: a ``QDialogButtonBox`` with French texts and mnemonics.

``DialogButtons(dialog, self.tr("&Enregistrer"))`` gives « Annuler » (Échap, rejects the
dialog) and the confirm button (``ok``, the default button: Return). The confirm button is
not wired: the dialog connects it to its own "validate, then accept". ``close=True`` gives a
single « Fermer » that closes the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget


def cancel_text() -> str:
    return QCoreApplication.translate("DialogButtons", "&Annuler")


def close_text() -> str:
    return QCoreApplication.translate("DialogButtons", "&Fermer")


def confirm_buttons(
    confirm: str, cancel: str, *, name: str = ""
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """A ``QDialogButtonBox`` (platform order) with ``confirm`` (the default button, named
    ``name``) and ``cancel``; neither is connected: the caller wires both."""
    box = QDialogButtonBox()
    ok = box.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
    if name:
        ok.setObjectName(name)
    ok.setDefault(True)
    close = box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    close.setAutoDefault(False)
    return box, ok, close


class DialogButtons(QDialogButtonBox):
    """« Annuler » and a confirm button, or « Fermer » alone."""

    def __init__(
        self,
        dialog: QDialog,
        ok_text: str | None = None,
        *,
        ok_name: str = "",
        cancel: bool = True,
        close: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialogButtons")
        self.ok: QPushButton | None = None
        self.cancel: QPushButton | None = None
        self.close_button: QPushButton | None = None
        if ok_text is not None:
            self.ok = self.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
            self.ok.setObjectName(ok_name or "okButton")
            self.ok.setDefault(True)
        if close:
            self.close_button = self.addButton(close_text(), QDialogButtonBox.ButtonRole.RejectRole)
            self.close_button.setObjectName("closeButton")
            self.close_button.setAutoDefault(False)
        elif cancel:
            self.cancel = self.addButton(cancel_text(), QDialogButtonBox.ButtonRole.RejectRole)
            self.cancel.setObjectName("cancelButton")
            self.cancel.setAutoDefault(False)
        self.rejected.connect(dialog.reject)
