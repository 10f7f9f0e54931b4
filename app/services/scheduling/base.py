"""Shared plumbing of the scheduling services: refusals audited after rollback, conflicts,
the slots of the active sessions (``recurrence``), appointment records as one user may see
them (the reason for the appointment's professional only), and the end of an appointment
(slot freed, referral back to « reçue »)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.clock import CLINIC_TZ, Clock
from app.models import Patient, Referral, User
from app.models.db import Database
from app.models.enums import Compartment, Sex
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
    SessionException,
    WaitingListEntry,
)
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    RelaisError,
    ValidationError,
)
from app.services.kernel.guard import Conflict, Guard, Refusal
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.timefmt import fmt_datetime, local
from app.services.patient_file.documents import DocumentService
from app.services.referrals.records import REFERRAL_REASON_LABELS, ReferralReason
from app.services.referrals.service import ReferralService
from app.services.scheduling.records import (
    APPOINTMENT_STATUS_LABELS,
    CANCELLED,
    OCCUPYING,
    PENDING,
    REFERRAL_DETAIL_CANCELLED,
    REFERRAL_DETAIL_NO_SHOW,
    AppointmentAction,
    AppointmentRecord,
    AppointmentStatus,
    session_summary,
)
from app.services.scheduling.recurrence import SessionRule, session_days, slots
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import APPOINTMENT as SEALED_APPOINTMENT

T = TypeVar("T")

SESSIONS_REFUSED = "Votre rôle ne permet pas de définir les permanences."
OWN_SESSIONS_ONLY = "Une assistante sociale ne définit que ses propres permanences."
WRITE_REFUSED = "Votre rôle ne permet pas de fixer ni de modifier un rendez-vous."
READ_REFUSED = "Votre rôle ne permet pas de consulter les rendez-vous."
OWN_AGENDA_ONLY = "Vous ne pouvez fixer un rendez-vous que dans votre propre agenda."
SEEN_REFUSED = (
    "Seul(e) le (la) professionnel(le) du rendez-vous peut indiquer que le patient a été reçu."
)
ARCHIVED = "Ce dossier est archivé : il ne peut plus recevoir de rendez-vous."
PAST_SLOT = "Ce créneau est déjà passé : choisissez un créneau à venir."
NOT_STARTED = "Ce rendez-vous n'a pas encore eu lieu."
ALREADY_STARTED = (
    "Ce rendez-vous a déjà commencé ou est passé : indiquez plutôt si le patient est venu "
    "ou absent."
)
MAX_REASON = 200
MAX_DAYS = 366
MAX_LIST = 500
FREED_NOTICE_DAYS = 14
WAITING_SOURCE = "scheduling"


class PatientBusy(RelaisError):
    """The patient is already expected somewhere else at that time."""


class DayHasAppointments(RelaisError):
    """Cancelling a session date that has appointments: ask the caller to confirm."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"{count} rendez-vous {'est fixé' if count == 1 else 'sont fixés'} ce jour-là. "
            "Confirmez l'annulation des rendez-vous : ils seront annulés par la maison de santé "
            "avec ce motif, et les patients apparaîtront dans la liste « à prévenir » du "
            "secrétariat."
        )


class _Refusal(Refusal):
    """The kernel's refusal with the agenda's defaults (administrative compartment)."""

    def __init__(
        self,
        error: RelaisError,
        action: str,
        patient_id: int | None = None,
        object_type: str = "appointment",
        object_id: int | None = None,
    ) -> None:
        super().__init__(
            error,
            action,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=object_type,
            object_id=object_id,
        )


