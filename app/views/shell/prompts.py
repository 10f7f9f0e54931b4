"""The main window's questions to the user before ending a session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.views.common.widgets import show_message


def confirm_logout(parent: QWidget, proceed: Callable[[], None]) -> QMessageBox:
    """« Se déconnecter » with unsaved notes: ``proceed`` only if the user gives them up."""
    box = QMessageBox(parent)
    box.setObjectName("logoutConfirm")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "Se déconnecter"))
    box.setText(
        QCoreApplication.translate(
            "MainWindow",
            "Vous avez des notes non enregistrées. Si vous vous déconnectez, elles seront perdues.",
        )
    )
    discard = box.addButton(
        QCoreApplication.translate("MainWindow", "Se déconnecter sans enregistrer"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.addButton(
        QCoreApplication.translate("MainWindow", "Revenir aux notes"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: proceed() if button is discard else None)
    box.open()
    return box


def session_expired(parent: QWidget, name: str, text: str, drafts: bool) -> QMessageBox:
    """The session's absolute lifetime is over (its owner logs in again)."""
    if drafts:
        text += "\n\n" + QCoreApplication.translate(
            "MainWindow", "Les notes non enregistrées de cette session n'ont pas pu être gardées."
        )
    box = show_message(
        parent,
        QCoreApplication.translate("MainWindow", "{name} : {message}").format(
            name=name, message=text
        ),
        title=QCoreApplication.translate("MainWindow", "Session expirée"),
    )
    box.setObjectName("sessionExpired")
    return box
