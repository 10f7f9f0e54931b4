"""First run without demo mode: the clinic's details and the first coordination account."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Profession, Role
from app.services.errors import RelaisError, ValidationError
from app.services.records import ClinicInput, UserInput
from app.views.ports import ClinicPort
from app.views.widgets import FieldErrors, error_label, password_edit


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class SetupDialog(QDialog):
    """Emits ``completed(username)`` once the clinic and its coordinator are saved."""

    completed = Signal(str)

    def __init__(self, clinic: ClinicPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupDialog")
        self._clinic = clinic
        self.setWindowTitle(self.tr("Installation de Relais"))
        self.setMinimumWidth(640)
        t = self.tr

        intro = QLabel(
            t(
                "<b>Bienvenue dans Relais.</b> Cette base de données est vide. Renseignez la "
                "maison de santé et créez le premier compte de coordination.<br><br>Il "
                "n'existe <b>aucun compte par défaut</b> ni mot de passe par défaut : le compte "
                "que vous créez ici est le seul moyen d'entrer dans Relais. Il permettra ensuite "
                "de créer les comptes des autres professionnels."
            )
        )
        intro.setObjectName("setupIntro")
        intro.setWordWrap(True)

        self.general = error_label()
        self.general.setObjectName("setupError")
        self.errors = FieldErrors(self.general)
        add = self.errors.add_row

        self.clinic_name = _line("clinic_name", t("ex. : Maison de santé des Tilleuls"))
        self.address = _line("address", t("numéro, rue, code postal, ville"))
        self.finess = _line("finess", t("9 caractères (facultatif)"))
        self.phone = _line("phone")
        clinic_box = QGroupBox(t("La maison de santé"))
        clinic_form = QFormLayout(clinic_box)
        clinic_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add(clinic_form, "name", t("Nom *"), self.clinic_name)
        add(clinic_form, "address", t("Adresse"), self.address)
        add(clinic_form, "finess", t("N° FINESS"), self.finess)
        add(clinic_form, "phone", t("Téléphone"), self.phone)

        self.first_name = _line("first_name")
        self.last_name = _line("last_name")
        self.username = _line("username", t("ex. : coordination (minuscules, sans accent)"))
        self.password = password_edit(t("12 caractères au moins"))
        self.password.setObjectName("password")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirm")
        user_box = QGroupBox(t("Premier compte : coordination"))
        user_form = QFormLayout(user_box)
        user_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add(user_form, "first_name", t("Prénom *"), self.first_name)
        add(user_form, "last_name", t("Nom *"), self.last_name)
        add(user_form, "username", t("Identifiant *"), self.username)
        add(user_form, "password", t("Mot de passe *"), self.password)
        add(user_form, "confirm", t("Confirmation *"), self.confirm)

        self.save_button = QPushButton(t("Créer la maison de santé et le compte"))
        self.save_button.setObjectName("setupButton")
        self.save_button.setDefault(True)
        quit_button = QPushButton(t("Quitter"))
        quit_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general, 1)
        buttons.addStretch(1)  # buttons keep their size when no error shows
        buttons.addWidget(quit_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(clinic_box)
        layout.addWidget(user_box)
        layout.addLayout(buttons)

        quit_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.clinic_name.setFocus()

    def save(self) -> None:
        self.errors.clear()
        if self.password.text() != self.confirm.text():
            self.errors.show({"confirm": self.tr("Les deux mots de passe ne sont pas identiques.")})
            return
        clinic = ClinicInput(
            name=self.clinic_name.text(),
            address=self.address.text(),
            finess=self.finess.text(),
            phone=self.phone.text(),
        )
        user = UserInput(
            username=self.username.text(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            role=Role.COORDINATOR,
            profession=Profession.COORDINATOR,
        )
        try:
            result = self._clinic.setup(clinic, user, self.password.text())
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.result = result
        self.completed.emit(result.coordinator.username)  # the main window shows first
        self.accept()
