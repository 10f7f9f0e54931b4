"""The top of an open patient file: name, birth date and NIR, the consent at a glance, the
archived banner, « Orienter… » and « Accès exceptionnel… »."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.patient_file.records import PatientRecord
from app.views.common.labels import age_label, date_fr, nir_display, status_label


class FileHeader(QWidget):
    def __init__(self, *, archived: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientFileHeader")
        self.name_label = QLabel()
        self.name_label.setObjectName("patientName")
        self.name_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.details_label = QLabel()
        self.details_label.setObjectName("patientDetails")
        for label in (self.name_label, self.details_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consent_label = QLabel()
        self.consent_label.setObjectName("consentGlance")
        self.consent_label.setTextFormat(Qt.TextFormat.RichText)
        self.consent_label.setWordWrap(True)
        self.consent_label.setToolTip(
            QCoreApplication.translate(
                "PatientFileWidget",
                "Consentement actuel du patient (détail : onglet « Consentements »)",
            )
        )
        names = QVBoxLayout()
        for label in (self.name_label, self.details_label, self.consent_label):
            names.addWidget(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addLayout(names, 1)
        for button in self._build_buttons():
            top.addWidget(button, alignment=Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self._build_archived_banner(archived))

    def _build_buttons(self) -> list[QPushButton]:
        self.orient_button = QPushButton(
            QCoreApplication.translate("PatientFileWidget", "&Orienter…"), self
        )
        self.orient_button.setObjectName("orientPatientButton")
        self.orient_button.setToolTip(
            QCoreApplication.translate(
                "PatientFileWidget",
                "Guide d'orientation : le bon service selon la situation, puis l'orientation.",
            )
        )
        self.exceptional_button = QPushButton(
            QCoreApplication.translate("PatientFileWidget", "Accès e&xceptionnel…"), self
        )
        self.exceptional_button.setObjectName("exceptionalButton")
        self.exceptional_button.setToolTip(
            QCoreApplication.translate(
                "PatientFileWidget",
                "En cas d'urgence : ouvrir un volet que votre rôle ne donne pas (tracé).",
            )
        )
        for button in (self.orient_button, self.exceptional_button):
            button.setAutoDefault(False)
        return [self.orient_button, self.exceptional_button]

    def _build_archived_banner(self, archived: bool) -> QLabel:
        self.archived_banner = QLabel(
            QCoreApplication.translate(
                "PatientFileWidget",
                "Dossier archivé — lecture seule. Il n'apparaît plus dans les listes du "
                "quotidien ; la coordination peut le désarchiver si le patient revient.",
            )
        )
        self.archived_banner.setObjectName("archivedBanner")
        self.archived_banner.setWordWrap(True)
        self.archived_banner.setStyleSheet(
            "background: #eceff1; border: 1px solid #607d8b; padding: 6px; font-weight: 600;"
        )
        self.archived_banner.setVisible(archived)
        return self.archived_banner

    def show_record(self, record: PatientRecord, today: date) -> None:
        self.name_label.setText(record.summary.display_name)
        parts = [
            QCoreApplication.translate("PatientFileWidget", "né(e) le {date} ({age})").format(
                date=date_fr(record.birth_date), age=age_label(record.birth_date, today)
            ),
            QCoreApplication.translate("PatientFileWidget", "NIR {nir}").format(
                nir=nir_display(record.nir)
            )
            if record.nir
            else QCoreApplication.translate("PatientFileWidget", "NIR non renseigné"),
            status_label(record.identity_status),
        ]
        if record.archived:
            parts.append(QCoreApplication.translate("PatientFileWidget", "dossier archivé"))
        self.details_label.setText(" · ".join(parts))
