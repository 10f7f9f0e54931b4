"""What the social worker's screens need of the services: the assessment and action plan,
and the few calls they make on appointments, referrals, consents, partners and the file.
``SocialPorts`` is all a social view receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.clock import Clock
from app.services.kernel.actor import Actor
from app.services.patient_file.records import ConsentSummary, PatientRecord
from app.services.referrals.records import ReferralView
from app.services.scheduling.records import AppointmentRecord
from app.services.social.records import (
    AssessmentInput,
    AssessmentVersion,
    AssessmentView,
    SectionChange,
    SocialActionInput,
    SocialActionView,
)
from app.views.common.ports import PartnerListPort

if TYPE_CHECKING:
    from app.views.ports import NotesPort, ServicesPort


class ConsultationsPort(Protocol):
    """The social worker's assessment and action plan (``services.consultations``)."""

    def can_consult(self, actor: Actor) -> bool: ...
    def assessment(self, actor: Actor, patient_id: int) -> AssessmentView | None: ...
    def history(self, actor: Actor, patient_id: int) -> list[AssessmentVersion]: ...
    def version(self, actor: Actor, assessment_id: int) -> AssessmentView: ...
    def changes(self, actor: Actor, assessment_id: int) -> list[SectionChange]: ...
    def save_assessment(
        self,
        actor: Actor,
        patient_id: int,
        data: AssessmentInput,
        *,
        based_on: int | None,
        appointment_id: int | None = None,
    ) -> AssessmentView: ...
    def actions(
        self, actor: Actor, patient_id: int, *, include_closed: bool = True
    ) -> list[SocialActionView]: ...
    def add_action(
        self, actor: Actor, patient_id: int, data: SocialActionInput
    ) -> SocialActionView: ...
    def update_action(
        self, actor: Actor, action_id: int, data: SocialActionInput, *, expected_version: int
    ) -> SocialActionView: ...
    def set_action_status(
        self, actor: Actor, action_id: int, status: str, *, expected_version: int
    ) -> SocialActionView: ...


class ConsultationAppointmentsPort(Protocol):
    """The appointment being consulted (``services.scheduling``)."""

    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord: ...
    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]: ...
    def no_show_count(self, actor: Actor, patient_id: int) -> int: ...
    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord: ...


class ConsultationReferralsPort(Protocol):
    """The referral behind the appointment and the feedback to its sender."""

    def get(self, actor: Actor, referral_id: int) -> ReferralView: ...
    def send_feedback(self, actor: Actor, referral_id: int, text: str) -> ReferralView: ...


class ConsentGlancePort(Protocol):
    def current(self, actor: Actor, patient_id: int) -> ConsentSummary: ...


class PatientReaderPort(Protocol):
    def get(self, actor: Actor, patient_id: int, *, audit_open: bool = True) -> PatientRecord: ...


@dataclass(frozen=True)
class SocialPorts:
    """Everything the consultation screen, its tab and its window reach."""

    consultations: ConsultationsPort
    appointments: ConsultationAppointmentsPort
    referrals: ConsultationReferralsPort
    consents: ConsentGlancePort
    partners: PartnerListPort
    patients: PatientReaderPort
    notes: NotesPort
    clock: Clock

    @classmethod
    def of(cls, services: ServicesPort | SocialPorts) -> SocialPorts:
        """The social ports taken from the services (given ports pass through)."""
        if isinstance(services, SocialPorts):
            return services
        return cls(
            consultations=services.consultations,
            appointments=services.scheduling,
            referrals=services.referrals,
            consents=services.consents,
            partners=services.partners,
            patients=services.patients,
            notes=services.notes,
            clock=services.clock,
        )
