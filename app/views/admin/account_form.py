"""Create an account (coordination): role → profession, RPPS for health professionals."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Role
from app.services.accounts.records import ROLE_PROFESSIONS, RPPS_PROFESSIONS, UserInput
from app.services.kernel.actor import Actor
from app.services.security.passwords import PasswordContext
from app.views.common.buttons import DialogButtons
from app.views.common.labels import profession_label, role_label
from app.views.common.password_strength import PasswordStrength, typed_context
from app.views.common.widgets import FieldErrors, error_label
from app.views.ports import AccountsPort

# Unambiguous characters (no 0/O, 1/l/I) for passwords read aloud or copied from a screen.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 14) -> str:
    return "-".join(
        "".join(secrets.choice(_ALPHABET) for _ in range(length // 3 + 1)) for _ in range(3)
    )


class AccountFormDialog(QDialog):
    created = Signal(object)

    def __init__(self, accounts: AccountsPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountFormDialog")
        self._accounts = accounts
        self._actor = actor
        self.setWindowTitle(self.tr("Nouveau compte"))
        self.setModal(True)
        self.setMinimumWidth(560)
        self._build_fields()
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        form = self._build_form()
        self.buttons = DialogButtons(
            self, self.tr("&Créer le compte"), ok_name="createAccountButton"
        )
        self.save_button = self.buttons.ok
        buttons = QHBoxLayout()
        buttons.addWidget(self.general, 1)
        buttons.addWidget(self.buttons)  # the buttons keep their size when no error shows
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.profession.currentIndexChanged.connect(self._profession_changed)
        self.save_button.clicked.connect(self.save)
        self._role_changed()

    # ---- building -----------------------------------------------------------------------
    def _build_fields(self) -> None:
        t = self.tr
        self.first_name = QLineEdit()
        self.first_name.setObjectName("first_name")
        self.last_name = QLineEdit()
        self.last_name.setObjectName("last_name")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(t("ex. : dr.durand (minuscules, sans accent)"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(role_label(role), role.value)
        self.profession = QComboBox()
        self.profession.setObjectName("profession")
        self.rpps = QLineEdit()
        self.rpps.setObjectName("rpps")
        self.rpps.setMaxLength(14)
        self.rpps_hint = QLabel()
        self.rpps_hint.setWordWrap(True)
        self.password = QLineEdit(temporary_password())
        self.password.setObjectName("password")
        regenerate = QPushButton(t("&Générer"))
        regenerate.setAutoDefault(False)
        regenerate.clicked.connect(lambda: self.password.setText(temporary_password()))
        self.password_row = QWidget()
        row = QHBoxLayout(self.password_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.password, 1)
        row.addWidget(regenerate)
        self.password_hint = QLabel(
            t("À transmettre à la personne : elle choisira son propre mot de passe à la connexion.")
        )
        self.password_hint.setWordWrap(True)
        # The clinic's name, read once; the person's names and username as they are typed.
        self._clinic_context = self._accounts.password_context()
        self.strength = PasswordStrength(self.password, self._password_context)
        for field in (self.first_name, self.last_name, self.username):
            field.textChanged.connect(self.strength.refresh)

    def _build_form(self) -> QFormLayout:
        t = self.tr
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.errors.add_row
        add(form, "first_name", t("Prénom"), self.first_name)
        add(form, "last_name", t("Nom"), self.last_name)
        add(form, "username", t("Identifiant"), self.username)
        add(form, "role", t("Rôle"), self.role)
        add(form, "profession", t("Profession"), self.profession)
        add(form, "rpps", t("N° RPPS"), self.rpps, self.rpps_hint)
        add(
            form,
            "password",
            t("Mot de passe provisoire"),
            self.password_row,
            self.strength,
            self.password_hint,
        )
        self.errors.fields["password"] = self.password
        return form

    def _password_context(self) -> PasswordContext:
        return typed_context(
            self.username, self.first_name, self.last_name, self._clinic_context.clinic_name
        )

    def select_role(self, role: Role) -> None:
        self.role.setCurrentIndex(self.role.findData(role.value))

    def _role_changed(self) -> None:
        role = Role(self.role.currentData())
        self.profession.clear()
        for profession in ROLE_PROFESSIONS[role]:
            self.profession.addItem(profession_label(profession), profession.value)
        self._profession_changed()

    def _profession_changed(self) -> None:
        value = self.profession.currentData()
        needed = value is not None and value in {p.value for p in RPPS_PROFESSIONS}
        self.rpps.setEnabled(needed)
        if needed:
            self.rpps_hint.setText(self.tr("Obligatoire : 11 chiffres (carte CPS)."))
        else:
            self.rpps.clear()
            self.rpps_hint.setText(self.tr("Sans objet pour cette profession."))

    def save(self) -> None:
        self.errors.clear()
        data = UserInput(
            username=self.username.text(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            role=Role(self.role.currentData()),
            profession=self.profession.currentData(),
            rpps=self.rpps.text(),
        )
        user = self.errors.attempt(
            lambda: self._accounts.create_user(self._actor, data, self.password.text()),
            self.strength.errors_shown,
        )
        if user is None:
            return
        self.accept()
        self.created.emit(user)
