"""Consultation sessions (*permanences*), appointments, the waiting list, the call list and
the exports of an agenda (slip PDF, iCalendar).

- Sessions are rules (``recurrence.SessionRule``) with dated exceptions; the coordinator
  defines them for any social worker, a social worker for herself (``Resource.SESSIONS``).
- Appointments (``Resource.APPOINTMENT``: social worker and secretary book, everyone on the
  team reads times and names); the appointment's reason (the referral's reason code) is shown
  to the appointment's professional only (``Resource.APPOINTMENT_REASON``, own).
- Double booking is impossible: the unique ``(professional_id, slot_key)`` index refuses a
  second occupant even when two workstations book at once (``IntegrityError`` →
  :class:`SlotTaken`, the unit of work rolled back as a whole).
- Booking from a referral moves it to « rendez-vous fixé » in the same unit of work
  (``ReferralService.on_appointment_booked``); cancelling or a no-show puts it back to
  « reçue »; the visit moves it to « patient reçu ».
"""

from __future__ import annotations

from datetime import date, datetime

from app.models.db import Database
from app.services.actor import Actor
from app.services.audit import AuditWriter, Clock
from app.services.documents import DocumentService
from app.services.records import (
    AgendaDay,
    AppointmentRecord,
    GeneratedDocument,
    InboxItem,
    ReferralSummary,
    SessionInput,
    SessionRecord,
    SlotRecord,
    WaitingEntryRecord,
)
from app.services.referrals import ReferralService
from app.services.scheduling_rules import (  # noqa: F401  (re-exported)
    AppointmentStatus,
    AppointmentTransitionRefused,
    SlotTaken,
)


