"""The waiting list (urgent first, candidates for a freed slot), the call list of the day
before and the clinic cancellations to tell, and the scheduling inbox items."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import N_, _, ngettext
from app.models import Patient, Referral, User
from app.models.enums import Role
from app.models.scheduling import (
    Appointment,
    WaitingListEntry,
)
from app.services.inbox.records import InboxItem
from app.services.inbox.service import source_session
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError, ValidationError
from app.services.kernel.patient_rows import patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line
from app.services.kernel.timefmt import fmt_datetime
from app.services.scheduling.appointment_records import AppointmentRows
from app.services.scheduling.base import (
    ARCHIVED,
    FREED_NOTICE_DAYS,
    MAX_LIST,
    WAITING_SOURCE,
    SchedulingCore,
    _day_bounds,
    _Lookup,
    _Refusal,
    _utc,
)
from app.services.scheduling.freed_slots import freed_slots_statement
from app.services.scheduling.records import (
    APPOINTMENT_STATUS_LABELS,
    CANCELLED,
    PENDING,
    WAITING_STATUS_LABELS,
    WAITING_URGENCY_LABELS,
    AppointmentRecord,
    AppointmentStatus,
    WaitingEntryRecord,
    WaitingStatus,
    WaitingUrgency,
    fr_datetime,
)
from app.services.scheduling.slots import SlotCalendar
from app.services.security.sealed_fields import WAITING_LIST_ENTRY

TOO_LONG_PREFERENCES = N_("Les disponibilités sont trop longues (200 caractères au plus).")
NOT_THIS_REFERRAL = N_("Cette orientation ne concerne pas ce patient et ce professionnel.")
ALREADY_WAITING = N_("Ce patient est déjà en liste d'attente pour ce professionnel.")


class WaitingAndCalls:
    """The waiting list, the call list of the day before, freed slots to tell (inbox)."""

    def __init__(self, core: SchedulingCore, calendar: SlotCalendar, rows: AppointmentRows) -> None:
        self._core = core
        self._calendar = calendar
        self._rows = rows

    def _preferences(self, actor: Actor, e: WaitingListEntry) -> str:
        try:
            return WAITING_LIST_ENTRY.read(self._core.codec, actor, e)["preferences"] or ""
        except RelaisError:
            return ""

    def _entry_record(self, look: _Lookup, actor: Actor, e: WaitingListEntry) -> WaitingEntryRecord:
        patient = look.patient(e.patient_id)
        urgency = WaitingUrgency(e.urgency)
        status = WaitingStatus(e.status)
        return WaitingEntryRecord(
            id=e.id,
            patient_id=e.patient_id,
            patient_name=patient_name(patient),
            patient_phone=patient.phone if patient else "",
            professional_id=e.professional_id,
            referral_id=e.referral_id,
            urgency=urgency,
            preferences=self._preferences(actor, e),
            status=status,
            created_at=e.created_at,
            version=e.version,
            urgency_label=WAITING_URGENCY_LABELS[urgency],
            status_label=WAITING_STATUS_LABELS[status],
            appointment_id=e.appointment_id,
        )

    def _entries(
        self, session: Session, actor: Actor, rows: list[WaitingListEntry]
    ) -> list[WaitingEntryRecord]:
        look = _Lookup.of(session)
        look.load(rows)
        return [self._entry_record(look, actor, e) for e in rows]

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
        action = AuditAction.WAITING_LIST_ADD
        self._core.require(
            actor,
            Resource.APPOINTMENT,
            Action.WRITE,
            action,
            patient_id=patient_id,
            object_type="waiting_list_entry",
        )
        errors: dict[str, str] = {}
        try:
            level = WaitingUrgency(urgency)
        except ValueError:
            errors["urgency"] = _("Le degré d'urgence est inconnu.")
            level = WaitingUrgency.NORMAL
        preferences = clean_line(preferences or "")
        if len(preferences) > 200:
            errors["preferences"] = _(TOO_LONG_PREFERENCES)
        if errors:
            raise ValidationError(errors)

        def work(session: Session) -> WaitingEntryRecord:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            if patient.archived_at is not None:
                raise _Refusal(PermissionDenied(ARCHIVED), action, patient_id, "waiting_list_entry")
            user = session.get(User, professional_id)
            if user is None or not user.active or user.role != str(Role.SOCIAL_WORKER):
                raise ValidationError(
                    {"professional_id": _("Ce professionnel ne tient pas de permanence.")}
                )
            if referral_id is not None:
                r = session.get(Referral, referral_id)
                if r is None or r.patient_id != patient_id or r.receiver_id != professional_id:
                    raise ValidationError({"referral_id": _(NOT_THIS_REFERRAL)})
            if session.scalar(
                select(WaitingListEntry.id).where(
                    WaitingListEntry.patient_id == patient_id,
                    WaitingListEntry.professional_id == professional_id,
                    WaitingListEntry.status == str(WaitingStatus.WAITING),
                )
            ):
                raise ValidationError({"patient_id": _(ALREADY_WAITING)})
            now = self._core.clock()
            e = WaitingListEntry(
                patient_id=patient_id,
                professional_id=professional_id,
                referral_id=referral_id,
                urgency=str(level),
                status=str(WaitingStatus.WAITING),
                created_by_id=actor.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(e)
            session.flush()
            WAITING_LIST_ENTRY.write(self._core.codec, actor, e, {"preferences": preferences})
            self._core.write(session, actor, e, action)
            return self._entries(session, actor, [e])[0]

        return self._core.run(actor, work)

    def _waiting(self, session: Session, professional_id: int) -> list[WaitingListEntry]:
        rows = session.scalars(
            select(WaitingListEntry)
            .where(
                WaitingListEntry.professional_id == professional_id,
                WaitingListEntry.status == str(WaitingStatus.WAITING),
            )
            .order_by(WaitingListEntry.created_at, WaitingListEntry.id)
            .limit(MAX_LIST)
        ).all()
        return sorted(rows, key=lambda e: (e.urgency != str(WaitingUrgency.URGENT),))

    def waiting_list(self, actor: Actor, professional_id: int) -> list[WaitingEntryRecord]:
        """Patients waiting: urgent first, then oldest."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="waiting_list"
        )

        def work(session: Session) -> list[WaitingEntryRecord]:
            rows = self._waiting(session, professional_id)
            self._core.audit_read(
                session,
                actor,
                "waiting_list",
                object_id=professional_id,
                detail=f"{len(rows)} patient(s)",
            )
            return self._entries(session, actor, rows)

        return self._core.run(actor, work)

    def remove_from_waiting_list(
        self, actor: Actor, entry_id: int, *, expected_version: int | None = None
    ) -> None:
        action = AuditAction.WAITING_LIST_REMOVE
        self._core.require(
            actor,
            Resource.APPOINTMENT,
            Action.WRITE,
            action,
            object_type="waiting_list_entry",
            object_id=entry_id,
        )

        def work(session: Session) -> None:
            e = session.get(WaitingListEntry, entry_id)
            if e is None:
                raise NotFound(_("Cette inscription en liste d'attente n'existe pas."))
            self._core.check_version(
                e, expected_version, "retrait", lambda: self._entries(session, actor, [e])[0]
            )
            if e.status != str(WaitingStatus.WAITING):
                raise ValidationError({"entry_id": _("Ce patient n'est plus en liste d'attente.")})
            e.status = str(WaitingStatus.REMOVED)
            e.updated_at = self._core.clock()
            session.flush()
            self._core.write(session, actor, e, action)

        self._core.wrap_stale(actor, work, _("Cette inscription en liste d'attente"))

    def _candidates(
        self, session: Session, professional_id: int, starts_at: datetime, ends_at: datetime
    ) -> list[WaitingListEntry]:
        busy = set(
            session.scalars(
                select(Appointment.patient_id).where(
                    Appointment.status.in_([str(x) for x in PENDING]),
                    Appointment.starts_at < ends_at,
                    Appointment.ends_at > starts_at,
                )
            )
        )
        return [e for e in self._waiting(session, professional_id) if e.patient_id not in busy]

    def candidates_for(
        self, actor: Actor, professional_id: int, starts_at: datetime
    ) -> list[WaitingEntryRecord]:
        """Who could take this (freed) slot: waiting patients not already expected at that
        time, in waiting-list order."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="waiting_list"
        )
        starts_at = _utc(starts_at)

        def work(session: Session) -> list[WaitingEntryRecord]:
            try:
                ends_at = self._calendar.find_slot(session, professional_id, starts_at).ends_at
            except ValidationError:
                ends_at = starts_at + timedelta(minutes=30)
            rows = self._candidates(session, professional_id, starts_at, ends_at)
            self._core.audit_read(
                session,
                actor,
                "waiting_list",
                object_id=professional_id,
                detail=f"candidats pour le {fmt_datetime(starts_at)} : {len(rows)}",
            )
            return self._entries(session, actor, rows)

        return self._core.run(actor, work)

    def call_list(self, actor: Actor, day: date) -> list[AppointmentRecord]:
        """Appointments of ``day`` to call the day before — booked or confirmed, and those
        the clinic cancelled — by time; ``called_at`` says who was already called."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="call_list"
        )

        def work(session: Session) -> list[AppointmentRecord]:
            low, high = _day_bounds(day, day)
            statuses = [str(x) for x in PENDING] + [str(AppointmentStatus.CANCELLED_CLINIC)]
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.starts_at >= low,
                        Appointment.starts_at < high,
                        Appointment.status.in_(statuses),
                    )
                    .order_by(Appointment.starts_at, Appointment.professional_id, Appointment.id)
                )
            )
            self._core.audit_read(
                session, actor, "call_list", detail=f"{day.isoformat()} : {len(rows)} rendez-vous"
            )
            return self._rows.records(session, actor, rows)

        return self._core.run(actor, work)

    def to_notify(self, actor: Actor) -> list[AppointmentRecord]:
        """Appointments to come cancelled by the clinic whose patient was not called yet."""
        self._core.require(
            actor, Resource.APPOINTMENT, Action.READ, AuditAction.READ, object_type="call_list"
        )

        def work(session: Session) -> list[AppointmentRecord]:
            rows = self._to_notify(session)
            self._core.audit_read(session, actor, "call_list", detail=f"à prévenir : {len(rows)}")
            return self._rows.records(session, actor, rows)

        return self._core.run(actor, work)

    def _to_notify(self, session: Session) -> list[Appointment]:
        return list(
            session.scalars(
                select(Appointment)
                .where(
                    Appointment.status == str(AppointmentStatus.CANCELLED_CLINIC),
                    Appointment.called_at.is_(None),
                    Appointment.starts_at > self._core.clock(),
                )
                .order_by(Appointment.starts_at, Appointment.id)
                .limit(MAX_LIST)
            )
        )

    def mark_called(
        self, actor: Actor, appointment_id: int, *, confirmed: bool
    ) -> AppointmentRecord:
        """The patient was called: ``confirmed`` also confirms a booked appointment. A
        patient told of a clinic cancellation leaves the « à prévenir » list."""
        action = AuditAction.APPOINTMENT_CALL
        self._core.require(
            actor, Resource.APPOINTMENT, Action.WRITE, action, object_id=appointment_id
        )

        def work(session: Session) -> AppointmentRecord:
            a = self._core.load(session, appointment_id)
            status = AppointmentStatus(a.status)
            if status not in PENDING and status is not AppointmentStatus.CANCELLED_CLINIC:
                raise _Refusal(
                    RelaisError(
                        _(
                            "Ce rendez-vous est « {value} » : il n'y a plus personne à appeler."
                        ).format(value=APPOINTMENT_STATUS_LABELS[status])
                    ),
                    action,
                    a.patient_id,
                    object_id=a.id,
                )
            now = self._core.clock()
            a.called_at = now
            if confirmed and status is AppointmentStatus.BOOKED and a.starts_at > now:
                self._rows.set_status(actor, a, AppointmentStatus.CONFIRMED)
                a.confirmed_at = now
            session.flush()
            self._core.write(session, actor, a, action)
            return self._rows.one(session, actor, a)

        return self._core.wrap_stale(actor, work, _("Ce rendez-vous"))

    def _freed_slots(self, session: Session, professional_id: int, now: datetime) -> list:
        """The professional's cancelled appointments to come (cancelled lately), each with
        whether its slot was booked again and how many waiting patients could take it (not
        expected elsewhere at that time): one statement, not three per slot."""
        params = {
            "professional": professional_id,
            "now": now,
            "since": now - timedelta(days=FREED_NOTICE_DAYS),
        }
        return list(session.execute(freed_slots_statement(), params))

    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """For a professional: freed slots to come with patients waiting (« Créneau libéré le
        … : N patient(s) en liste d'attente »); for the secretariat: clinic cancellations
        whose patient is still to be told (they leave once the patient is called)."""
        if actor.user_id is None or not policy.allows(
            actor.role, Resource.APPOINTMENT, Action.READ
        ):
            return []
        now = self._core.clock()
        items: list[InboxItem] = []
        with source_session(self._core.db, session) as session:
            if actor.role == Role.SOCIAL_WORKER:
                seen: set[datetime] = set()
                for a in self._freed_slots(session, actor.user_id, now):
                    if a.starts_at in seen:
                        continue
                    seen.add(a.starts_at)
                    n = int(a.candidates or 0)
                    if a.rebooked or not n:
                        continue  # booked again since, or nobody to call
                    items.append(
                        InboxItem(
                            id=a.id,
                            kind="slot_freed",
                            text=ngettext(
                                "Créneau libéré le {starts_at} : {n} patient en liste d'attente.",
                                "Créneau libéré le {starts_at} : {n} patients en liste d'attente.",
                                n,
                            ).format(starts_at=fr_datetime(a.starts_at), n=n),
                            created_at=a.status_at or a.booked_at,
                            read_at=a.freed_notice_read_at,
                            source=WAITING_SOURCE,
                        )
                    )
            if actor.role == Role.SECRETARY:
                look = _Lookup.of(session)
                rows = self._to_notify(session)
                look.load(rows)
                for a in rows:
                    items.append(
                        InboxItem(
                            id=a.id,
                            kind="appointment_to_call",
                            text=_(
                                "Rendez-vous du {starts_at} avec {value} annulé par la maison de "
                                "santé (permanence annulée) : prévenir le patient."
                            ).format(
                                starts_at=fr_datetime(a.starts_at),
                                value=look.user_name(a.professional_id),
                            ),
                            created_at=a.status_at or a.booked_at,
                            read_at=None,
                            patient_id=a.patient_id,
                            patient_name=patient_name(look.patient(a.patient_id)),
                            source=WAITING_SOURCE,
                        )
                    )
        return items

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """A « créneau libéré » notice read by its professional. Clinic cancellations leave
        the secretariat's inbox when the patient is called (:meth:`mark_called`)."""
        if actor.user_id is None or actor.role != Role.SOCIAL_WORKER:
            return False
        with self._core.db.session() as session:
            a = session.get(Appointment, item_id)
            if (
                a is None
                or a.professional_id != actor.user_id
                or a.status not in {str(x) for x in CANCELLED}
                or a.freed_notice_read_at is not None
            ):
                return False
            # Not a change of the appointment itself: no version bump, no conflict.
            session.execute(
                Appointment.__table__.update()
                .where(Appointment.id == a.id)
                .values(freed_notice_read_at=self._core.clock())
            )
            return True
