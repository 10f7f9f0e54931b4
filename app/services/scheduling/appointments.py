"""Reading the agenda: days with their slots, free slots, one appointment, a patient's
appointments, the referrals to schedule (urgent first, newest first) and the papers to bring."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Patient, Referral
from app.models.enums import Role
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
)
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.services.kernel.patient_rows import display_name_of, name_columns
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import Page
from app.services.kernel.timefmt import local
from app.services.referrals.records import ReferralStatus, ReferralSummary, Urgency
from app.services.scheduling.appointment_records import AppointmentRows
from app.services.scheduling.base import (
    MAX_DAYS,
    MAX_LIST,
    READ_REFUSED,
    SchedulingCore,
    _day_bounds,
    _Refusal,
)
from app.services.scheduling.records import (
    PENDING,
    AgendaDay,
    AppointmentRecord,
    AppointmentStatus,
    SchedulingCapabilities,
    SlotRecord,
    papers_to_bring,
)
from app.services.scheduling.slots import SlotCalendar

# « Orientations à planifier »: the emergency (same day), then urgent ones, then the newest
# first, so that the referral just received sits on the first row.
_URGENCY_RANK = case(
    (Referral.urgency == str(Urgency.EMERGENCY), 0),
    (Referral.urgency == str(Urgency.URGENT), 1),
    else_=2,
)
# One page of « Orientations à planifier » (the list reads the next ones as it scrolls).
TO_SCHEDULE_PAGE = 100
_URGENT_THEN_NEWEST = (_URGENCY_RANK, Referral.sent_at.desc(), Referral.id.desc())


# The patient's name columns but its id: none shares a name with the referral's columns, so
# a row of both is read by ``display_name_of`` as it is (its ``id`` is the referral's, unused).
_PATIENT_NAME = name_columns()[1:]


def _to_schedule_conditions() -> list:
    """Referrals addressed to a professional holding sessions, sent or received, without an
    appointment to come (every column read is in ``ix_referral_receiver_queue`` and
    ``ix_appointment_referral_status``)."""
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
    return [
        Referral.receiver_id.in_(holders),
        Referral.status.in_([str(ReferralStatus.SENT), str(ReferralStatus.RECEIVED)]),
        ~has_pending,
    ]


class AppointmentReader:
    """What the agenda shows, as each role may see it (reads audited)."""

    def __init__(self, core: SchedulingCore, calendar: SlotCalendar, rows: AppointmentRows) -> None:
        self._core = core
        self._calendar = calendar
        self._rows = rows

    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]:
        """Day by day from ``start`` to ``end`` (inclusive): slots free or taken, skipped
        dates and why, appointments outside any slot, cancelled ones. Reasons for the
        appointment's professional only. Audited (one entry per call)."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="agenda"
        )
        if end < start:
            raise ValidationError({"end": _("La fin de la période précède son début.")})
        if (end - start).days >= MAX_DAYS:
            raise ValidationError({"end": _("La période est limitée à un an.")})

        def work(session: Session) -> list[AgendaDay]:
            by_day, skipped = self._calendar.slots(session, professional_id, start, end)
            low, high = _day_bounds(start, end)
            query = select(Appointment).where(
                Appointment.starts_at >= low, Appointment.starts_at < high
            )
            if professional_id is not None:
                query = query.where(Appointment.professional_id == professional_id)
            rows = list(session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))
            records = self._rows.records(session, actor, rows)
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
            self._core.audit_read(
                session,
                actor,
                "agenda",
                object_id=professional_id,
                detail=f"{start.isoformat()} – {end.isoformat()} : {len(records)} rendez-vous",
            )
            return days

        return self._core.run(actor, work)

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
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="agenda"
        )
        now = self._core.clock()
        start = max(start, local(now).date())
        end = start + timedelta(days=max(1, min(days, MAX_DAYS)) - 1)

        def work(session: Session) -> list[SlotRecord]:
            by_day, _skipped = self._calendar.slots(session, professional_id, start, end)
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

        return self._core.run(actor, work, write=False)

    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord:
        def work(session: Session) -> AppointmentRecord:
            a = self._core.load(session, appointment_id)
            if not policy.allows(actor.role, Resource.APPOINTMENT, Action.READ):
                raise _Refusal(
                    PermissionDenied(READ_REFUSED), AuditAction.READ, a.patient_id, object_id=a.id
                )
            self._core.audit_read(
                session, actor, "appointment", patient_id=a.patient_id, object_id=a.id
            )
            return self._rows.one(session, actor, a)

        return self._core.run(actor, work)

    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]:
        """The patient's appointments, newest first (audited read)."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, patient_id=patient_id
        )

        def work(session: Session) -> list[AppointmentRecord]:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(Appointment.patient_id == patient_id)
                    .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
                    .limit(MAX_LIST)
                )
            )
            self._core.audit_read(
                session,
                actor,
                "appointment",
                patient_id=patient_id,
                detail=f"{len(rows)} rendez-vous",
            )
            return self._rows.records(session, actor, rows)

        return self._core.run(actor, work)

    def appointment_for_referral(self, actor: Actor, referral_id: int) -> AppointmentRecord | None:
        """The referral's appointment to come if any, else its latest one, or None."""
        self._core.require(actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ)

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
            self._core.audit_read(
                session, actor, "appointment", patient_id=a.patient_id, object_id=a.id
            )
            return self._rows.one(session, actor, a)

        return self._core.run(actor, work)

    def no_show_count(self, actor: Actor, patient_id: int) -> int:
        """How many appointments the patient missed (every professional)."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, patient_id=patient_id
        )

        def work(session: Session) -> int:
            count = self._core.count(
                session,
                Appointment.patient_id == patient_id,
                Appointment.status == str(AppointmentStatus.NO_SHOW),
            )
            self._core.audit_read(
                session, actor, "appointment", patient_id=patient_id, detail="absences"
            )
            return count

        return self._core.run(actor, work)

    def referrals_to_schedule(
        self,
        actor: Actor,
        *,
        offset: int = 0,
        limit: int = TO_SCHEDULE_PAGE,
        professional_id: int | None = None,
    ) -> Page[ReferralSummary]:
        """Referrals addressed to a professional holding sessions (or to ``professional_id``),
        sent or received, without an appointment to come, the most urgent first, then the
        newest first (the secretary sees who and when, never the reason). A social worker sees
        those addressed to her. One page, counted and sorted in SQL."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.WRITE, AuditAction.READ, object_type="referral"
        )
        limit = max(1, min(limit, MAX_LIST))

        def work(session: Session) -> Page[ReferralSummary]:
            conditions = _to_schedule_conditions()
            if actor.role == Role.SOCIAL_WORKER:
                conditions.append(Referral.receiver_id == actor.user_id)
            if professional_id is not None:
                conditions.append(Referral.receiver_id == professional_id)
            # The page's keys ordered and cut on ix_referral_receiver_queue alone, the total
            # counted in the same statement; then only the page's rows and patients are read.
            keys = (
                select(
                    Referral.id,
                    _URGENCY_RANK.label("rank"),
                    Referral.sent_at,
                    func.count().over().label("total"),
                )
                .where(*conditions)
                .order_by(*_URGENT_THEN_NEWEST)
                .offset(max(0, offset))
                .limit(limit)
                .subquery("page")
            )
            # Core rows of the summary's columns and the patient's name (the secretary's
            # list reads no content, no blob, and builds no ORM object).
            referrals = self._core.referrals
            found = session.execute(
                select(*referrals.summary_columns(), *_PATIENT_NAME, keys.c.total)
                .join(keys, keys.c.id == Referral.id)
                .outerjoin(Patient, Patient.id == Referral.patient_id)
                .order_by(keys.c.rank, keys.c.sent_at.desc(), keys.c.id.desc())
            ).all()
            if found:
                total = int(found[0].total)
            else:  # a page past the end: counted alone
                total = int(
                    session.scalar(select(func.count()).select_from(Referral).where(*conditions))
                    or 0
                )
            names = {
                row.patient_id: display_name_of(row) if row.birth_name is not None else ""
                for row in found
            }
            out = referrals.summaries(session, actor, found, names)
            self._core.audit_read(
                session, actor, "referral", detail=f"{len(out)} à planifier sur {total}"
            )
            return Page(out, total, max(0, offset))

        return self._core.run(actor, work)

    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]:
        """The papers the patient brings (from the referral's reason; generic otherwise)."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.WRITE, AuditAction.READ, object_id=appointment_id
        )
        with self._core.db.session(write=False) as session:
            return self.papers_of(session, actor, self._core.load(session, appointment_id))

    def papers_of(self, session: Session, actor: Actor, a: Appointment) -> tuple[str, ...]:
        """From the referral's reason when this session holds the referral's key (its
        receiver), from its readable category otherwise; generic when booked directly."""
        if a.referral_id is None:
            return papers_to_bring(a.reason or None)
        referral = session.get(Referral, a.referral_id)
        if referral is None:
            return papers_to_bring(None)
        reason = self._core.referrals.reason_of(session, actor, referral)
        return papers_to_bring(reason, referral.reason_category or None)

    def capabilities(self, actor: Actor) -> SchedulingCapabilities:
        """What ``actor`` may do in the agenda, from the policy table (not audited)."""

        def allows(resource: Resource, action: Action, *, is_own: bool = False) -> bool:
            return policy.allows(actor.role, resource, action, is_own=is_own)

        return SchedulingCapabilities(
            user_id=actor.user_id,
            book=allows(Resource.APPOINTMENT, Action.WRITE),
            edit_sessions=allows(Resource.SESSIONS, Action.WRITE),
            own_reasons=allows(Resource.APPOINTMENT_REASON, Action.READ, is_own=True),
            others_reasons=allows(Resource.APPOINTMENT_REASON, Action.READ),
        )
