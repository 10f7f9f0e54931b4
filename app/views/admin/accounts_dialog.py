"""Accounts (coordination): list, create, disable/enable, reset a password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.views.admin.account_form import AccountFormDialog
from app.views.admin.accounts_model import AccountsModel
from app.views.common.buttons import DialogButtons
from app.views.common.responsive import flow_row
from app.views.common.widgets import error_label, record_table
from app.views.ports import AccountsPort
from app.views.shell.password_dialog import ResetPasswordDialog


class AccountsDialog(QDialog):
    def __init__(self, accounts: AccountsPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self._accounts = accounts
        self._actor = actor
        self.form: AccountFormDialog | None = None
        self.reset_dialog: ResetPasswordDialog | None = None
        self.setWindowTitle(self.tr("Comptes des utilisateurs"))
        self.resize(1100, 520)

        self.model = AccountsModel(self)
        self.table = record_table(self.model, name="accountsTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel()
        self.message.setObjectName("accountsMessage")
        self.message.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("accountsError")

        self.buttons_row = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(self.buttons_row)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def _build_buttons(self) -> QHBoxLayout:
        self.new_button = QPushButton(self.tr("&Nouveau compte…"))
        self.new_button.setObjectName("newAccountButton")
        self.toggle_button = QPushButton(self.tr("&Désactiver"))
        self.toggle_button.setObjectName("toggleAccountButton")
        self.reset_button = QPushButton(self.tr("&Réinitialiser le mot de passe…"))
        self.reset_button.setObjectName("resetPasswordButton")
        self.totp_button = QPushButton(self.tr("Retirer la double &authentification…"))
        self.totp_button.setObjectName("removeTotpButton")
        self.totp_button.setToolTip(
            self.tr(
                "Pour une personne qui a perdu son téléphone et ses codes de secours : elle "
                "enregistrera un nouveau téléphone à sa prochaine connexion."
            )
        )
        self.confirm_box: QMessageBox | None = None
        self.buttons = DialogButtons(self, close=True)
        for button in (self.new_button, self.toggle_button, self.reset_button, self.totp_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        # The account actions wrap onto a second row on a small screen (200 %).
        buttons.addWidget(
            flow_row(self.new_button, self.toggle_button, self.reset_button, self.totp_button), 1
        )
        buttons.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignBottom)

        self.new_button.clicked.connect(self.new_account)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.totp_button.clicked.connect(self.remove_second_factor)
        return buttons

    def reload(self, select_id: int | None = None) -> None:
        try:
            users = self._accounts.list_users(self._actor)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            users = []
        self.model.set_users(users)
        row = self.model.row_of(select_id) if select_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def select_username(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            user = self.model.user(row)
            if user is not None and user.username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        user = self.selected()
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.totp_button.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(
                self.tr("&Désactiver") if user.active else self.tr("&Réactiver")
            )

    def new_account(self) -> None:
        dialog = AccountFormDialog(self._accounts, self._actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = dialog
        dialog.created.connect(self._created)
        dialog.finished.connect(lambda _r: setattr(self, "form", None))
        dialog.open()

    def _created(self, user: UserInfo) -> None:
        self.reload(select_id=user.id)
        self.error.hide()
        self.message.setText(
            self.tr(
                "Compte « {username} » créé. Mot de passe provisoire à lui transmettre."
            ).format(username=user.username)
        )

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            updated = self._accounts.set_active(self._actor, user.id, not user.active)
        except RelaisError as exc:
            message = "\n".join(exc.fields.values()) if isinstance(exc, ValidationError) else ""
            self.error.setText(message or exc.message)
            self.error.show()
            return
        self.error.hide()
        self.message.setText(
            (
                self.tr("Compte « {u} » réactivé.")
                if updated.active
                else self.tr("Compte « {u} » désactivé : cette personne ne peut plus se connecter.")
            ).format(u=updated.username)
        )
        self.reload(select_id=updated.id)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(self._accounts, self._actor, user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reset_dialog = dialog
        dialog.reset_done.connect(self._password_reset)
        dialog.finished.connect(lambda _r: setattr(self, "reset_dialog", None))
        dialog.open()

    def _password_reset(self, user: UserInfo) -> None:
        self.error.hide()
        self.message.setText(
            self.tr("Mot de passe de « {u} » réinitialisé.").format(u=user.username)
        )
        self.reload(select_id=user.id)

    def remove_second_factor(self) -> None:
        user = self.selected()
        if user is None:
            return
        box = QMessageBox(self)
        box.setObjectName("removeTotpConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Retirer la double authentification"))
        box.setText(
            self.tr(
                "Retirer la double authentification de {name} ({username}) ? Vérifiez "
                "d'abord son identité (en personne ou par téléphone) : son ancien téléphone et "
                "ses codes de secours ne fonctionneront plus."
            ).format(name=user.display_name, username=user.username)
        )
        remove = box.addButton(self.tr("Retirer"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box

        def chosen(button) -> None:
            self.confirm_box = None
            if button is remove:
                self._do_remove_second_factor(user)

        box.buttonClicked.connect(chosen)
        box.open()

    def _do_remove_second_factor(self, user: UserInfo) -> None:
        try:
            self._accounts.remove_second_factor(self._actor, user.id)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        self.message.setText(
            self.tr(
                "Double authentification retirée pour « {u} » : un nouveau téléphone sera "
                "enregistré à sa prochaine connexion."
            ).format(u=user.username)
        )
