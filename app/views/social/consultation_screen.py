"""The social worker's consultation screen: the referral's reason and what the sender shared,
the patient's situation at a glance, the structured social assessment and its history, the
social notes and the action plan; « Clôturer la consultation » records the appointment seen
(which moves the referral to « patient reçu ») and offers to send feedback to the sender.

Also the patient file's « Suivi social » tab (the same screen without an appointment, and
« Démarrer la consultation… »). Both exist for the social worker only: every other role gets
neither the tab nor the window (and the services refuse them anyway).

Entry point for the agenda and the referrals: :func:`open_consultation`.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.timefmt import local
from app.services.patient_file.records import ConsentScope, PatientRecord
from app.services.referrals.records import ReferralAction, ReferralView
from app.services.scheduling.records import AppointmentRecord, AppointmentStatus
from app.services.social.records import may_consult
from app.views.common.buttons import DialogButtons
from app.views.common.clock import today
from app.views.common.labels import age_label, date_fr, datetime_fr
from app.views.common.widgets import error_label, show_message
from app.views.patient_file.consent_panel import consent_glance
from app.views.patient_file.notes_tab import NotesTab
from app.views.referrals.referral_actions import FeedbackDialog
from app.views.referrals.referrals_view import referral_html
from app.views.social.action_plan import ActionPlanWidget
from app.views.social.assessment_form import AssessmentForm, AssessmentHistory
from app.views.social.feedback import feedback_dialog
from app.views.social.ports import SocialPorts

if TYPE_CHECKING:
    from app.views.ports import ServicesPort

SOCIAL_FOLLOW_UP_TAB = "social_follow_up"
PENDING = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


class ConsultationScreen(QWidget):
    """Emits ``closed(AppointmentRecord)`` once the appointment is recorded as seen."""

    closed = Signal(object)
    changed = Signal()

    def __init__(
        self,
        ports: SocialPorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        appointment_id: int | None = None,
        referral_id: int | None = None,
        with_glance: bool = True,
        with_notes: bool = True,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        ports = SocialPorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(parent)
        self.setObjectName("consultationScreen")
        self._ports = ports
        self._actor = actor
        self.patient = patient
        self.feedback_dialog: FeedbackDialog | None = None
        self._read(appointment_id, referral_id)
        self.glance = QLabel()
        self.glance.setObjectName("consultationGlance")
        self.glance.setWordWrap(True)
        self.glance.setTextFormat(Qt.TextFormat.RichText)
        self.glance.setVisible(with_glance)
        self.referral_box = QTextBrowser()
        self.referral_box.setObjectName("consultationReferral")
        self.referral_box.setOpenLinks(False)
        self.referral_box.setVisible(self.referral is not None)
        self._build_tabs(with_notes, read_only)
        bottom = self._build_bottom()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.referral_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.glance)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._show_referral()
        if with_glance:
            self._show_glance()
        self._show_close_state()

    def _read(self, appointment_id: int | None, referral_id: int | None) -> None:
        """The appointment consulted and its referral (either may be unreadable: none)."""
        self.appointment: AppointmentRecord | None = None
        self.referral: ReferralView | None = None
        if appointment_id is not None:
            with contextlib.suppress(RelaisError):
                self.appointment = self._ports.appointments.appointment(self._actor, appointment_id)
            if referral_id is None and self.appointment is not None:
                referral_id = self.appointment.referral_id
        if referral_id is not None:
            with contextlib.suppress(RelaisError):
                self.referral = self._ports.referrals.get(self._actor, referral_id)

    def _build_tabs(self, with_notes: bool, read_only: bool) -> None:
        ports, actor, patient_id = self._ports, self._actor, self.patient.id
        self.tabs = QTabWidget()
        self.tabs.setObjectName("consultationTabs")
        appointment = self.appointment.id if self.appointment else None
        self.form = AssessmentForm(
            ports.consultations,
            actor,
            patient_id,
            appointment_id=appointment,
            read_only=read_only,
        )
        self.history = AssessmentHistory(ports.consultations, actor, patient_id)
        self.actions = ActionPlanWidget(
            ports.consultations,
            ports.partners,
            actor,
            patient_id,
            clock=ports.clock,
            read_only=read_only,
        )
        self.notes: NotesTab | None = None
        self.tabs.addTab(self.form, self.tr("É&valuation sociale"))
        self.tabs.addTab(self.history, self.tr("&Historique de l'évaluation"))
        self.tabs.addTab(self.actions, self.tr("Plan d'action (&démarches)"))
        if with_notes:
            self.notes = NotesTab(
                ports.notes, actor, patient_id, Compartment.SOCIAL, can_write=not read_only
            )
            self.tabs.addTab(self.notes, self.tr("&Notes sociales"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.form.saved.connect(self._assessment_saved)
        self.actions.changed.connect(self.changed)

    def _build_bottom(self) -> QHBoxLayout:
        self.close_button = QPushButton(self.tr("&Clôturer la consultation"), self)
        self.close_button.setObjectName("closeConsultationButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close_consultation)
        self.close_state = QLabel()
        self.close_state.setObjectName("consultationState")
        self.close_state.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("consultationError")
        bottom = QHBoxLayout()
        bottom.addWidget(self.close_state, 1)
        bottom.addWidget(self.error, 1)
        bottom.addWidget(self.close_button)
        return bottom

    # ---- display ------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        self.form.ensure_loaded()

    def _tab_changed(self, _index: int) -> None:
        widget = self.tabs.currentWidget()
        if isinstance(widget, AssessmentForm | AssessmentHistory | ActionPlanWidget | NotesTab):
            widget.ensure_loaded()

    def _show_referral(self) -> None:
        if self.referral is None:
            return
        self.referral_box.setHtml(
            self.tr("<h3>Orientation de {sender}</h3>").format(
                sender=self.referral.summary.sender_name
            )
            + referral_html(self.referral)
        )

    def _show_glance(self) -> None:
        p = self.patient
        lines = [
            f"<b>{p.summary.display_name}</b> — "
            + self.tr("né(e) le {date} ({age})").format(
                date=date_fr(p.birth_date),
                age=age_label(p.birth_date, today(self._ports.clock)),
            )
        ]
        address = ", ".join(x for x in (p.address, f"{p.postal_code} {p.city}".strip()) if x)
        contact = [address or self.tr("adresse non renseignée")]
        if p.phone:
            contact.append(self.tr("tél. {phone}").format(phone=p.phone))
        lines.append(" · ".join(contact))
        with contextlib.suppress(RelaisError):
            lines.append(consent_glance(self._ports.consents.current(self._actor, p.id)))
        facts = []
        if self.appointment is not None:
            facts.append(
                self.tr("Rendez-vous du {when} ({status})").format(
                    when=datetime_fr(self.appointment.starts_at),
                    status=self.appointment.status_label.lower(),
                )
            )
        with contextlib.suppress(RelaisError):
            missed = self._ports.appointments.no_show_count(self._actor, p.id)
            facts.append(self.tr("%n absence(s) non excusée(s)", "", missed))
        if facts:
            lines.append(" · ".join(facts))
        self.glance.setText("<br>".join(lines))

    def _show_close_state(self) -> None:
        a = self.appointment
        can_close = a is not None and a.status in PENDING
        self.close_button.setVisible(can_close)
        if a is None:
            self.close_state.setText(
                self.tr("Consultation sans rendez-vous : rien à clôturer dans l'agenda.")
            )
        elif a.status is AppointmentStatus.SEEN:
            self.close_state.setText(self.tr("Consultation clôturée : patient reçu."))
        elif not can_close:
            self.close_state.setText(a.status_label)
        else:
            self.close_state.clear()

    def _assessment_saved(self, _view) -> None:
        if self.history.loaded:
            self.history.reload()
        self.changed.emit()

    # ---- closing ------------------------------------------------------------------------
    def close_consultation(self) -> None:
        a = self.appointment
        if a is None or a.status not in PENDING:
            return
        try:
            seen = self._ports.appointments.record_seen(
                self._actor, a.id, expected_version=a.version
            )
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        self.appointment = seen
        self._show_close_state()
        if not self.glance.isHidden():
            self._show_glance()
        referral_id = seen.referral_id or (self.referral.id if self.referral else None)
        if referral_id is not None:
            with contextlib.suppress(RelaisError):
                self.referral = self._ports.referrals.get(self._actor, referral_id)
                self.referral_box.setVisible(True)
                self._show_referral()
        self.closed.emit(seen)
        self.offer_feedback()

    def offer_feedback(self) -> None:
        """The existing referral feedback, if the referral allows it (what consent allows)."""
        r = self.referral
        if r is None or str(ReferralAction.SEND_FEEDBACK) not in r.allowed_actions:
            return
        try:
            consent = self._ports.consents.current(self._actor, self.patient.id)
            liaison = consent.is_active(ConsentScope.LIAISON)
        except RelaisError:
            liaison = False
        dialog = feedback_dialog(r.summary.sender_name, liaison, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.feedback_dialog = dialog
        dialog.ok.clicked.connect(self._send_feedback)
        dialog.finished.connect(lambda _r: setattr(self, "feedback_dialog", None))
        dialog.open()

    def _send_feedback(self) -> None:
        dialog, r = self.feedback_dialog, self.referral
        if dialog is None or r is None:
            return
        try:
            view = self._ports.referrals.send_feedback(self._actor, r.id, dialog.text.toPlainText())
        except ValidationError as exc:
            dialog.errors.show(exc.fields)
            return
        except RelaisError as exc:
            kept = getattr(exc, "view", None)  # FeedbackNotShared: reduced to the summary
            if kept is None:
                dialog.errors.show_general(exc.message)
                return
            dialog.accept()
            self.referral = kept
            self._show_referral()
            self.error.setText(exc.message)
            self.error.show()
            return
        dialog.accept()
        self.referral = view
        self._show_referral()
        self.close_state.setText(
            self.tr("Consultation clôturée : patient reçu. Retour envoyé à {sender}.").format(
                sender=view.summary.sender_name
            )
        )


class ConsultationDialog(QDialog):
    """The consultation screen in its own window (opened from the agenda or the file)."""

    def __init__(
        self,
        ports: SocialPorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        appointment_id: int | None = None,
        referral_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consultationDialog")
        self.setWindowTitle(
            self.tr("Consultation sociale — {name}").format(name=patient.summary.display_name)
        )
        self.resize(1100, 820)
        self.screen_widget = ConsultationScreen(
            ports,
            actor,
            patient,
            appointment_id=appointment_id,
            referral_id=referral_id,
            read_only=patient.archived,
        )
        self.buttons = DialogButtons(self, close=True)
        assert self.buttons.close_button is not None
        self.buttons.close_button.setObjectName("closeConsultationWindow")
        self.buttons.close_button.setText(self.tr("&Fermer la fenêtre"))
        self.buttons.rejected.disconnect()
        self.buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.screen_widget, 1)
        layout.addWidget(self.buttons)
        self.screen_widget.ensure_loaded()


def open_consultation(
    parent: QWidget | None,
    services: SocialPorts | ServicesPort,
    actor: Actor,
    patient_id: int,
    appointment_id: int | None = None,
    referral_id: int | None = None,
) -> ConsultationDialog | None:
    """Open the consultation window (non-modal). None for any role but the social worker, or
    when the patient file cannot be read (a message then says why). ``services``: the social
    ports, or the services they are taken from."""
    ports = SocialPorts.of(services)
    if not ports.consultations.can_consult(actor):
        return None
    try:
        patient = ports.patients.get(actor, patient_id)
    except RelaisError as exc:
        show_message(parent, exc.message)
        return None
    dialog = ConsultationDialog(
        ports,
        actor,
        patient,
        appointment_id=appointment_id,
        referral_id=referral_id,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def can_consult(actor: Actor) -> bool:
    """The consultation window and the « Suivi social » tab: asked of the social service's
    rule (the social worker only)."""
    return may_consult(actor)


def next_appointment(
    appointments: list[AppointmentRecord], professional_id: int | None, now: datetime
) -> AppointmentRecord | None:
    """The appointment to consult now: the professional's pending one of today, else the
    nearest pending one (past ones not closed first)."""
    mine = [a for a in appointments if a.professional_id == professional_id and a.status in PENDING]
    if not mine:
        return None
    day = local(now).date()
    same_day = [a for a in mine if local(a.starts_at).date() == day]
    pool = same_day or mine
    return min(pool, key=lambda a: abs((a.starts_at - now).total_seconds()))
