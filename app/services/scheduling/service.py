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

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import CLINIC_TZ, clinic_today
from app.models import Patient, Referral, User
from app.models.enums import Compartment, Role
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
    WaitingListEntry,
)
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError, ValidationError
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import GeneratedDocument
from app.services.kernel.text import clean_line
from app.services.kernel.timefmt import fmt_datetime, local
from app.services.referrals.records import ReferralStatus, ReferralSummary
from app.services.scheduling import exports as docs
from app.services.scheduling.base import (
    ALREADY_STARTED,
    ARCHIVED,
    MAX_DAYS,
    MAX_LIST,
    MAX_REASON,
    NOT_STARTED,
    OWN_AGENDA_ONLY,
    PAST_SLOT,
    READ_REFUSED,
    SEEN_REFUSED,
    PatientBusy,
    _day_bounds,
    _Lookup,
    _patient_name,
    _Refusal,
    _utc,
)
from app.services.scheduling.records import (
    APPOINTMENT_STATUS_LABELS,
    APPOINTMENT_TRANSITIONS,
    CANCELLED,
    PENDING,
    AgendaDay,
    AppointmentRecord,
    AppointmentStatus,
    AppointmentTransitionRefused,
    SlotRecord,
    SlotTaken,
    WaitingStatus,
    fr_datetime,
    papers_to_bring,
)
from app.services.scheduling.recurrence import session_days
from app.services.scheduling.sessions import SessionManager
from app.services.scheduling.waiting_list import WaitingAndCalls