class SchedulingService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        referrals: ReferralService,
        documents: DocumentService,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._referrals = referrals
        self._documents = documents

    # ---- sessions (Resource.SESSIONS) -----------------------------------------------------
    def sessions(
        self, actor: Actor, *, professional_id: int | None = None, include_inactive: bool = False
    ) -> list[SessionRecord]:
        """The sessions (of one professional, or all), active ones unless asked."""
        raise NotImplementedError

    def professionals(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of the professionals who can hold sessions (active social workers)."""
        raise NotImplementedError

    def create_session(self, actor: Actor, data: SessionInput) -> SessionRecord:
        """A new recurring session: coordinator for any social worker, a social worker for
        herself. ``ValidationError`` (French, per field) on bad input."""
        raise NotImplementedError

    def update_session(
        self, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int
    ) -> SessionRecord:
        """Change the rule. Appointments already booked stay (shown apart in the agenda when
        their slot no longer exists). ``ConflictError`` on a stale version."""
        raise NotImplementedError

    def deactivate_session(
        self, actor: Actor, session_id: int, *, expected_version: int
    ) -> SessionRecord:
        """Stop a session; refused while appointments to come are booked in it."""
        raise NotImplementedError

    def cancel_day(
        self,
        actor: Actor,
        session_id: int,
        day: date,
        reason: str,
        *,
        cancel_appointments: bool = False,
    ) -> SessionRecord:
        """Cancel one date of the session. Refused (French message naming how many) when
        appointments are booked that day, unless ``cancel_appointments``: then each becomes
        « annulé par la maison de santé » with ``reason`` and waits for the secretary's call
        (``to_notify``)."""
        raise NotImplementedError

    def add_day(self, actor: Actor, session_id: int, day: date, reason: str = "") -> SessionRecord:
        """Hold the session on an extra date (kept even on a public holiday)."""
        raise NotImplementedError

    def remove_exception(self, actor: Actor, session_id: int, day: date) -> SessionRecord:
        """Undo a cancelled or added date."""
        raise NotImplementedError

    # ---- agenda (Resource.APPOINTMENT read) ----------------------------------------------
    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]:
        """Day by day from ``start`` to ``end`` (inclusive): slots free or taken, skipped
        dates and why, appointments outside any slot. Reasons for the professional only."""
        raise NotImplementedError

    def free_slots(
        self,
        actor: Actor,
        professional_id: int,
        *,
        start: date,
        days: int = 42,
        limit: int = 50,
    ) -> list[SlotRecord]:
        """Free slots to come from ``start`` (never in the past), earliest first."""
        raise NotImplementedError

    # ---- appointments (Resource.APPOINTMENT write: social worker, secretary) -------------
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
        """Book a real slot of an active session. :class:`SlotTaken` when taken (also when
        two workstations race); refused for a past slot, a slot outside any session, a patient
        already expected elsewhere at that time. From a referral (addressed to that
        professional, sent or received): the referral becomes « rendez-vous fixé » in the same
        unit of work. From a waiting-list entry: the entry becomes « rendez-vous fixé »."""
        raise NotImplementedError

    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        raise NotImplementedError

    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Cancel (reason required): the slot is freed; a referral goes back to « reçue »."""
        raise NotImplementedError

    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """The patient did not come (counted); a referral goes back to « reçue »."""
        raise NotImplementedError

    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The appointment's professional saw the patient; the referral → « patient reçu »."""
        raise NotImplementedError

    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord:
        raise NotImplementedError

    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]:
        """The patient's appointments, newest first (audited read)."""
        raise NotImplementedError

    def appointment_for_referral(self, actor: Actor, referral_id: int) -> AppointmentRecord | None:
        """The referral's latest appointment (active first), or None."""
        raise NotImplementedError

    def no_show_count(self, actor: Actor, patient_id: int) -> int:
        raise NotImplementedError

    def referrals_to_schedule(self, actor: Actor) -> list[ReferralSummary]:
        """Referrals addressed to a professional holding sessions, sent or received, without
        an appointment to come (the secretary sees who and when, never the reason)."""
        raise NotImplementedError

    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]:
        """The papers the patient brings (from the referral's reason; generic otherwise)."""
        raise NotImplementedError

    # ---- waiting list ---------------------------------------------------------------------
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
        raise NotImplementedError

    def waiting_list(self, actor: Actor, professional_id: int) -> list[WaitingEntryRecord]:
        """Patients waiting: urgent first, then oldest."""
        raise NotImplementedError

    def remove_from_waiting_list(
        self, actor: Actor, entry_id: int, *, expected_version: int | None = None
    ) -> None:
        raise NotImplementedError

    def candidates_for(
        self, actor: Actor, professional_id: int, starts_at: datetime
    ) -> list[WaitingEntryRecord]:
        """Who could take this (freed) slot: waiting patients not already expected at that
        time, in waiting-list order."""
        raise NotImplementedError

    # ---- call list and exports -------------------------------------------------------------
    def call_list(self, actor: Actor, day: date) -> list[AppointmentRecord]:
        """Appointments of ``day`` to call the day before (booked or confirmed), by time;
        ``called_at`` says who was already called."""
        raise NotImplementedError

    def to_notify(self, actor: Actor) -> list[AppointmentRecord]:
        """Appointments to come cancelled by the clinic whose patient was not called yet."""
        raise NotImplementedError

    def mark_called(
        self, actor: Actor, appointment_id: int, *, confirmed: bool
    ) -> AppointmentRecord:
        """The patient was called: ``confirmed`` also confirms a booked appointment."""
        raise NotImplementedError

    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes:
        """The professional's session half-days and appointments as an iCalendar file
        (UTF-8 bytes). Patient names only when the professional exports her own agenda;
        never a reason; cancelled appointments as ``STATUS:CANCELLED``."""
        raise NotImplementedError

    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument:
        """The patient's appointment slip (archived in the administrative compartment)."""
        raise NotImplementedError

    # ---- inbox source (``inbox.add_source("scheduling", ...)``) -------------------------
    def inbox_items(self, actor: Actor) -> list[InboxItem]:
        """For a professional: freed slots with patients waiting (« Créneau libéré le … : N
        patient(s) en liste d'attente »); for the secretariat: clinic cancellations to call."""
        return []

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        return False
