"""« Inscrire en liste d'attente »: a patient (given, or found by the search), the
professional, the urgency and when the patient can come."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.scheduling.records import WAITING_URGENCY_LABELS, WaitingUrgency
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.ui import button_box, form_row
from app.views.common.widgets import FieldErrors, error_label
from app.views.shell.search_panel import SearchPanel


class WaitingAddDialog(QDialog):
    """Put a patient on a professional's waiting list (urgency, when they can come)."""

    added = Signal(object)  # WaitingEntryRecord

    def __init__(
        self,
        services,
        actor: Actor,
        *,
        patient_id: int | None = None,
        patient_name: str = "",
        professional_id: int | None = None,
        referral_id: int | None = None,
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("waitingAddDialog")
        self.setWindowTitle(self.tr("Inscrire en liste d'attente"))
        self.setMinimumWidth(620)
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.patient_id = patient_id
        self.referral_id = referral_id
        self.general_error = error_label()
        self.general_error.setObjectName("waitingError")
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        self._patient_row(form, patient_name, debounce_ms)
        self._choices(form, professional_id)
        buttons, self.ok = button_box(
            self, self.tr("&Inscrire"), self.confirm, ok_name="waitingConfirm"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def _patient_row(self, form: QFormLayout, patient_name: str, debounce_ms: int | None) -> None:
        self.search: SearchPanel | None = None
        if self.patient_id is None:
            kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
            self.search = SearchPanel(self._ports.patients, self._actor, can_create=False, **kwargs)
            self.search.setMinimumHeight(260)
            form_row(self.errors, form, "patient_id", self.tr("&Patient"), self.search)
        else:
            form.addRow(self.tr("Patient"), QLabel(f"<b>{patient_name}</b>"))

    def _choices(self, form: QFormLayout, professional_id: int | None) -> None:
        self.professional = QComboBox()
        self.professional.setObjectName("waitingProfessional")
        try:
            for pid, name in self._ports.scheduling.professionals(self._actor):
                self.professional.addItem(name, pid)
        except RelaisError as exc:
            self.errors.show_general(exc.message)
        if professional_id is not None:
            self.professional.setCurrentIndex(max(self.professional.findData(professional_id), 0))
        self.urgency = QComboBox()
        self.urgency.setObjectName("waitingUrgency")
        for urgency in WaitingUrgency:
            self.urgency.addItem(self.tr(WAITING_URGENCY_LABELS[urgency]), str(urgency))
        self.preferences = QLineEdit()
        self.preferences.setObjectName("waitingPreferences")
        self.preferences.setPlaceholderText(self.tr("ex. : le mardi matin, pas avant 10 h"))
        form_row(self.errors, form, "professional_id", self.tr("A&vec"), self.professional)
        form_row(self.errors, form, "urgency", self.tr("&Urgence"), self.urgency)
        form_row(self.errors, form, "preferences", self.tr("&Disponibilités"), self.preferences)

    def confirm(self) -> None:
        patient_id = self.patient_id
        if patient_id is None and self.search is not None:
            patient_id = self.search.selected_patient_id()
        if patient_id is None:
            self.errors.show({"patient_id": self.tr("Cherchez puis choisissez le patient.")})
            return
        professional_id = self.professional.currentData()
        if professional_id is None:
            self.errors.show({"professional_id": self.tr("Choisissez le professionnel.")})
            return
        entry = self.errors.attempt(
            lambda: self._ports.scheduling.add_to_waiting_list(
                self._actor,
                patient_id=patient_id,
                professional_id=professional_id,
                referral_id=self.referral_id,
                urgency=self.urgency.currentData(),
                preferences=self.preferences.text(),
            )
        )
        if entry is None:
            return
        self.added.emit(entry)
        self.accept()