class SchedulingService(SessionManager, WaitingAndCalls):
    """Sessions, agenda, booking and transitions, waiting list, call list, slip and iCalendar
    (module docstring)."""

    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]:
        """Day by day from ``start`` to ``end`` (inclusive): slots free or taken, skipped
        dates and why, appointments outside any slot, cancelled ones. Reasons for the
        appointment's professional only. Audited (one entry per call)."""
        self._require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="agenda"
        )
        if end < start:
            raise ValidationError({"end": "La fin de la période précède son début."})
        if (end - start).days >= MAX_DAYS:
            raise ValidationError({"end": "La période est limitée à un an."})

        def work(session: Session) -> list[AgendaDay]:
            by_day, skipped = self._slots(session, professional_id, start, end)
            low, high = _day_bounds(start, end)
            query = select(Appointment).where(
                Appointment.starts_at >= low, Appointment.starts_at < high
            )
            if professional_id is not None:
                query = query.where(Appointment.professional_id == professional_id)
            rows = list(session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))
            records = self._records(session, actor, rows)
            taken: dict[tuple[int, datetime], AppointmentRecord] = {}
            cancelled: dict[date, list[AppointmentRecord]] = {}
            for rec in records:
                if rec.active:
                    taken[(rec.professional_id, rec.starts_at)] = rec
                else:
                    cancelled.setdefault(local(rec.starts_at).date(), []).append(rec)
            days: list[AgendaDay] = []
            used: set[int] = set()
            current = start
            while current <= end:
                day_slots = []
                for slot in by_day.get(current, []):
                    rec = taken.get((slot.session.professional_id, slot.starts_at))
                    if rec is not None:
                        used.add(rec.id)
                    day_slots.append(
                        SlotRecord(
                            session_id=slot.session.id,
                            professional_id=slot.session.professional_id,
                            starts_at=slot.starts_at,
                            ends_at=slot.ends_at,
                            place=slot.session.place,
                            room=slot.session.room,
                            appointment=rec,
                        )
                    )
                outside = tuple(
                    r
                    for r in records
                    if r.active and r.id not in used and local(r.starts_at).date() == current
                )
                days.append(
                    AgendaDay(
                        day=current,
                        slots=tuple(day_slots),
                        skipped=" ; ".join(skipped.get(current, [])) if not day_slots else "",
                        appointments_outside=outside,
                        cancelled=tuple(cancelled.get(current, [])),
                    )
                )
                current += timedelta(days=1)
            self._audit_read(
                session,
                actor,
                "agenda",
                object_id=professional_id,
                detail=f"{start.isoformat()} – {end.isoformat()} : {len(records)} rendez-vous",
            )
            return days

        return self._run(actor, work)

    def free_slots(
        self,
        actor: Actor,
        professional_id: int,
        *,
        start: date,
        days: int = 42,
        limit: int = 50,
    ) -> list[SlotRecord]:
        """Free slots to come from ``start`` (never in the past), earliest first. Names no
        patient (not audited)."""
        self._require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="agenda"
        )
        now = self._clock()
        start = max(start, local(now).date())
        end = start + timedelta(days=max(1, min(days, MAX_DAYS)) - 1)

        def work(session: Session) -> list[SlotRecord]:
            by_day, _skipped = self._slots(session, professional_id, start, end)
            low, high = _day_bounds(start, end)
            occupied = set(
                session.scalars(
                    select(Appointment.slot_key).where(
                        Appointment.professional_id == professional_id,
                        Appointment.slot_key.is_not(None),
                        Appointment.slot_key >= low,
                        Appointment.slot_key < high,
                    )
                )
            )
            out: list[SlotRecord] = []
            for day in sorted(by_day):
                for slot in by_day[day]:
                    if slot.starts_at <= now or slot.starts_at in occupied:
                        continue
                    out.append(
                        SlotRecord(
                            session_id=slot.session.id,
                            professional_id=professional_id,
                            starts_at=slot.starts_at,
                            ends_at=slot.ends_at,
                            place=slot.session.place,
                            room=slot.session.room,
                        )
                    )
                    if len(out) >= limit:
                        return out
            return out

        return self._run(actor, work, write=False)

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
        unit of work. The patient's waiting-list entry for this professional (the one given,
        or any) becomes « rendez-vous fixé »."""
        action = AuditAction.APPOINTMENT_BOOK
        self._require(actor, Resource.APPOINTMENT, Action.WRITE, action, patient_id=patient_id)
        if actor.role == Role.SOCIAL_WORKER and actor.user_id != professional_id:
            raise self._refuse(actor, action, OWN_AGENDA_ONLY, patient_id=patient_id)
        starts_at = _utc(starts_at)

        def work(session: Session) -> AppointmentRecord:
            now = self._clock()
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound("Ce dossier patient n'existe pas.")
            if patient.archived_at is not None:
                raise _Refusal(PermissionDenied(ARCHIVED), action, patient_id)
            user = session.get(User, professional_id)
            if user is None or not user.active or user.role != str(Role.SOCIAL_WORKER):
                raise ValidationError(
                    {"professional_id": "Ce professionnel ne tient pas de permanence."}
                )
            if starts_at <= now:
                raise _Refusal(RelaisError(PAST_SLOT), action, patient_id)
            slot = self._find_slot(session, professional_id, starts_at)
            if session.scalar(
                select(Appointment.id).where(
                    Appointment.professional_id == professional_id,
                    Appointment.slot_key == starts_at,
                )
            ):
                raise _Refusal(SlotTaken(), action, patient_id)
            busy = session.scalar(
                select(Appointment).where(
                    Appointment.patient_id == patient_id,
                    Appointment.status.in_([str(x) for x in PENDING]),
                    Appointment.starts_at < slot.ends_at,
                    Appointment.ends_at > starts_at,
                )
            )
            if busy is not None:
                other = session.get(User, busy.professional_id)
                raise _Refusal(
                    PatientBusy(
                        f"{_patient_name(patient)} a déjà un rendez-vous le "
                        f"{fr_datetime(busy.starts_at)}"
                        + (f" avec {other.display_name}" if other else "")
                        + " : un patient ne peut pas être attendu à deux endroits à la fois."
                    ),
                    action,
                    patient_id,
                )
            entry = None
            if waiting_entry_id is not None:
                entry = session.get(WaitingListEntry, waiting_entry_id)
                if (
                    entry is None
                    or entry.patient_id != patient_id
                    or entry.professional_id != professional_id
                ):
                    raise ValidationError(
                        {
                            "waiting_entry_id": "Cette inscription en liste d'attente ne "
                            "correspond pas à ce patient et à ce professionnel."
                        }
                    )
                if entry.status != str(WaitingStatus.WAITING):
                    raise ValidationError(
                        {"waiting_entry_id": "Ce patient n'est plus en liste d'attente."}
                    )
            ref_id = (
                referral_id if referral_id is not None else (entry.referral_id if entry else None)
            )
            if ref_id is not None:
                referral = session.get(Referral, ref_id)
                if referral is None:
                    raise NotFound("Cette orientation n'existe pas.")
                # Read only here: the referral is moved after the insert (see below).
                pending = session.scalar(
                    select(Appointment).where(
                        Appointment.referral_id == ref_id,
                        Appointment.status.in_([str(x) for x in PENDING]),
                    )
                )
                if pending is not None:
                    raise _Refusal(
                        RelaisError(
                            "Cette orientation a déjà un rendez-vous le "
                            f"{fr_datetime(pending.starts_at)} : annulez-le avant d'en fixer "
                            "un autre."
                        ),
                        action,
                        patient_id,
                    )
            a = Appointment(
                patient_id=patient_id,
                professional_id=professional_id,
                session_id=slot.session.id,
                referral_id=ref_id,
                starts_at=starts_at,
                ends_at=slot.ends_at,
                slot_key=starts_at,
                place=slot.session.place,
                room=slot.session.room,
                status=str(AppointmentStatus.BOOKED),
                booked_by_id=actor.user_id,
                booked_at=now,
                status_at=now,
                status_by_id=actor.user_id,
            )
            session.add(a)
            # The unique slot index speaks here when another workstation won the slot. Nothing
            # else is locked yet (the audit chain head, the referral): no deadlock between two
            # racing bookings on PostgreSQL, the loser just waits and gets IntegrityError.
            session.flush()
            if ref_id is not None:
                try:
                    self._referrals.on_appointment_booked(
                        session,
                        actor,
                        ref_id,
                        patient_id=patient_id,
                        professional_id=professional_id,
                        when=starts_at,
                    )
                except (ValidationError, NotFound):
                    raise
                except RelaisError as error:
                    raise _Refusal(error, action, patient_id) from None
            if entry is None:  # booked without going through the list: leaves it all the same
                entry = session.scalar(
                    select(WaitingListEntry).where(
                        WaitingListEntry.patient_id == patient_id,
                        WaitingListEntry.professional_id == professional_id,
                        WaitingListEntry.status == str(WaitingStatus.WAITING),
                    )
                )
            if entry is not None:
                entry.status = str(WaitingStatus.BOOKED)
                entry.appointment_id = a.id
                entry.updated_at = now
            mark_activity(session, patient.id, now)
            self._audit.add(
                session,
                actor,
                action,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="appointment",
                object_id=a.id,
                detail=" ".join(
                    x
                    for x in (
                        fmt_datetime(starts_at),
                        f"professionnel {professional_id}",
                        f"orientation {ref_id}" if ref_id is not None else "",
                        "liste d'attente" if entry is not None else "",
                    )
                    if x
                ),
            )
            session.flush()
            return self._one(session, actor, a)

        try:
            return self._run(actor, work)
        except IntegrityError as exc:
            text = str(exc.orig)
            if "uq_appointment_slot" not in text and "appointment.slot_key" not in text:
                raise
            error = SlotTaken()
            self._audit.refused(
                actor,
                action,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="appointment",
                detail=error.message[:120],
            )
            raise error from None

    def _transition(
        self,
        actor: Actor,
        appointment_id: int,
        target: AppointmentStatus,
        action: str,
        expected_version: int | None,
        step: Callable[[Session, Appointment], None],
        *,
        own_only: bool = False,
    ) -> AppointmentRecord:
        self._require(actor, Resource.APPOINTMENT, Action.WRITE, action, object_id=appointment_id)

        def work(session: Session) -> AppointmentRecord:
            a = self._load(session, appointment_id)
            if own_only and actor.user_id != a.professional_id:
                raise _Refusal(PermissionDenied(SEEN_REFUSED), action, a.patient_id, object_id=a.id)
            self._check_version(
                a, expected_version, str(target), lambda: self._one(session, actor, a)
            )
            current = AppointmentStatus(a.status)
            if target not in APPOINTMENT_TRANSITIONS[current]:
                raise _Refusal(
                    AppointmentTransitionRefused(current, target),
                    action,
                    a.patient_id,
                    object_id=a.id,
                )
            try:
                step(session, a)
            except RelaisError as error:
                if isinstance(error, ValidationError):
                    raise
                raise _Refusal(error, action, a.patient_id, object_id=a.id) from None
            session.flush()
            return self._one(session, actor, a)

        return self._wrap_stale(actor, work, "Ce rendez-vous")

    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The patient confirmed (before the appointment)."""

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at <= self._clock():
                raise RelaisError(ALREADY_STARTED)
            self._set_status(actor, a, AppointmentStatus.CONFIRMED)
            a.confirmed_at = self._clock()
            self._write(session, actor, a, AuditAction.APPOINTMENT_CONFIRM)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.CONFIRMED,
            AuditAction.APPOINTMENT_CONFIRM,
            expected_version,
            step,
        )

    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Cancel (reason required): the slot is freed; a referral goes back to « reçue »; the
        professional is told when patients wait for a slot (inbox)."""
        reason = clean_line(reason or "")
        if not reason:
            raise ValidationError({"reason": "Indiquez le motif de l'annulation."})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": "Le motif est trop long (200 caractères au plus)."})
        target = (
            AppointmentStatus.CANCELLED_PATIENT
            if by_patient
            else AppointmentStatus.CANCELLED_CLINIC
        )

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at <= self._clock():
                raise RelaisError(ALREADY_STARTED)
            self._end(session, actor, a, target, reason)

        return self._transition(
            actor, appointment_id, target, AuditAction.APPOINTMENT_CANCEL, expected_version, step
        )

    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """The patient did not come (counted); a referral goes back to « reçue »."""
        reason = clean_line(reason or "")[:MAX_REASON]

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at > self._clock():
                raise RelaisError(NOT_STARTED)
            self._end(session, actor, a, AppointmentStatus.NO_SHOW, reason)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.NO_SHOW,
            AuditAction.APPOINTMENT_NO_SHOW,
            expected_version,
            step,
        )

    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The appointment's professional saw the patient (from the appointment's day on);
        the referral → « patient reçu »."""

        def step(session: Session, a: Appointment) -> None:
            if local(a.starts_at).date() > clinic_today(self._clock):
                raise RelaisError(NOT_STARTED)
            self._set_status(actor, a, AppointmentStatus.SEEN)
            if a.referral_id is not None:
                self._referrals.on_appointment_ended(session, actor, a.referral_id, seen=True)
            patient = session.get(Patient, a.patient_id)
            if patient is not None:
                mark_activity(session, patient.id, self._clock())
            self._write(session, actor, a, AuditAction.APPOINTMENT_SEEN)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.SEEN,
            AuditAction.APPOINTMENT_SEEN,
            expected_version,
            step,
            own_only=True,
        )

    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord:
        def work(session: Session) -> AppointmentRecord:
            a = self._load(session, appointment_id)
            if not policy.allows(actor.role, Resource.APPOINTMENT, Action.READ):
                raise _Refusal(
                    PermissionDenied(READ_REFUSED), AuditAction.READ, a.patient_id, object_id=a.id
                )
            self._audit_read(session, actor, "appointment", patient_id=a.patient_id, object_id=a.id)
            return self._one(session, actor, a)

        return self._run(actor, work)

    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]:
        """The patient's appointments, newest first (audited read)."""
        self._require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, patient_id=patient_id
        )

        def work(session: Session) -> list[AppointmentRecord]:
            if session.get(Patient, patient_id) is None:
                raise NotFound("Ce dossier patient n'existe pas.")
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(Appointment.patient_id == patient_id)
                    .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
                    .limit(MAX_LIST)
                )
            )
            self._audit_read(
                session,
                actor,
                "appointment",
                patient_id=patient_id,
                detail=f"{len(rows)} rendez-vous",
            )
            return self._records(session, actor, rows)

        return self._run(actor, work)

    def appointment_for_referral(self, actor: Actor, referral_id: int) -> AppointmentRecord | None:
        """The referral's appointment to come if any, else its latest one, or None."""
        self._require(actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ)

        def work(session: Session) -> AppointmentRecord | None:
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(Appointment.referral_id == referral_id)
                    .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
                )
            )
            if not rows:
                return None
            pending = [a for a in rows if a.status in {str(x) for x in PENDING}]
            a = pending[0] if pending else rows[0]
            self._audit_read(session, actor, "appointment", patient_id=a.patient_id, object_id=a.id)
            return self._one(session, actor, a)

        return self._run(actor, work)

    def no_show_count(self, actor: Actor, patient_id: int) -> int:
        """How many appointments the patient missed (every professional)."""
        self._require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, patient_id=patient_id
        )

        def work(session: Session) -> int:
            count = self._count(
                session,
                Appointment.patient_id == patient_id,
                Appointment.status == str(AppointmentStatus.NO_SHOW),
            )
            self._audit_read(
                session, actor, "appointment", patient_id=patient_id, detail="absences"
            )
            return count

        return self._run(actor, work)

    def referrals_to_schedule(self, actor: Actor) -> list[ReferralSummary]:
        """Referrals addressed to a professional holding sessions, sent or received, without
        an appointment to come (the secretary sees who and when, never the reason). A social
        worker sees those addressed to her."""
        self._require(
            actor, Resource.APPOINTMENT, Action.WRITE, AuditAction.READ, object_type="referral"
        )

        def work(session: Session) -> list[ReferralSummary]:
            holders = select(ConsultationSession.professional_id).where(
                ConsultationSession.active.is_(True)
            )
            has_pending = (
                select(Appointment.id)
                .where(
                    Appointment.referral_id == Referral.id,
                    Appointment.status.in_([str(x) for x in PENDING]),
                )
                .exists()
            )
            query = select(Referral).where(
                Referral.receiver_id.in_(holders),
                Referral.status.in_([str(ReferralStatus.SENT), str(ReferralStatus.RECEIVED)]),
                ~has_pending,
            )
            if actor.role == Role.SOCIAL_WORKER:
                query = query.where(Referral.receiver_id == actor.user_id)
            rows = list(
                session.scalars(query.order_by(Referral.sent_at, Referral.id).limit(MAX_LIST))
            )
            out = self._referrals.summaries(session, actor, rows)
            self._audit_read(session, actor, "referral", detail=f"{len(out)} à planifier")
            return out

        return self._run(actor, work)

    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]:
        """The papers the patient brings (from the referral's reason; generic otherwise)."""
        self._require(
            actor, Resource.APPOINTMENT, Action.WRITE, AuditAction.READ, object_id=appointment_id
        )
        with self._db.session(write=False) as session:
            return self._papers(session, actor, self._load(session, appointment_id))

    def _papers(self, session: Session, actor: Actor, a: Appointment) -> tuple[str, ...]:
        """From the referral's reason when this session holds the referral's key (its
        receiver), from its readable category otherwise; generic when booked directly."""
        if a.referral_id is None:
            return papers_to_bring(a.reason or None)
        referral = session.get(Referral, a.referral_id)
        if referral is None:
            return papers_to_bring(None)
        reason = self._referrals.reason_of(session, actor, referral)
        return papers_to_bring(reason, referral.reason_category or None)

    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes:
        """The professional's session half-days and appointments as an iCalendar file
        (UTF-8 bytes). Patient names only when the professional exports her own agenda;
        never a reason; cancelled appointments as ``STATUS:CANCELLED``. Audited."""
        action = AuditAction.AGENDA_EXPORT
        self._require(actor, Resource.APPOINTMENT, Action.READ, action, object_type="agenda")
        if end < start:
            raise ValidationError({"end": "La fin de la période précède son début."})
        if (end - start).days >= MAX_DAYS:
            raise ValidationError({"end": "La période est limitée à un an."})
        own = actor.user_id is not None and actor.user_id == professional_id

        def work(session: Session) -> bytes:
            user = session.get(User, professional_id)
            if user is None:
                raise NotFound("Ce professionnel n'existe pas.")
            half_days: list[docs.CalendarSession] = []
            for s, rule in self._active_sessions(session, professional_id):
                held, _missed = session_days(rule, start, end)
                for d in held:
                    half_days.append(
                        docs.CalendarSession(
                            uid=f"relais-session-{s.id}-{d.day.isoformat()}",
                            label=s.label or "Permanence",
                            starts_at=datetime.combine(d.day, s.opens, tzinfo=CLINIC_TZ),
                            ends_at=datetime.combine(d.day, s.closes, tzinfo=CLINIC_TZ),
                            location=docs.location(s.place, s.room),
                        )
                    )
            low, high = _day_bounds(start, end)
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.professional_id == professional_id,
                        Appointment.starts_at >= low,
                        Appointment.starts_at < high,
                    )
                    .order_by(Appointment.starts_at, Appointment.id)
                )
            )
            look = _Lookup.of(session)
            look.load(rows)
            events = [
                docs.CalendarAppointment(
                    uid=f"relais-appointment-{a.id}",
                    starts_at=a.starts_at,
                    ends_at=a.ends_at,
                    location=docs.location(a.place, a.room),
                    patient_name=_patient_name(look.patient(a.patient_id)) if own else "",
                    cancelled=AppointmentStatus(a.status) in CANCELLED,
                    sequence=a.version,
                )
                for a in rows
            ]
            data = docs.agenda_ics(
                f"Agenda de {user.display_name}", half_days, events, stamp=self._clock()
            )
            self._audit.add(
                session,
                actor,
                action,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="agenda",
                object_id=professional_id,
                detail=f"{start.isoformat()} – {end.isoformat()} : {len(rows)} rendez-vous"
                + ("" if own else " (sans noms)"),
            )
            return data

        return self._run(actor, work)

    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument:
        """The patient's appointment slip: date and time in words, place and room, who, the
        papers to bring for the referral's reason, how to cancel. Never the referral's
        message or shared items. Archived in the administrative compartment and audited."""
        action = AuditAction.PRINT
        self._require(actor, Resource.APPOINTMENT, Action.WRITE, action, object_id=appointment_id)

        def work(session: Session) -> GeneratedDocument:
            a = self._load(session, appointment_id)
            status = AppointmentStatus(a.status)
            if status not in PENDING:
                raise ValidationError(
                    {
                        "status": f"Ce rendez-vous est « {APPOINTMENT_STATUS_LABELS[status]} » : "
                        "il n'y a pas de convocation à imprimer."
                    }
                )
            patient = session.get(Patient, a.patient_id)
            letterhead = self._documents.letterhead(session)
            professional = session.get(User, a.professional_id)
            sheet = docs.SlipSheet(
                clinic_name=letterhead.clinic_name,
                clinic_address=letterhead.clinic_address,
                clinic_phone=letterhead.clinic_phone,
                patient_name=_patient_name(patient),
                when=fr_datetime(a.starts_at),
                duration_minutes=int((a.ends_at - a.starts_at).total_seconds() // 60),
                place=a.place or letterhead.clinic_address,
                room=a.room,
                who=docs.who(professional.display_name if professional else ""),
                papers=self._papers(session, actor, a),
                from_referral=a.referral_id is not None,
            )
            number = self._documents.next_number(session)
            meta = docs.slip_meta(number, actor.display_name, self._clock(), letterhead)
            data = docs.slip_pdf(meta, sheet)
            row = self._documents.archive(
                session,
                actor,
                number=number,
                kind=docs.KIND_SLIP,
                title=docs.SLIP_TITLE,
                patient_id=a.patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                data=data,
            )
            self._audit.add(
                session,
                actor,
                action,
                patient_id=a.patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="document",
                object_id=row.id,
                detail=f"{docs.KIND_SLIP} {number} rendez-vous {a.id}",
            )
            return GeneratedDocument(row.id, number, docs.SLIP_TITLE, data)

        return self._run(actor, work)
