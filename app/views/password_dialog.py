"""Change one's own password (asked right after login when the account requires it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.actor import Actor
from app.services.errors import RelaisError, ValidationError
from app.views.ports import AuthPort
from app.views.widgets import FieldErrors, error_label, password_edit


class ChangePasswordDialog(QDialog):
    def __init__(
        self, auth: AuthPort, actor: Actor, *, forced: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self._auth = auth
        self._actor = actor
        self.setWindowTitle(self.tr("Nouveau mot de passe"))
        self.setModal(True)
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Votre mot de passe est provisoire : choisissez-en un nouveau, connu de vous "
                "seul(e) (12 caractères au moins ; une phrase de passe est idéale)."
            )
            if forced
            else self.tr("Choisissez un nouveau mot de passe (12 caractères au moins).")
        )
        intro.setWordWrap(True)
        self.old = password_edit()
        self.old.setObjectName("oldPassword")
        self.new = password_edit()
        self.new.setObjectName("newPassword")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirmPassword")
        general = error_label()
        self.errors = FieldErrors(general)
        form = QFormLayout()
        self.errors.add_row(form, "old_password", self.tr("Mot de passe actuel"), self.old)
        self.errors.add_row(form, "password", self.tr("Nouveau mot de passe"), self.new)
        self.errors.add_row(form, "confirm", self.tr("Confirmation"), self.confirm)
        self.ok = QPushButton(self.tr("Enregistrer le mot de passe"))
        self.ok.setObjectName("savePasswordButton")
        self.ok.setDefault(True)
        cancel = QPushButton(self.tr("Se déconnecter") if forced else self.tr("Annuler"))
        cancel.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(general, 1)
        buttons.addStretch(1)  # buttons keep their size when no error shows
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)
        self.ok.clicked.connect(self.save)
        self.old.setFocus()

    def save(self) -> None:
        self.errors.clear()
        if self.new.text() != self.confirm.text():
            self.errors.show({"confirm": self.tr("Les deux mots de passe ne sont pas identiques.")})
            return
        try:
            self._auth.change_own_password(self._actor, self.old.text(), self.new.text())
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.accept()
