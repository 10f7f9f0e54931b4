"""Consultation sessions (*permanences*), appointments, the waiting list, the call list and
the exports of an agenda (slip PDF, iCalendar).

- Sessions are rules (``recurrence.SessionRule``) with dated exceptions; the coordinator
  defines them for any social worker, a social worker for herself (``Resource.SESSIONS``).
- Appointments (``Resource.APPOINTMENT``: social worker and secretary book, everyone on the
  team reads times and names); the appointment's reason (its referral's, read through the
  referral's own key, never copied) is shown to the appointment's professional only
  (``Resource.APPOINTMENT_REASON``, own; omitted for the others by design).
- Double booking is impossible: the unique ``(professional_id, slot_key)`` index refuses a
  second occupant even when two workstations book at once (``IntegrityError`` →
  :class:`SlotTaken`, the unit of work rolled back as a whole).
- Booking from a referral moves it to « rendez-vous fixé » in the same unit of work
  (``ReferralService.on_appointment_booked``); cancelling or a no-show puts it back to
  « reçue »; the visit moves it to « patient reçu ».

Every refusal is audited (``refused``) after the unit of work rolled back: nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from app.clock import Clock
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument, Page
from app.services.patient_file.documents import DocumentService
from app.services.referrals.records import ReferralSummary
from app.services.referrals.service import ReferralService
from app.services.scheduling.agenda_documents import AgendaDocuments
from app.services.scheduling.appointment_records import AppointmentRows
from app.services.scheduling.appointments import TO_SCHEDULE_PAGE, AppointmentReader
from app.services.scheduling.base import SchedulingCore
from app.services.scheduling.booking import Booking
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    SchedulingCapabilities,
    SessionInput,
    SessionRecord,
    SlotRecord,
    WaitingEntryRecord,
)
from app.services.scheduling.sessions import SessionManager
from app.services.scheduling.slots import SlotCalendar
from app.services.scheduling.waiting_list import WaitingAndCalls
from app.services.security.codec import ContentCodec


class SchedulingService:
    """Sessions, agenda, booking and transitions, waiting list, call list, slip and iCalendar
    (module docstring): a façade over collaborators composed here, each in its own module."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        referrals: ReferralService,
        documents: DocumentService,
        codec: ContentCodec,
    ) -> None:
        core = SchedulingCore(db, audit, clock, referrals, documents, codec)
        calendar = SlotCalendar(core)
        rows = AppointmentRows(core)
        self._core = core
        self._reader = AppointmentReader(core, calendar, rows)
        self._booking = Booking(core, calendar, rows)
        self._sessions = SessionManager(core, rows)
        self._waiting = WaitingAndCalls(core, calendar, rows)
        self._documents = AgendaDocuments(core, calendar, self._reader)

    @property
    def clock(self) -> Clock:
        """The services' clock (views take "now" and "today" from it)."""
        return self._core.clock

    def capabilities(self, actor: Actor) -> SchedulingCapabilities:
        """What ``actor`` may do in the agenda (views ask this, never the policy table)."""
        return self._reader.capabilities(actor)

    # ---- appointments -----------------------------------------------------------------
    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]:
        """Day by day from ``start`` to ``end`` (inclusive)."""
        return self._reader.agenda(actor, start, end, professional_id=professional_id)

    def free_slots(
        self, actor: Actor, professional_id: int, *, start: date, days: int = 42, limit: int = 50
    ) -> list[SlotRecord]:
        """Free slots to come from ``start`` (never in the past), earliest first."""
        return self._reader.free_slots(actor, professional_id, start=start, days=days, limit=limit)

    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord:
        return self._reader.appointment(actor, appointment_id)

    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]:
        """The patient's appointments, newest first (audited read)."""
        return self._reader.patient_appointments(actor, patient_id)

    def appointment_for_referral(self, actor: Actor, referral_id: int) -> AppointmentRecord | None:
        """The referral's appointment to come if any, else its latest one, or None."""
        return self._reader.appointment_for_referral(actor, referral_id)

    def no_show_count(self, actor: Actor, patient_id: int) -> int:
        """How many appointments the patient missed (every professional)."""
        return self._reader.no_show_count(actor, patient_id)

    def referrals_to_schedule(
        self,
        actor: Actor,
        *,
        offset: int = 0,
        limit: int = TO_SCHEDULE_PAGE,
        professional_id: int | None = None,
    ) -> Page[ReferralSummary]:
        return self._reader.referrals_to_schedule(
            actor, offset=offset, limit=limit, professional_id=professional_id
        )

    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]:
        """The papers the patient brings (from the referral's reason."""
        return self._reader.papers(actor, appointment_id)

    # ---- booking ----------------------------------------------------------------------
    def book(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        starts_at: datetime,
        referral_id: int | None = None,
        waiting_entry_id: int | None = None,
    ) -> AppointmentRecord:
        """Book a real slot of an active session."""
        return self._booking.book(
            actor,
            patient_id=patient_id,
            professional_id=professional_id,
            starts_at=starts_at,
            referral_id=referral_id,
            waiting_entry_id=waiting_entry_id,
        )

    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The patient confirmed (before the appointment)."""
        return self._booking.confirm(actor, appointment_id, expected_version=expected_version)

    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Cancel (reason required)."""
        return self._booking.cancel(
            actor,
            appointment_id,
            by_patient=by_patient,
            reason=reason,
            expected_version=expected_version,
        )

    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """The patient did not come (counted)."""
        return self._booking.record_no_show(
            actor, appointment_id, reason=reason, expected_version=expected_version
        )

    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The appointment's professional saw the patient (from the appointment's day on)."""
        return self._booking.record_seen(actor, appointment_id, expected_version=expected_version)

    # ---- sessions ---------------------------------------------------------------------
    def sessions(
        self, actor: Actor, *, professional_id: int | None = None, include_inactive: bool = False
    ) -> list[SessionRecord]:
        """The sessions (of one professional, or all), active ones unless asked."""
        return self._sessions.sessions(
            actor, professional_id=professional_id, include_inactive=include_inactive
        )

    def professionals(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of the professionals who can hold sessions (active social workers)."""
        return self._sessions.professionals(actor)

    def create_session(self, actor: Actor, data: SessionInput) -> SessionRecord:
        """A new recurring session."""
        return self._sessions.create_session(actor, data)

    def update_session(
        self, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int
    ) -> SessionRecord:
        """Change the rule."""
        return self._sessions.update_session(
            actor, session_id, data, expected_version=expected_version
        )

    def deactivate_session(
        self, actor: Actor, session_id: int, *, expected_version: int
    ) -> SessionRecord:
        """Stop a session."""
        return self._sessions.deactivate_session(
            actor, session_id, expected_version=expected_version
        )

    def cancel_day(
        self,
        actor: Actor,
        session_id: int,
        day: date,
        reason: str,
        *,
        cancel_appointments: bool = False,
    ) -> SessionRecord:
        """Cancel one date of the session."""
        return self._sessions.cancel_day(
            actor, session_id, day, reason, cancel_appointments=cancel_appointments
        )

    def add_day(self, actor: Actor, session_id: int, day: date, reason: str = "") -> SessionRecord:
        """Hold the session on an extra date (kept even on a public holiday)."""
        return self._sessions.add_day(actor, session_id, day, reason)

    def remove_exception(self, actor: Actor, session_id: int, day: date) -> SessionRecord:
        """Undo a cancelled or added date (an added date with appointments."""
        return self._sessions.remove_exception(actor, session_id, day)

    # ---- waiting list -----------------------------------------------------------------
    def add_to_waiting_list(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        referral_id: int | None = None,
        urgency: str = "normal",
        preferences: str = "",
    ) -> WaitingEntryRecord:
        """Put a patient on a professional's waiting list (once per professional)."""
        return self._waiting.add_to_waiting_list(
            actor,
            patient_id=patient_id,
            professional_id=professional_id,
            referral_id=referral_id,
            urgency=urgency,
            preferences=preferences,
        )

    def waiting_list(self, actor: Actor, professional_id: int) -> list[WaitingEntryRecord]:
        """Patients waiting."""
        return self._waiting.waiting_list(actor, professional_id)

    def remove_from_waiting_list(
        self, actor: Actor, entry_id: int, *, expected_version: int | None = None
    ) -> None:
        return self._waiting.remove_from_waiting_list(
            actor, entry_id, expected_version=expected_version
        )

    def candidates_for(
        self, actor: Actor, professional_id: int, starts_at: datetime
    ) -> list[WaitingEntryRecord]:
        """Who could take this (freed) slot."""
        return self._waiting.candidates_for(actor, professional_id, starts_at)

    def call_list(self, actor: Actor, day: date) -> list[AppointmentRecord]:
        return self._waiting.call_list(actor, day)

    def to_notify(self, actor: Actor) -> list[AppointmentRecord]:
        """Appointments to come cancelled by the clinic whose patient was not called yet."""
        return self._waiting.to_notify(actor)

    def mark_called(
        self, actor: Actor, appointment_id: int, *, confirmed: bool
    ) -> AppointmentRecord:
        """The patient was called."""
        return self._waiting.mark_called(actor, appointment_id, confirmed=confirmed)

    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """For a professional: freed slots; for the secretariat: patients to call."""
        return self._waiting.inbox_items(actor, session=session)

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """A « créneau libéré » notice read by its professional."""
        return self._waiting.mark_item_read(actor, item_id)

    # ---- agenda documents -------------------------------------------------------------
    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes:
        return self._documents.icalendar(actor, professional_id, start, end)

    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument:
        """The patient's appointment slip."""
        return self._documents.slip_pdf(actor, appointment_id)
