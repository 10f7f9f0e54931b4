"""What the agenda's views need of the services: the scheduling service (``SchedulingPort``),
the patient search (booking for any patient), the clock, and a way to open the social worker's
consultation. ``AgendaPorts`` is all an agenda view receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from app.clock import Clock
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument, Page
from app.services.patient_file.records import SearchResult
from app.services.referrals.records import ReferralSummary
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    SchedulingCapabilities,
    SessionInput,
    SessionRecord,
    SlotRecord,
    WaitingEntryRecord,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.views.ports import ServicesPort


class SchedulingPort(Protocol):
    """Consultation sessions, the agenda, appointments, the waiting list and the call list."""

    def sessions(
        self, actor: Actor, *, professional_id: int | None = None, include_inactive: bool = False
    ) -> list[SessionRecord]: ...
    def professionals(self, actor: Actor) -> list[tuple[int, str]]: ...
    def create_session(self, actor: Actor, data: SessionInput) -> SessionRecord: ...
    def update_session(
        self, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int
    ) -> SessionRecord: ...
    def deactivate_session(
        self, actor: Actor, session_id: int, *, expected_version: int
    ) -> SessionRecord: ...
    def cancel_day(
        self,
        actor: Actor,
        session_id: int,
        day: date,
        reason: str,
        *,
        cancel_appointments: bool = False,
    ) -> SessionRecord: ...
    def add_day(
        self, actor: Actor, session_id: int, day: date, reason: str = ""
    ) -> SessionRecord: ...
    def remove_exception(self, actor: Actor, session_id: int, day: date) -> SessionRecord: ...
    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]: ...
    def free_slots(
        self, actor: Actor, professional_id: int, *, start: date, days: int = 42, limit: int = 50
    ) -> list[SlotRecord]: ...
    def book(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        starts_at: datetime,
        referral_id: int | None = None,
        waiting_entry_id: int | None = None,
    ) -> AppointmentRecord: ...
    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord: ...
    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord: ...
    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord: ...
    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord: ...
    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord: ...
    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]: ...
    def no_show_count(self, actor: Actor, patient_id: int) -> int: ...
    def referrals_to_schedule(
        self,
        actor: Actor,
        *,
        offset: int = ...,
        limit: int = ...,
        professional_id: int | None = None,
    ) -> Page[ReferralSummary]: ...
    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]: ...
    def add_to_waiting_list(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        referral_id: int | None = None,
        urgency: str = "normal",
        preferences: str = "",
    ) -> WaitingEntryRecord: ...
    def waiting_list(self, actor: Actor, professional_id: int) -> list[WaitingEntryRecord]: ...
    def remove_from_waiting_list(
        self, actor: Actor, entry_id: int, *, expected_version: int | None = None
    ) -> None: ...
    def candidates_for(
        self, actor: Actor, professional_id: int, starts_at: datetime
    ) -> list[WaitingEntryRecord]: ...
    def call_list(self, actor: Actor, day: date) -> list[AppointmentRecord]: ...
    def to_notify(self, actor: Actor) -> list[AppointmentRecord]: ...
    def mark_called(
        self, actor: Actor, appointment_id: int, *, confirmed: bool
    ) -> AppointmentRecord: ...
    def capabilities(self, actor: Actor) -> SchedulingCapabilities: ...
    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes: ...
    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument: ...


class PatientFinderPort(Protocol):
    """The patient search the booking dialogs embed (``SearchPanel``)."""

    def search(
        self, actor: Actor, query: str, *, limit: int = ..., offset: int = 0
    ) -> SearchResult: ...


# The consultation window of the social worker for an appointment (``social`` views):
# (parent, actor, patient id, appointment id) → the window, or None.
OpenConsultation = Callable[["QWidget", Actor, int, int], Any]


@dataclass(frozen=True)
class AgendaPorts:
    """Everything the agenda, its dialogs and the file's « Rendez-vous » tab reach."""

    scheduling: SchedulingPort
    patients: PatientFinderPort
    clock: Clock
    open_consultation: OpenConsultation

    @classmethod
    def of(cls, services: ServicesPort | AgendaPorts) -> AgendaPorts:
        """The agenda's ports taken from the services (given ports pass through)."""
        if isinstance(services, AgendaPorts):
            return services
        full = services

        def consult(parent: QWidget, actor: Actor, patient_id: int, appointment_id: int) -> Any:
            from app.views.social.consultation_screen import open_consultation

            return open_consultation(parent, full, actor, patient_id, appointment_id=appointment_id)

        return cls(
            scheduling=services.scheduling,
            patients=services.patients,
            clock=services.clock,
            open_consultation=consult,
        )
