"""The scheduling feature's shared core: its messages and errors, the names and patients
loaded once per unit of work (``_Lookup``), and ``SchedulingCore`` — the guard (refusals
audited after the rollback, conflicts), audit entries and loading, handed to every
collaborator of ``SchedulingService``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.clock import CLINIC_TZ, Clock
from app.i18n import _, ngettext
from app.models import Patient, User
from app.models.db import Database
from app.models.enums import Compartment
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
    SessionException,
    WaitingListEntry,
)
from app.services.audit.writer import AuditWriter
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
from app.services.kernel.timefmt import fmt_datetime
from app.services.patient_file.documents import DocumentService
from app.services.referrals.service import ReferralService
from app.services.scheduling.records import (
    AppointmentStatus,
    session_summary,
)
from app.services.security.codec import ContentCodec

T = TypeVar("T")

SESSIONS_REFUSED = "Votre rôle ne permet pas de définir les permanences."
OWN_SESSIONS_ONLY = "Une assistante sociale ne définit que ses propres permanences."
WRITE_REFUSED = "Votre rôle ne permet pas de fixer ni de modifier un rendez-vous."
READ_REFUSED = "Votre rôle ne permet pas de consulter les rendez-vous."
OWN_AGENDA_ONLY = "Vous ne pouvez fixer un rendez-vous que dans votre propre agenda."
SEEN_REFUSED = "Seul le professionnel du rendez-vous peut indiquer que le patient a été reçu."
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
            ngettext(
                (
                    "{count} rendez-vous est fixé ce jour-là. Confirmez "
                    "l'annulation des rendez-vous : ils seront annulés par la "
                    "maison de santé avec ce motif, et les patients apparaîtront "
                    "dans la liste « à prévenir » du secrétariat."
                ),
                (
                    "{count} rendez-vous sont fixés ce jour-là. Confirmez "
                    "l'annulation des rendez-vous : ils seront annulés par la "
                    "maison de santé avec ce motif, et les patients apparaîtront "
                    "dans la liste « à prévenir » du secrétariat."
                ),
                count,
            ).format(count=count)
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
        raise ValidationError({"starts_at": _("Heure sans fuseau horaire.")})
    return value.astimezone(UTC)


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC bounds of the clinic-time days ``start`` … ``end`` (inclusive)."""
    low = datetime.combine(start, time(0), tzinfo=CLINIC_TZ).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=CLINIC_TZ).astimezone(UTC)
    return low, high


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


class SchedulingCore:
    """What every scheduling collaborator shares: storage, audit, clock, the referral and
    document services, the content codec and the kernel's guard."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        referrals: ReferralService,
        documents: DocumentService,
        codec: ContentCodec,
    ) -> None:
        self.db = db
        self.audit = audit
        self.clock = clock
        self.referrals = referrals
        self.documents = documents
        self.codec = codec
        self.guard = Guard(db, audit)

    def run(self, actor: Actor, work: Callable[[Session], T], *, write: bool = True) -> T:
        """``work(session)`` in one unit of work, through the kernel's guard: refusals and
        conflicts are audited after the rollback (nothing else is written)."""
        return self.guard.run(actor, work, write=write)

    def refuse(
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
        error = self.guard.refuse(actor, refusal)
        assert isinstance(error, PermissionDenied)
        return error

    def require(
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
        self.guard.require(
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

    def write(
        self, session: Session, actor: Actor, row: Appointment | WaitingListEntry, action: str
    ) -> None:
        """Audit a write on an appointment or a waiting-list entry (no content)."""
        kind = "appointment" if isinstance(row, Appointment) else "waiting_list_entry"
        detail = ""
        if isinstance(row, Appointment):
            detail = f"{fmt_datetime(row.starts_at)} : {row.status}"
        self.audit.add(
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
    def check_version(
        row: Appointment | WaitingListEntry | ConsultationSession,
        expected: int | None,
        mine: object,
        theirs: Callable[[], object],
    ) -> None:
        if expected is None or row.version == expected:
            return
        label = {
            Appointment: _("Ce rendez-vous"),
            WaitingListEntry: _("Cette inscription en liste d'attente"),
            ConsultationSession: _("Cette permanence"),
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
    def exceptions(session: Session, ids: Iterable[int]) -> dict[int, list[SessionException]]:
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
    def count(session: Session, *where) -> int:
        return int(session.scalar(select(func.count()).select_from(Appointment).where(*where)) or 0)

    def wrap_stale(self, actor: Actor, work: Callable[[Session], T], label: str) -> T:
        try:
            return self.run(actor, work)
        except StaleDataError:
            raise ConflictError(label, mine=None, theirs=None) from None

    def audit_read(
        self,
        session: Session,
        actor: Actor,
        object_type: str,
        *,
        patient_id: int | None = None,
        object_id: int | None = None,
        detail: str = "",
    ) -> None:
        self.audit.add(
            session,
            actor,
            AuditAction.READ,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )

    def load(self, session: Session, appointment_id: int) -> Appointment:
        a = session.get(Appointment, appointment_id)
        if a is None:
            raise NotFound(_("Ce rendez-vous n'existe pas."))
        return a


def _summary_of(s: ConsultationSession) -> str:
    return session_summary(s.weekday, s.every_weeks, s.opens, s.closes, s.room, s.slot_minutes)
