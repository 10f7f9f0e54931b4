"""First run without demo mode: the clinic's details and the first coordination account, then
the recovery key (shown once, printed) and, without an OS keyring, the audit key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput, SetupResult
from app.services.kernel.errors import RelaisError
from app.services.security.passwords import PasswordContext
from app.views.common.buttons import confirm_buttons
from app.views.common.forms import align_labels, form_box, line
from app.views.common.password_strength import PasswordStrength, typed_context
from app.views.common.pdf_view import PdfButtons
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import FieldErrors, error_label, password_edit
from app.views.ports import DocumentsPort
from app.views.shell.ports import ClinicPort


class SetupDialog(QDialog):
    """Emits ``completed(username)`` once the clinic and its coordinator are saved."""

    completed = Signal(str)

    def __init__(
        self,
        clinic: ClinicPort,
        documents: DocumentsPort | None = None,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupDialog")
        self.runner = runner  # the set-up (two Argon2 hashes) runs there when given
        self._clinic = clinic
        self._documents = documents
        self.setup_result: SetupResult | None = None
        self.recovery_page: RecoveryKeyPage | None = None
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

        clinic_box = self._build_clinic_box()
        user_box = self._build_user_box()
        align_labels(clinic_box.layout(), user_box.layout())  # one box below the other

        buttons, self.save_button, quit_button = confirm_buttons(
            t("Créer la maison de santé et le compte"), t("Quitter"), name="setupButton"
        )
        self.form_page = QWidget()
        form_layout = QVBoxLayout(self.form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(intro)
        form_layout.addWidget(clinic_box)
        form_layout.addWidget(user_box)
        form_layout.addWidget(self.general)
        form_layout.addWidget(buttons)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.form_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        quit_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.clinic_name.setFocus()

    def _build_clinic_box(self) -> QGroupBox:
        t, add = self.tr, self.errors.add_row
        self.clinic_name = line("clinic_name", t("ex. : Maison de santé des Tilleuls"))
        self.address = line("address", t("numéro, rue, code postal, ville"))
        self.finess = line("finess", t("9 caractères (facultatif)"))
        self.phone = line("phone")
        clinic_box, clinic_form = form_box(t("La maison de santé"))
        add(clinic_form, "name", t("Nom *"), self.clinic_name)
        add(clinic_form, "address", t("Adresse"), self.address)
        add(clinic_form, "finess", t("N° FINESS"), self.finess)
        add(clinic_form, "phone", t("Téléphone"), self.phone)
        return clinic_box

    def _build_user_box(self) -> QGroupBox:
        t, add = self.tr, self.errors.add_row
        self.first_name = line("first_name")
        self.last_name = line("last_name")
        self.username = line("username", t("ex. : coordination (minuscules, sans accent)"))
        self.password = password_edit(t("12 caractères au moins"))
        self.password.setObjectName("password")
        self.confirm = password_edit()
        self.confirm.setObjectName("confirm")
        self.strength = PasswordStrength(self.password, self._password_context)
        for field in (self.clinic_name, self.first_name, self.last_name, self.username):
            field.textChanged.connect(self.strength.refresh)
        user_box, user_form = form_box(t("Premier compte : coordination"))
        add(user_form, "first_name", t("Prénom *"), self.first_name)
        add(user_form, "last_name", t("Nom *"), self.last_name)
        add(user_form, "username", t("Identifiant *"), self.username)
        add(user_form, "password", t("Mot de passe *"), self.password, self.strength)
        add(user_form, "confirm", t("Confirmation *"), self.confirm)
        return user_box

    def _password_context(self) -> PasswordContext:
        return typed_context(
            self.username, self.first_name, self.last_name, self.clinic_name.text()
        )

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
        service, password = self._clinic, self.password.text()
        self.errors.attempt_on_runner(
            lambda: service.setup(clinic, user, password),
            self._set_up,
            busy=(self.save_button,),
            fields_shown=self.strength.errors_shown,
        )

    def _set_up(self, result: SetupResult) -> None:
        self.setup_result = result
        self.password.clear()
        self.confirm.clear()
        self.show_recovery(result)

    def show_recovery(self, result: SetupResult) -> None:
        """Second page: the recovery key, shown once; continuing needs the tick."""
        page = RecoveryKeyPage(result, self._documents, self)
        page.continued.connect(self._finish)
        self.recovery_page = page
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self.setWindowTitle(self.tr("Installation de Relais — clé de secours"))
        page.confirm.setFocus(Qt.FocusReason.OtherFocusReason)

    def _finish(self) -> None:
        assert self.setup_result is not None
        username = self.setup_result.coordinator.username
        if self.recovery_page is not None:
            self.recovery_page.forget()
        self.completed.emit(username)  # the main window shows first
        self.accept()

    def reject(self) -> None:
        if self.setup_result is not None:
            return  # set up: the recovery key must be acknowledged before leaving
        super().reject()


class RecoveryKeyPage(QWidget):
    """The recovery key (and the audit key when no keyring could keep it)."""

    continued = Signal()

    def __init__(
        self,
        result: SetupResult,
        documents: DocumentsPort | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyPage")
        self._result = result
        self._documents = documents
        self._recovery_key = result.recovery_key
        self.error = error_label()
        self.error.setObjectName("recoveryError")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in self._build_key(result.recovery_key):
            layout.addWidget(widget)
        self.pdf_buttons.setVisible(documents is not None)  # once it has a parent
        self.audit_label: QLabel | None = None
        if result.audit_key:
            layout.addWidget(self._audit_box(result.audit_key))
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addLayout(self._build_confirmation())

    def _build_key(self, recovery_key: str) -> list[QWidget]:
        """The title, why the key matters, the key itself and its PDF buttons."""
        t = self.tr
        title = QLabel(t("Clé de secours de la maison de santé"))
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        explain = QLabel(
            t(
                "Les notes médicales, sociales et de liaison sont chiffrées : seuls les "
                "professionnels habilités peuvent les lire, avec leur mot de passe.<br><br>"
                "<b>Si tous les titulaires d'un volet perdent leur mot de passe, seule cette clé "
                "de secours permet de retrouver leurs notes. Sans elle, personne ne pourra les "
                "récupérer — ni la coordination, ni l'éditeur de Relais.</b><br><br>"
                "Elle n'est affichée qu'une seule fois et n'est enregistrée nulle part sur cet "
                "ordinateur. Imprimez-la (ou notez-la) et rangez-la hors ligne, sous clé, par "
                "exemple dans le coffre de la maison de santé."
            )
        )
        explain.setObjectName("recoveryExplanation")
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet(
            "font-family: monospace; font-size: 13pt; font-weight: 600; padding: 10px;"
            "border: 2px solid #b00020; background: #fff8e1;"
        )
        self.pdf_buttons = PdfButtons(
            self._sheet,
            t("Clé de secours Relais"),
            t("cle-de-secours-relais.pdf"),
        )
        return [title, explain, self.key_label, self.pdf_buttons]

    def _build_confirmation(self) -> QHBoxLayout:
        """The tick « J'ai imprimé ou noté… » and « Continuer », enabled by the tick."""
        t = self.tr
        self.confirm = QCheckBox(
            t("J'ai imprimé ou noté la clé de secours et je la garde hors ligne")
        )
        self.confirm.setObjectName("recoveryConfirm")
        self.continue_button = QPushButton(t("Continuer"))
        self.continue_button.setObjectName("recoveryContinue")
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.confirm, 1)
        bottom.addWidget(self.continue_button)
        self.confirm.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)
        return bottom

    def _audit_box(self, audit_key: str) -> QGroupBox:
        """The audit key, when this workstation has no keyring to keep it."""
        t = self.tr
        audit_box = QGroupBox(t("Clé d'audit (aucun trousseau sécurisé sur ce poste)"))
        audit_box.setObjectName("auditKeyBox")
        audit_layout = QVBoxLayout(audit_box)
        audit_explain = QLabel(
            t(
                "Cet ordinateur n'a pas de trousseau sécurisé (gestionnaire de mots de passe "
                "du système) où Relais pourrait garder la clé qui scelle le journal "
                "d'audit. Notez-la aussi : elle doit être donnée à Relais à chaque démarrage "
                "par la variable d'environnement <b>RELAIS_AUDIT_KEY</b> (votre "
                "informaticien peut s'en charger). Sans elle, le journal est écrit sans "
                "scellement."
            )
        )
        audit_explain.setWordWrap(True)
        self.audit_label = QLabel(audit_key)
        self.audit_label.setObjectName("auditKey")
        self.audit_label.setWordWrap(True)
        self.audit_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.audit_label.setStyleSheet("font-family: monospace; font-weight: 600;")
        audit_layout.addWidget(audit_explain)
        audit_layout.addWidget(self.audit_label)
        return audit_box

    def _sheet(self) -> bytes | None:
        if self._documents is None or self._result is None:
            return None
        try:
            return self._documents.recovery_key_sheet(self._result.clinic, self._recovery_key)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return None

    def _continue(self) -> None:
        if self.confirm.isChecked():
            self.continued.emit()

    def forget(self) -> None:
        """Take the keys off the screen and out of this page once acknowledged."""
        self.key_label.clear()
        if self.audit_label is not None:
            self.audit_label.clear()
        self._recovery_key = ""
