"""Create or edit a patient's identity (INS traits), contact, médecin traitant, référent social."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import IdentityDocument, IdentityStatus, Role, Sex
from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.patient_file.records import DuplicateWarning, PatientInput, PatientRecord
from app.views.common.buttons import DialogButtons
from app.views.common.conflict_dialog import ConflictChoice, ConflictDialog
from app.views.common.forms import line
from app.views.common.labels import date_fr, document_label, sex_label, status_label
from app.views.common.responsive import scrolled_content, stack_when_narrow
from app.views.common.widgets import FieldErrors, error_label
from app.views.patient_file.duplicate_dialog import DuplicateDialog
from app.views.patient_file.form_ports import IdentityPorts

OTHER_GP = -1

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class IdentityDialog(QDialog):
    """Emits ``saved(record)``, or ``open_existing(patient_id)`` from the duplicate warning."""

    saved = Signal(object)
    open_existing = Signal(int)

    def __init__(
        self,
        ports: IdentityPorts | ServicesPort,
        actor: Actor,
        record: PatientRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        ports = IdentityPorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self._ports = ports
        self._actor = actor
        self._record = record
        self.duplicate_dialog: DuplicateDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle(
            self.tr("Nouveau patient") if record is None else self.tr("Modifier l'identité")
        )
        self.setModal(True)
        self.resize(940, 560)

        self.general_error = error_label()
        self.general_error.setObjectName("generalError")
        self.errors = FieldErrors(self.general_error)
        self._build_fields()
        self._layout(self._build_identity(), self._build_contact())
        self.save_button.clicked.connect(lambda: self.save())
        self.attending_gp.currentIndexChanged.connect(self._gp_changed)
        if record is not None:
            self.fill(record.as_input())
        self._gp_changed()
        self.birth_name.setFocus()

    # ---- building -----------------------------------------------------------------------
    def _build_fields(self) -> None:
        t = self.tr
        self.birth_name = line("birth_name", t("tel qu'à l'état civil"), 100)
        self.used_name = line("used_name", t("facultatif (ex. : nom d'épouse)"), 100)
        self.first_names = line("first_names", t("tous les prénoms, dans l'ordre"), 200)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem(t("— choisir —"), "")
        for sex in Sex:
            self.sex.addItem(f"{sex.value} — {sex_label(sex)}", sex.value)
        self.birth_date = line("birth_date", t("jj/mm/aaaa"), 10)
        self.birth_place_code = line("birth_place_code", t("ex. : 76540 ; 99xxx à l'étranger"), 5)
        self.identity_status = QComboBox()
        self.identity_status.setObjectName("identity_status")
        for status in IdentityStatus:
            self.identity_status.addItem(status_label(status), status.value)
        self.identity_document = QComboBox()
        self.identity_document.setObjectName("identity_document")
        self.identity_document.addItem(t("— aucune —"), "")
        for document in IdentityDocument:
            self.identity_document.addItem(document_label(document), document.value)
        self.nir = line("nir", t("15 caractères, clé comprise"), 21)
        self.phone = line("phone", "", 30)
        self.email = line("email", "", 200)
        self.address = line("address", t("numéro et rue"), 300)
        self.postal_code = line("postal_code", "", 10)
        self.city = line("city", "", 100)
        self.attending_gp = QComboBox()
        self.attending_gp.setObjectName("attending_gp")
        self.attending_gp_other = line("attending_gp_other", t("Dr Nom, ville"), 200)
        self.social_referent = QComboBox()
        self.social_referent.setObjectName("social_referent")
        self._fill_professionals()

    def _build_identity(self) -> QGroupBox:
        t = self.tr
        add = self.errors.add_row
        identity = QGroupBox(t("Identité (traits INS)"))
        form = QFormLayout(identity)
        add = self.errors.add_row
        add(form, "birth_name", t("Nom de naissance *"), self.birth_name)
        add(form, "used_name", t("Nom d'usage"), self.used_name)
        add(form, "first_names", t("Prénom(s) *"), self.first_names)
        add(form, "sex", t("Sexe *"), self.sex)
        add(form, "birth_date", t("Date de naissance *"), self.birth_date)
        add(form, "birth_place_code", t("Lieu de naissance (INSEE)"), self.birth_place_code)
        add(form, "identity_status", t("Statut de l'identité"), self.identity_status)
        add(form, "identity_document", t("Pièce d'identité"), self.identity_document)
        add(form, "nir", t("NIR"), self.nir)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return identity

    def _build_contact(self) -> QGroupBox:
        t = self.tr
        add = self.errors.add_row
        contact = QGroupBox(t("Coordonnées et suivi"))
        form2 = QFormLayout(contact)
        add(form2, "phone", t("Téléphone"), self.phone)
        add(form2, "email", t("E-mail"), self.email)
        add(form2, "address", t("Adresse"), self.address)
        add(form2, "postal_code", t("Code postal"), self.postal_code)
        add(form2, "city", t("Ville"), self.city)
        add(
            form2,
            "attending_gp_id",
            t("Médecin traitant"),
            self.attending_gp,
            self.attending_gp_other,
        )
        self.errors.alias("attending_gp_other", "attending_gp_id")
        add(form2, "social_referent_id", t("Référent social"), self.social_referent)
        form2.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return contact

    def _layout(self, identity: QGroupBox, contact: QGroupBox) -> None:
        self.buttons = DialogButtons(self, self.tr("&Enregistrer"), ok_name="saveIdentityButton")
        self.save_button = self.buttons.ok
        columns = QHBoxLayout()
        columns.addWidget(identity, 1)
        columns.addWidget(contact, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(self.buttons)  # the buttons keep their size when no error shows
        stack_when_narrow(columns)  # one box below the other on a narrow screen
        layout = QVBoxLayout(scrolled_content(self))
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    # ---- fields -------------------------------------------------------------------------
    def _professionals(self, role: Role) -> list[UserInfo]:
        try:
            return self._ports.accounts.professionals(self._actor, role)
        except RelaisError:
            return []

    def _fill_professionals(self) -> None:
        t = self.tr
        self.attending_gp.addItem(t("— non renseigné —"), None)
        for user in self._professionals(Role.GP):
            self.attending_gp.addItem(t("Dr {name}").format(name=user.display_name), user.id)
        self.attending_gp.addItem(t("Autre médecin (hors maison de santé)…"), OTHER_GP)
        self.social_referent.addItem(t("— non renseigné —"), None)
        for user in self._professionals(Role.SOCIAL_WORKER):
            self.social_referent.addItem(user.display_name, user.id)

    def _gp_changed(self) -> None:
        other = self.attending_gp.currentData() == OTHER_GP
        self.attending_gp_other.setVisible(other)
        if not other:
            self.attending_gp_other.clear()

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index < 0 and value is not None:  # e.g. a colleague whose account was disabled
            combo.insertItem(1, str(value), value)
            index = 1
        combo.setCurrentIndex(max(index, 0))

    def fill(self, data: PatientInput) -> None:
        self.birth_name.setText(data.birth_name)
        self.used_name.setText(data.used_name)
        self.first_names.setText(data.first_names)
        self._select(self.sex, str(data.sex) if data.sex else "")
        birth = data.birth_date
        self.birth_date.setText(birth if isinstance(birth, str) else date_fr(birth))
        self.birth_place_code.setText(data.birth_place_code)
        self._select(self.identity_status, str(data.identity_status))
        self._select(
            self.identity_document, str(data.identity_document) if data.identity_document else ""
        )
        self.nir.setText(data.nir)
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self.address.setText(data.address)
        self.postal_code.setText(data.postal_code)
        self.city.setText(data.city)
        if data.attending_gp_id is not None:
            self._select(self.attending_gp, data.attending_gp_id)
        elif data.attending_gp_other:
            self._select(self.attending_gp, OTHER_GP)
            self._gp_changed()
            self.attending_gp_other.setText(data.attending_gp_other)
        self._select(self.social_referent, data.social_referent_id)

    def data(self) -> PatientInput:
        gp = self.attending_gp.currentData()
        return PatientInput(
            birth_name=self.birth_name.text(),
            used_name=self.used_name.text(),
            first_names=self.first_names.text(),
            sex=self.sex.currentData() or "",
            birth_date=self.birth_date.text(),
            birth_place_code=self.birth_place_code.text(),
            identity_status=self.identity_status.currentData(),
            identity_document=self.identity_document.currentData() or None,
            nir=self.nir.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.text(),
            postal_code=self.postal_code.text(),
            city=self.city.text(),
            attending_gp_id=gp if isinstance(gp, int) and gp != OTHER_GP else None,
            attending_gp_other=self.attending_gp_other.text() if gp == OTHER_GP else "",
            social_referent_id=self.social_referent.currentData(),
        )

    # ---- saving -------------------------------------------------------------------------
    def save(self, *, confirm_duplicate: bool = False, version: int | None = None) -> None:
        self.errors.clear()
        data = self.data()
        try:
            if self._record is None:
                record = self._ports.patients.create(
                    self._actor, data, confirm_duplicate=confirm_duplicate
                )
            else:
                record = self._ports.patients.update(
                    self._actor,
                    self._record.id,
                    data,
                    self._record.version if version is None else version,
                    confirm_duplicate=confirm_duplicate,
                )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except DuplicateWarning as exc:
            self._show_duplicates(exc, version)
            return
        except ConflictError as exc:
            self._show_conflict(exc, data)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.accept()
        self.saved.emit(record)

    def _show_duplicates(self, warning: DuplicateWarning, version: int | None) -> None:
        dialog = DuplicateDialog(warning.candidates, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.duplicate_dialog = dialog

        def open_existing(patient_id: int) -> None:
            self.duplicate_dialog = None
            self.reject()
            self.open_existing.emit(patient_id)

        def create_anyway() -> None:
            self.duplicate_dialog = None
            self.save(confirm_duplicate=True, version=version)

        dialog.open_existing.connect(open_existing)
        dialog.create_anyway.connect(create_anyway)
        dialog.rejected.connect(lambda: setattr(self, "duplicate_dialog", None))
        dialog.open()

    def _show_conflict(self, error: ConflictError, mine: PatientInput) -> None:
        theirs = error.theirs
        theirs_text = (
            describe(theirs.as_input(), theirs.attending_gp_name, theirs.social_referent_name)
            if isinstance(theirs, PatientRecord)
            else ""
        )
        gp = self.attending_gp.currentText() if mine.attending_gp_id is not None else ""
        referent = self.social_referent.currentText() if mine.social_referent_id else ""
        dialog = ConflictDialog(error, describe(mine, gp, referent), theirs_text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.conflict_dialog = dialog

        def resolve(choice: str) -> None:
            self.conflict_dialog = None
            if not isinstance(theirs, PatientRecord):
                return
            if choice == ConflictChoice.KEEP_SAVED:
                self.accept()
                self.saved.emit(theirs)
            elif choice == ConflictChoice.USE_MINE:
                self._record = theirs
                self.save(version=theirs.version)

        dialog.chosen.connect(resolve)
        dialog.rejected.connect(lambda: setattr(self, "conflict_dialog", None))
        dialog.open()


FIELD_TITLES = {
    "birth_name": QT_TRANSLATE_NOOP("IdentityDialog", "Nom de naissance"),
    "used_name": QT_TRANSLATE_NOOP("IdentityDialog", "Nom d'usage"),
    "first_names": QT_TRANSLATE_NOOP("IdentityDialog", "Prénom(s)"),
    "sex": QT_TRANSLATE_NOOP("IdentityDialog", "Sexe"),
    "birth_date": QT_TRANSLATE_NOOP("IdentityDialog", "Date de naissance"),
    "birth_place_code": QT_TRANSLATE_NOOP("IdentityDialog", "Lieu de naissance"),
    "identity_status": QT_TRANSLATE_NOOP("IdentityDialog", "Statut"),
    "identity_document": QT_TRANSLATE_NOOP("IdentityDialog", "Pièce d'identité"),
    "nir": QT_TRANSLATE_NOOP("IdentityDialog", "NIR"),
    "phone": QT_TRANSLATE_NOOP("IdentityDialog", "Téléphone"),
    "email": QT_TRANSLATE_NOOP("IdentityDialog", "E-mail"),
    "address": QT_TRANSLATE_NOOP("IdentityDialog", "Adresse"),
    "postal_code": QT_TRANSLATE_NOOP("IdentityDialog", "Code postal"),
    "city": QT_TRANSLATE_NOOP("IdentityDialog", "Ville"),
    "attending_gp": QT_TRANSLATE_NOOP("IdentityDialog", "Médecin traitant"),
    "social_referent": QT_TRANSLATE_NOOP("IdentityDialog", "Référent social"),
}


def describe(data: PatientInput, gp: str, referent: str) -> str:
    """One line per field, for the side-by-side conflict view (names, not ids)."""
    values: dict[str, str] = {}
    for f in dataclass_fields(data):
        value = getattr(data, f.name)
        if f.name == "sex" and value:
            value = sex_label(Sex(value))
        elif f.name == "identity_status" and value:
            value = status_label(IdentityStatus(value))
        elif f.name == "identity_document":
            value = document_label(IdentityDocument(value)) if value else ""
        elif hasattr(value, "strftime"):
            value = date_fr(value)
        values[f.name] = "" if value is None else str(value)
    values["attending_gp"] = gp or values.get("attending_gp_other", "")
    values["social_referent"] = referent
    return "\n".join(
        f"{QCoreApplication.translate('IdentityDialog', title)} : {values.get(name, '')}"
        for name, title in FIELD_TITLES.items()
    )
