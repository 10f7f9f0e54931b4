"""« Administratif » tab: identity, contact, médecin traitant, référent social (read-only view)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.patient_file.records import PatientRecord
from app.views.common.forms import align_labels
from app.views.common.labels import date_fr, document_label, nir_display, sex_label, status_label


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AdministrativeTab(QWidget):
    edit_requested = Signal()

    def __init__(self, *, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("administrativeTab")
        self.edit_button = QPushButton(self.tr("&Modifier l'identité"), self)
        self.edit_button.setObjectName("editIdentityButton")
        self.edit_button.setVisible(can_edit)
        self.edit_button.clicked.connect(self.edit_requested)

        self._values: dict[str, QLabel] = {}
        scroll = self._build_groups()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _build_groups(self) -> QScrollArea:
        identity = QGroupBox(self.tr("Identité (traits INS)"))
        self._identity_form = QFormLayout(identity)
        contact = QGroupBox(self.tr("Coordonnées"))
        self._contact_form = QFormLayout(contact)
        team = QGroupBox(self.tr("Suivi"))
        self._team_form = QFormLayout(team)
        for form, rows in (
            (
                self._identity_form,
                (
                    ("birth_name", self.tr("Nom de naissance")),
                    ("used_name", self.tr("Nom d'usage")),
                    ("first_names", self.tr("Prénom(s)")),
                    ("sex", self.tr("Sexe")),
                    ("birth_date", self.tr("Date de naissance")),
                    ("birth_place_code", self.tr("Lieu de naissance (code INSEE)")),
                    ("nir", self.tr("NIR")),
                    ("identity_status", self.tr("Statut de l'identité")),
                    ("identity_document", self.tr("Pièce d'identité")),
                ),
            ),
            (
                self._contact_form,
                (
                    ("phone", self.tr("Téléphone")),
                    ("email", self.tr("E-mail")),
                    ("address", self.tr("Adresse")),
                    ("city", self.tr("Code postal et ville")),
                ),
            ),
            (
                self._team_form,
                (
                    ("attending_gp", self.tr("Médecin traitant")),
                    ("social_referent", self.tr("Référent social")),
                ),
            ),
        ):
            for name, label in rows:
                self._values[name] = _value("")
                self._values[name].setObjectName(f"value_{name}")
                form.addRow(label, self._values[name])
        align_labels(self._contact_form, self._team_form)  # stacked in the right column

        content = QWidget()
        columns = QHBoxLayout(content)
        left = QVBoxLayout()
        left.addWidget(identity)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(contact)
        right.addWidget(team)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def show_record(self, record: PatientRecord) -> None:
        dash = "—"
        gp = record.attending_gp_name or record.attending_gp_other
        if record.attending_gp_other and not record.attending_gp_name:
            gp = self.tr("{name} (hors maison de santé)").format(name=record.attending_gp_other)
        values = {
            "birth_name": record.birth_name,
            "used_name": record.used_name,
            "first_names": record.first_names,
            "sex": sex_label(record.sex),
            "birth_date": date_fr(record.birth_date),
            "birth_place_code": record.birth_place_code,
            "nir": nir_display(record.nir),
            "identity_status": status_label(record.identity_status),
            "identity_document": document_label(record.identity_document),
            "phone": record.phone,
            "email": record.email,
            "address": record.address,
            "city": f"{record.postal_code} {record.city}".strip(),
            "attending_gp": gp,
            "social_referent": record.social_referent_name,
        }
        for name, text in values.items():
            self._values[name].setText(text or dash)

    def value(self, name: str) -> str:
        return self._values[name].text()