class _Conflict(Conflict):
    """The kernel's conflict for an agenda row (administrative compartment)."""

    def __init__(self, error: ConflictError, object_type: str, object_id: int, patient_id):
        super().__init__(
            error,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=object_type,
            object_id=object_id,
        )


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValidationError({"starts_at": "Heure sans fuseau horaire."})
    return value.astimezone(UTC)


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC bounds of the clinic-time days ``start`` … ``end`` (inclusive)."""
    low = datetime.combine(start, time(0), tzinfo=CLINIC_TZ).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=CLINIC_TZ).astimezone(UTC)
    return low, high


def _patient_name(p: Patient | None) -> str:
    if p is None:
        return ""
    return PatientSummary(
        p.id, p.birth_name, p.used_name, p.first_names, Sex(p.sex), p.birth_date, None, ""
    ).display_name


@dataclass
class _Lookup:
    """Names, patients and no-show counts loaded once per unit of work."""

    session: Session
    users: dict[int, User]
    patients: dict[int, Patient]
    no_shows: dict[int, int]

    @classmethod
    def of(cls, session: Session) -> _Lookup:
        return cls(session, {}, {}, {})

    def load(self, rows: Iterable[Appointment | WaitingListEntry]) -> None:
        rows = list(rows)
        patient_ids = {r.patient_id for r in rows} - set(self.patients)
        if patient_ids:
            for p in self.session.scalars(select(Patient).where(Patient.id.in_(patient_ids))):
                self.patients[p.id] = p
            counts = self.session.execute(
                select(Appointment.patient_id, func.count())
                .where(
                    Appointment.patient_id.in_(patient_ids),
                    Appointment.status == str(AppointmentStatus.NO_SHOW),
                )
                .group_by(Appointment.patient_id)
            ).all()
            self.no_shows.update({pid: 0 for pid in patient_ids})
            self.no_shows.update({pid: int(n) for pid, n in counts})

    def user(self, user_id: int | None) -> User | None:
        if user_id is None:
            return None
        if user_id not in self.users:
            user = self.session.get(User, user_id)
            if user is None:
                return None
            self.users[user_id] = user
        return self.users[user_id]

    def user_name(self, user_id: int | None) -> str:
        user = self.user(user_id)
        return user.display_name if user else ""

    def patient(self, patient_id: int) -> Patient | None:
        if patient_id not in self.patients:
            self.load_patient(patient_id)
        return self.patients.get(patient_id)

    def load_patient(self, patient_id: int) -> None:
        p = self.session.get(Patient, patient_id)
        if p is not None:
            self.patients[patient_id] = p
            self.no_shows[patient_id] = int(
                self.session.scalar(
                    select(func.count())
                    .select_from(Appointment)
                    .where(
                        Appointment.patient_id == patient_id,
                        Appointment.status == str(AppointmentStatus.NO_SHOW),
                    )
                )
                or 0
            )


@dataclass(frozen=True)
class _Slot:
    session: ConsultationSession
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC


class SchedulingBase:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        referrals: ReferralService,
        documents: DocumentService,
        codec: ContentCodec,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._referrals = referrals
        self._documents = documents
        self._codec = codec
        self._guard = Guard(db, audit)

    def _run(self, actor: Actor, work: Callable[[Session], T], *, write: bool = True) -> T:
        """``work(session)`` in one unit of work, through the kernel's guard: refusals and
        conflicts are audited after the rollback (nothing else is written)."""
        return self._guard.run(actor, work, write=write)

    def _refuse(
        self,
        actor: Actor,
        action: str,
        message: str,
        *,
        patient_id: int | None = None,
        object_type: str = "appointment",
        object_id: int | None = None,
    ) -> PermissionDenied:
        refusal = _Refusal(PermissionDenied(message), action, patient_id, object_type, object_id)
        error = self._guard.refuse(actor, refusal)
        assert isinstance(error, PermissionDenied)
        return error

    def _require(
        self,
        actor: Actor,
        resource: Resource,
        action: Action,
        audit_action: str,
        *,
        patient_id: int | None = None,
        object_type: str = "appointment",
        object_id: int | None = None,
    ) -> None:
        message = {
            (Resource.SESSIONS, Action.WRITE): SESSIONS_REFUSED,
            (Resource.APPOINTMENT, Action.WRITE): WRITE_REFUSED,
        }.get((resource, action), READ_REFUSED)
        self._guard.require(
            actor,
            resource,
            action,
            audit_action,
            message=message,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=object_type,
            object_id=object_id,
        )

    def _write(
        self, session: Session, actor: Actor, row: Appointment | WaitingListEntry, action: str
    ) -> None:
        """Audit a write on an appointment or a waiting-list entry (no content)."""
        kind = "appointment" if isinstance(row, Appointment) else "waiting_list_entry"
        detail = ""
        if isinstance(row, Appointment):
            detail = f"{fmt_datetime(row.starts_at)} : {row.status}"
        self._audit.add(
            session,
            actor,
            action,
            patient_id=row.patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=kind,
            object_id=row.id,
            detail=detail,
        )

    @staticmethod
    def _check_version(
        row: Appointment | WaitingListEntry | ConsultationSession,
        expected: int | None,
        mine: object,
        theirs: Callable[[], object],
    ) -> None:
        if expected is None or row.version == expected:
            return
        label = {
            Appointment: "Ce rendez-vous",
            WaitingListEntry: "Cette inscription en liste d'attente",
            ConsultationSession: "Cette permanence",
        }[type(row)]
        error = ConflictError(
            label,
            mine=mine,
            theirs=theirs(),
            extra={"expected_version": expected, "current_version": row.version},
        )
        object_type = {
            Appointment: "appointment",
            WaitingListEntry: "waiting_list_entry",
            ConsultationSession: "consultation_session",
        }[type(row)]
        raise _Conflict(error, object_type, row.id, getattr(row, "patient_id", None))

    @staticmethod
    def _exceptions(session: Session, ids: Iterable[int]) -> dict[int, list[SessionException]]:
        ids = list(ids)
        out: dict[int, list[SessionException]] = {i: [] for i in ids}
        if ids:
            rows = session.scalars(
                select(SessionException)
                .where(SessionException.session_id.in_(ids))
                .order_by(SessionException.day)
            )
            for e in rows:
                out[e.session_id].append(e)
        return out

    @staticmethod
    def _rule(s: ConsultationSession, exceptions: list[SessionException]) -> SessionRule:
        return SessionRule(
            weekday=s.weekday,
            opens=s.opens,
            closes=s.closes,
            slot_minutes=s.slot_minutes,
            first_date=s.first_date,
            every_weeks=s.every_weeks,
            last_date=s.last_date,
            cancelled=frozenset(e.day for e in exceptions if e.kind == "cancelled"),
            added=frozenset(e.day for e in exceptions if e.kind == "added"),
        )

    @staticmethod
    def _count(session: Session, *where) -> int:
        return int(session.scalar(select(func.count()).select_from(Appointment).where(*where)) or 0)

    def _wrap_stale(self, actor: Actor, work: Callable[[Session], T], label: str) -> T:
        try:
            return self._run(actor, work)
        except StaleDataError:
            raise ConflictError(label, mine=None, theirs=None) from None

    def _active_sessions(
        self, session: Session, professional_id: int | None
    ) -> list[tuple[ConsultationSession, SessionRule]]:
        query = select(ConsultationSession).where(ConsultationSession.active.is_(True))
        if professional_id is not None:
            query = query.where(ConsultationSession.professional_id == professional_id)
        rows = list(session.scalars(query.order_by(ConsultationSession.id)))
        exceptions = self._exceptions(session, [s.id for s in rows])
        return [(s, self._rule(s, exceptions[s.id])) for s in rows]

    def _slots(
        self,
        session: Session,
        professional_id: int | None,
        start: date,
        end: date,
    ) -> tuple[dict[date, list[_Slot]], dict[date, list[str]]]:
        """The slots of the active sessions between two clinic days, and why regular dates
        were skipped."""
        out: dict[date, list[_Slot]] = {}
        skipped: dict[date, list[str]] = {}
        for s, rule in self._active_sessions(session, professional_id):
            held, missed = session_days(rule, start, end)
            for d in held:
                for begin, finish in slots(rule, d.day):
                    out.setdefault(d.day, []).append(
                        _Slot(s, begin.astimezone(UTC), finish.astimezone(UTC))
                    )
            for m in missed:
                label = s.label or "Permanence"
                why = "annulée" if m.reason == "annulée" else f"jour férié : {m.reason}"
                cancelled = self._cancel_reason(session, s.id, m.day)
                if cancelled:
                    why = f"annulée : {cancelled}"
                skipped.setdefault(m.day, []).append(f"{label} {why}")
        for day_slots in out.values():
            day_slots.sort(key=lambda x: (x.starts_at, x.session.professional_id))
        return out, skipped

    @staticmethod
    def _cancel_reason(session: Session, session_id: int, day: date) -> str:
        row = session.scalar(
            select(SessionException.reason).where(
                SessionException.session_id == session_id,
                SessionException.day == day,
                SessionException.kind == "cancelled",
            )
        )
        return row or ""

    def _find_slot(self, session: Session, professional_id: int, starts_at: datetime) -> _Slot:
        day = local(starts_at).date()
        by_day, _skipped = self._slots(session, professional_id, day, day)
        for slot in by_day.get(day, []):
            if slot.starts_at == starts_at:
                return slot
        raise ValidationError(
            {
                "starts_at": "Ce créneau ne correspond à aucune permanence de ce professionnel "
                "(jour férié, date annulée ou horaire hors permanence)."
            }
        )

    def _sees_reason(self, actor: Actor, a: Appointment) -> bool:
        return policy.allows(
            actor.role,
            Resource.APPOINTMENT_REASON,
            Action.READ,
            is_own=actor.user_id is not None and actor.user_id == a.professional_id,
        )

    def _allowed(self, actor: Actor, a: Appointment) -> tuple[str, ...]:
        if not policy.allows(actor.role, Resource.APPOINTMENT, Action.WRITE):
            return ()
        status = AppointmentStatus(a.status)
        if status not in PENDING:
            return ()
        now = self._clock()
        out: list[str] = []
        if a.starts_at > now:
            if status is AppointmentStatus.BOOKED:
                out.append(AppointmentAction.CONFIRM)
            out.append(AppointmentAction.CANCEL)
        else:
            out.append(AppointmentAction.RECORD_NO_SHOW)
        if actor.user_id == a.professional_id and local(a.starts_at).date() <= local(now).date():
            out.append(AppointmentAction.RECORD_SEEN)
        return tuple(str(x) for x in out)

    def _reason(self, look: _Lookup, actor: Actor, a: Appointment) -> ReferralReason | None:
        """The appointment's reason: its referral's, for the appointment's professional (who
        holds the referral's key as its receiver). Others get nothing, by design: the policy
        table marks the reason as omitted from their lists (``policy.OMITTED``)."""
        if not self._sees_reason(actor, a):
            return None
        if a.referral_id is not None:
            referral = look.session.get(Referral, a.referral_id)
            if referral is not None:
                return self._referrals.reason_of(look.session, actor, referral)
        try:
            return ReferralReason(a.reason) if a.reason else None  # legacy rows
        except ValueError:
            return None

    def _status_reason(self, actor: Actor, a: Appointment) -> str:
        try:
            return SEALED_APPOINTMENT.read(self._codec, actor, a)["status_reason"] or ""
        except RelaisError:
            return ""

    def _record(self, look: _Lookup, actor: Actor, a: Appointment) -> AppointmentRecord:
        patient = look.patient(a.patient_id)
        status = AppointmentStatus(a.status)
        reason_code = self._reason(look, actor, a)
        reason = str(reason_code) if reason_code else ""
        reason_label = REFERRAL_REASON_LABELS[reason_code] if reason_code else ""
        return AppointmentRecord(
            id=a.id,
            patient_id=a.patient_id,
            patient_name=_patient_name(patient),
            patient_phone=patient.phone if patient else "",
            professional_id=a.professional_id,
            professional_name=look.user_name(a.professional_id),
            session_id=a.session_id,
            referral_id=a.referral_id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            place=a.place,
            room=a.room,
            status=status,
            status_label=APPOINTMENT_STATUS_LABELS[status],
            status_reason=self._status_reason(actor, a),
            reason=reason,
            reason_label=reason_label,
            booked_by_name=look.user_name(a.booked_by_id),
            called_at=a.called_at,
            confirmed_at=a.confirmed_at,
            version=a.version,
            active=status in OCCUPYING,
            no_show_count=look.no_shows.get(a.patient_id, 0),
            allowed_actions=self._allowed(actor, a),
            booked_at=a.booked_at,
        )

    def _records(
        self, session: Session, actor: Actor, rows: list[Appointment]
    ) -> list[AppointmentRecord]:
        look = _Lookup.of(session)
        look.load(rows)
        self._referrals.preload(
            session,
            actor,
            [a.referral_id for a in rows if a.referral_id and self._sees_reason(actor, a)],
        )
        return [self._record(look, actor, a) for a in rows]

    def _one(self, session: Session, actor: Actor, a: Appointment) -> AppointmentRecord:
        return self._records(session, actor, [a])[0]

    def _audit_read(
        self,
        session: Session,
        actor: Actor,
        object_type: str,
        *,
        patient_id: int | None = None,
        object_id: int | None = None,
        detail: str = "",
    ) -> None:
        self._audit.add(
            session,
            actor,
            AuditAction.READ,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )

    def _load(self, session: Session, appointment_id: int) -> Appointment:
        a = session.get(Appointment, appointment_id)
        if a is None:
            raise NotFound("Ce rendez-vous n'existe pas.")
        return a

    def _set_status(
        self, actor: Actor, a: Appointment, target: AppointmentStatus, reason: str = ""
    ) -> None:
        a.status = str(target)
        a.status_at = self._clock()
        a.status_by_id = actor.user_id
        if reason:
            SEALED_APPOINTMENT.write(self._codec, actor, a, {"status_reason": reason[:MAX_REASON]})

    def _end(
        self,
        session: Session,
        actor: Actor,
        a: Appointment,
        target: AppointmentStatus,
        reason: str,
    ) -> None:
        """Cancel (slot freed) or record a no-show; the referral goes back to « reçue »."""
        self._set_status(actor, a, target, reason)
        if target in CANCELLED:
            a.slot_key = None
            a.freed_notice_read_at = None
        if a.referral_id is not None:
            self._referrals.on_appointment_ended(
                session,
                actor,
                a.referral_id,
                seen=False,
                detail=REFERRAL_DETAIL_CANCELLED
                if target in CANCELLED
                else REFERRAL_DETAIL_NO_SHOW,
            )
        action = (
            AuditAction.APPOINTMENT_CANCEL
            if target in CANCELLED
            else AuditAction.APPOINTMENT_NO_SHOW
        )
        self._write(session, actor, a, action)


def _summary_of(s: ConsultationSession) -> str:
    return session_summary(s.weekday, s.every_weeks, s.opens, s.closes, s.room, s.slot_minutes)


def _regular_dates(first: date, every_weeks: int, start: date, end: date) -> set[date]:
    step = timedelta(weeks=every_weeks)
    current = first
    if current < start:
        current += step * ((start - current).days // step.days)
        while current < start:
            current += step
    out: set[date] = set()
    while current <= end:
        out.add(current)
        current += step
    return out
