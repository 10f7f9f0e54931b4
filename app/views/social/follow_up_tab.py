"""The patient file's « Suivi social » tab: the social worker's consultations of this patient
(start one, see the next appointment), her assessment history and action plan."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import PatientRecord
from app.views.common.patient_tab import PatientTab
from app.views.social.ports import SocialPorts

if TYPE_CHECKING:
    from app.views.ports import ServicesPort

from app.views.social.consultation_screen import (
    SOCIAL_FOLLOW_UP_TAB,
    ConsultationDialog,
    ConsultationScreen,
    next_appointment,
    open_consultation,
)

__all__ = ["SOCIAL_FOLLOW_UP_TAB", "SocialFollowUpTab"]


class SocialFollowUpTab(PatientTab):
    """The patient file's « Suivi social »: assessment, history and action plan (the social
    notes keep their own tab), and « Démarrer la consultation… »."""

    def __init__(
        self,
        ports: SocialPorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        ports = SocialPorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(
            actor,
            patient.id,
            can_write=ports.consultations.can_consult(actor),
            read_only=read_only,
            name="socialFollowUpTab",
            parent=parent,
        )
        self._ports = ports
        self.patient = patient
        self.consultation_dialog: ConsultationDialog | None = None
        self.start_button = QPushButton(self.tr("Démarrer la &consultation…"), self)
        self.start_button.setObjectName("startConsultationButton")
        self.start_button.setAutoDefault(False)
        self.start_button.setVisible(self.can_write)
        self.start_button.clicked.connect(self.start_consultation)
        self.screen_widget = ConsultationScreen(
            ports,
            actor,
            patient,
            with_glance=False,
            with_notes=False,
            read_only=read_only,
        )
        self.screen_widget.close_state.hide()
        self.screen_widget.changed.connect(self.changed)
        top = QHBoxLayout()
        hint = QLabel(
            self.tr(
                "Réservé à l'assistante sociale : rien de cet onglet n'est visible des autres "
                "professionnels."
            )
        )
        hint.setStyleSheet("color: #455a64;")
        hint.setWordWrap(True)
        top.addWidget(hint, 1)
        top.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.screen_widget, 1)
        layout.addWidget(self.error)

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.screen_widget.ensure_loaded()

    def reload(self) -> None:
        self._loaded = True
        self.screen_widget.form.reload()
        for widget in (self.screen_widget.history, self.screen_widget.actions):
            if widget.loaded:
                widget.reload()

    def start_consultation(self) -> None:
        if self.consultation_dialog is not None:
            self.consultation_dialog.raise_()
            return
        appointment = None
        with contextlib.suppress(RelaisError):
            appointment = next_appointment(
                self._ports.appointments.patient_appointments(self._actor, self.patient.id),
                self._actor.user_id,
                self._ports.clock(),
            )
        dialog = open_consultation(
            self,
            self._ports,
            self._actor,
            self.patient.id,
            appointment_id=appointment.id if appointment else None,
        )
        if dialog is None:
            return
        self.consultation_dialog = dialog
        dialog.screen_widget.changed.connect(self.reload)
        dialog.screen_widget.form.saved.connect(lambda _v: self.reload())
        dialog.finished.connect(self._consultation_finished)

    def _consultation_finished(self, _result: int) -> None:
        self.consultation_dialog = None
        self.reload()
        self.changed.emit()
