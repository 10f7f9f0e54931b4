"""Choosing a password: one's own (asked right after login when the account requires it, or
from « Mon compte »), or a colleague's temporary one (coordination, « Réinitialiser »).

Both show the strength bar as the user types; the services decide whether it is accepted."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.views.admin.account_form import temporary_password
from app.views.common.buttons import confirm_buttons
from app.views.common.password_strength import PasswordStrength
from app.views.common.widgets import FieldErrors, error_label, password_edit
from app.views.ports import AccountsPort


def _lay_out(
    dialog: QDialog,
    parts: tuple[QLabel, QFormLayout, QLabel],
    confirm: str,
    cancel: str,
    name: str,
) -> QPushButton:
    """The intro, the form, the general error, then ``cancel`` (rejects) and ``confirm``
    (saves, returned)."""
    buttons, ok, close = confirm_buttons(confirm, cancel, name=name)
    intro, form, general = parts
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(general)
    layout.addWidget(buttons)
    close.clicked.connect(dialog.reject)
    ok.clicked.connect(dialog.save)  # type: ignore[attr-defined]
    return ok


class ChangePasswordDialog(QDialog):
    def __init__(
        self, accounts: AccountsPort, actor: Actor, *, forced: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self._accounts = accounts
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
            else self.tr(
                "Choisissez un nouveau mot de passe (12 caractères au moins ; une phrase de "
                "passe est idéale)."
            )
        )
        intro.setWordWrap(True)
        self.old = password_edit()
        self.old.setObjectName("oldPassword")
        self.new = password_edit()
        self.new.setObjectName("newPassword")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirmPassword")
        context = accounts.password_context(actor)
        self.strength = PasswordStrength(self.new, lambda: context)
        general = error_label()
        self.errors = FieldErrors(general)
        form = QFormLayout()
        self.errors.add_row(form, "old_password", self.tr("Mot de passe actuel"), self.old)
        self.errors.add_row(
            form, "password", self.tr("Nouveau mot de passe"), self.new, self.strength
        )
        self.errors.add_row(form, "confirm", self.tr("Confirmation"), self.confirm)
        self.ok = _lay_out(
            self,
            (intro, form, general),
            self.tr("Enregistrer le mot de passe"),
            self.tr("Se déconnecter") if forced else self.tr("Annuler"),
            "savePasswordButton",
        )
        self.old.setFocus()

    def save(self) -> None:
        self.errors.clear()
        if self.new.text() != self.confirm.text():
            self.errors.show({"confirm": self.tr("Les deux mots de passe ne sont pas identiques.")})
            return
        if self.errors.succeeds(
            lambda: self._accounts.change_own_password(
                self._actor, self.old.text(), self.new.text()
            ),
            self.strength.errors_shown,
        ):
            self.accept()


class ResetPasswordDialog(QDialog):
    """Coordination: give a colleague a temporary password (to change at the next login).
    Emits ``reset_done(UserInfo)`` once saved; a refused password keeps the dialog open."""

    reset_done = Signal(object)

    def __init__(
        self, accounts: AccountsPort, actor: Actor, user: UserInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resetPasswordDialog")
        self._accounts = accounts
        self._actor = actor
        self._user = user
        self.setWindowTitle(self.tr("Réinitialiser le mot de passe"))
        self.setModal(True)
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Mot de passe provisoire pour {name} ({username}) ; il devra en choisir un "
                "nouveau à sa prochaine connexion :"
            ).format(name=user.display_name, username=user.username)
        )
        intro.setWordWrap(True)
        self.password = QLineEdit(temporary_password())
        self.password.setObjectName("resetPassword")
        regenerate = QPushButton(self.tr("Générer"))
        regenerate.setObjectName("regeneratePasswordButton")
        regenerate.setAutoDefault(False)
        regenerate.clicked.connect(lambda: self.password.setText(temporary_password()))
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.password, 1)
        row_layout.addWidget(regenerate)
        context = accounts.password_context(
            username=user.username, first_name=user.first_name, last_name=user.last_name
        )
        self.strength = PasswordStrength(self.password, lambda: context)
        general = error_label()
        self.errors = FieldErrors(general)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors.add_row(form, "password", self.tr("Mot de passe"), row, self.strength)
        self.errors.fields["password"] = self.password
        self.ok = _lay_out(
            self,
            (intro, form, general),
            self.tr("Réinitialiser"),
            self.tr("Annuler"),
            "confirmResetButton",
        )
        self.password.selectAll()
        self.password.setFocus()

    def save(self) -> None:
        self.errors.clear()
        user = self.errors.attempt(
            lambda: self._accounts.reset_password(self._actor, self._user.id, self.password.text()),
            self.strength.errors_shown,
        )
        if user is None:
            return
        self.accept()
        self.reset_done.emit(user)
