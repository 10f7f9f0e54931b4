"""Consultation sessions (*permanences*): defined by the coordinator for any social worker
or by a social worker for herself; dates cancelled (with their appointments when asked) or
added by hand; validation in French, overlaps refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import clinic_today
from app.i18n import _, ngettext
from app.models import User
from app.models.enums import Compartment, Role
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
    SessionException,
)
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line
from app.services.scheduling.appointment_records import AppointmentRows
from app.services.scheduling.base import (
    MAX_REASON,
    OWN_SESSIONS_ONLY,
    DayHasAppointments,
    SchedulingCore,
    _day_bounds,
    _Refusal,
    _summary_of,
)
from app.services.scheduling.records import (
    PENDING,
    AppointmentStatus,
    SessionExceptionRecord,
    SessionInput,
    SessionRecord,
    weekday_name,
)
from app.services.scheduling.recurrence import SessionRule, session_days
from app.services.scheduling.session_checks import validate_session


class SessionManager:
    """Sessions and their dated exceptions (cancelled or added days)."""

    def __init__(self, core: SchedulingCore, rows: AppointmentRows) -> None:
        self._core = core
        self._rows = rows

    def _session_record(
        self, session: Session, s: ConsultationSession, exceptions: list[SessionException]
    ) -> SessionRecord:
        user = session.get(User, s.professional_id)
        return SessionRecord(
            id=s.id,
            professional_id=s.professional_id,
            professional_name=user.display_name if user else "",
            label=s.label,
            place=s.place,
            room=s.room,
            weekday=s.weekday,
            weekday_label=weekday_name(s.weekday),
            opens=s.opens,
            closes=s.closes,
            slot_minutes=s.slot_minutes,
            every_weeks=s.every_weeks,
            first_date=s.first_date,
            last_date=s.last_date,
            active=s.active,
            summary=_summary_of(s),
            exceptions=tuple(
                SessionExceptionRecord(
                    e.day,
                    e.kind,
                    e.reason,
                    _("Annulée") if e.kind == "cancelled" else _("Ajoutée"),
                )
                for e in exceptions
            ),
            version=s.version,
        )

    def _record_of_session(self, session: Session, s: ConsultationSession) -> SessionRecord:
        return self._session_record(session, s, self._core.exceptions(session, [s.id])[s.id])

    def sessions(
        self, actor: Actor, *, professional_id: int | None = None, include_inactive: bool = False
    ) -> list[SessionRecord]:
        """The sessions (of one professional, or all), active ones unless asked."""
        self._core.require(
            actor, Resource.SESSIONS, Action.READ, AuditAction.READ, object_type="sessions"
        )

        def work(session: Session) -> list[SessionRecord]:
            query = select(ConsultationSession).order_by(
                ConsultationSession.weekday, ConsultationSession.opens, ConsultationSession.id
            )
            if professional_id is not None:
                query = query.where(ConsultationSession.professional_id == professional_id)
            if not include_inactive:
                query = query.where(ConsultationSession.active.is_(True))
            rows = list(session.scalars(query))
            exceptions = self._core.exceptions(session, [s.id for s in rows])
            return [self._session_record(session, s, exceptions[s.id]) for s in rows]

        return self._core.run(actor, work, write=False)

    def professionals(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of the professionals who can hold sessions (active social workers)."""
        self._core.require(
            actor, Resource.SESSIONS, Action.READ, AuditAction.READ, object_type="sessions"
        )
        with self._core.db.session(write=False) as session:
            users = session.scalars(
                select(User)
                .where(User.role == str(Role.SOCIAL_WORKER), User.active.is_(True))
                .order_by(User.last_name, User.first_name, User.id)
            ).all()
            return [(u.id, u.display_name) for u in users]

    def _check_session_writer(
        self, actor: Actor, professional_id: int, action: str, object_id: int | None = None
    ) -> None:
        self._core.require(
            actor,
            Resource.SESSIONS,
            Action.WRITE,
            action,
            object_type="consultation_session",
            object_id=object_id,
        )
        if actor.role == Role.SOCIAL_WORKER and actor.user_id != professional_id:
            raise self._core.refuse(
                actor,
                action,
                OWN_SESSIONS_ONLY,
                object_type="consultation_session",
                object_id=object_id,
            )

    def create_session(self, actor: Actor, data: SessionInput) -> SessionRecord:
        """A new recurring session: coordinator for any social worker, a social worker for
        herself. ``ValidationError`` (French, per field) on bad input."""
        self._check_session_writer(actor, data.professional_id, AuditAction.SESSION_CREATE)

        def work(session: Session) -> SessionRecord:
            values = validate_session(session, data)
            s = ConsultationSession(
                **values, created_by_id=actor.user_id, created_at=self._core.clock()
            )
            session.add(s)
            session.flush()
            self._audit_session(session, actor, s, AuditAction.SESSION_CREATE)
            return self._session_record(session, s, [])

        return self._core.run(actor, work)

    def _audit_session(
        self, session: Session, actor: Actor, s: ConsultationSession, action: str, detail=""
    ) -> None:
        self._core.audit.add(
            session,
            actor,
            action,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="consultation_session",
            object_id=s.id,
            detail=detail,
        )

    def _load_session(
        self, session: Session, actor: Actor, session_id: int, action: str
    ) -> ConsultationSession:
        s = session.get(ConsultationSession, session_id)
        if s is None:
            raise NotFound(_("Cette permanence n'existe pas."))
        if actor.role == Role.SOCIAL_WORKER and actor.user_id != s.professional_id:
            raise _Refusal(
                PermissionDenied(OWN_SESSIONS_ONLY),
                action,
                object_type="consultation_session",
                object_id=s.id,
            )
        return s

    def update_session(
        self, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int
    ) -> SessionRecord:
        """Change the rule. Appointments already booked stay (shown apart in the agenda when
        their slot no longer exists). ``ConflictError`` on a stale version."""
        self._check_session_writer(
            actor, data.professional_id, AuditAction.SESSION_UPDATE, session_id
        )

        def work(session: Session) -> SessionRecord:
            s = self._load_session(session, actor, session_id, AuditAction.SESSION_UPDATE)
            self._core.check_version(
                s, expected_version, data, lambda: self._record_of_session(session, s)
            )
            if data.professional_id != s.professional_id:
                raise ValidationError(
                    {
                        "professional_id": _(
                            "Une permanence ne change pas de professionnel : créez-en une nouvelle."
                        )
                    }
                )
            values = validate_session(session, data, exclude_id=s.id)
            for key, value in values.items():
                setattr(s, key, value)
            session.flush()
            self._audit_session(session, actor, s, AuditAction.SESSION_UPDATE)
            return self._record_of_session(session, s)

        return self._core.wrap_stale(actor, work, _("Cette permanence"))

    def deactivate_session(
        self, actor: Actor, session_id: int, *, expected_version: int
    ) -> SessionRecord:
        """Stop a session; refused while appointments to come are booked in it."""
        self._core.require(
            actor,
            Resource.SESSIONS,
            Action.WRITE,
            AuditAction.SESSION_UPDATE,
            object_type="consultation_session",
            object_id=session_id,
        )

        def work(session: Session) -> SessionRecord:
            s = self._load_session(session, actor, session_id, AuditAction.SESSION_UPDATE)
            self._core.check_version(
                s, expected_version, _("arrêt"), lambda: self._record_of_session(session, s)
            )
            coming = self._core.count(
                session,
                Appointment.session_id == s.id,
                Appointment.status.in_([str(x) for x in PENDING]),
                Appointment.starts_at > self._core.clock(),
            )
            if coming:
                raise _Refusal(
                    RelaisError(
                        ngettext(
                            (
                                "{coming} rendez-vous à venir est fixé sur cette permanence "
                                ": annulez-le (ou annulez la date concernée) avant de "
                                "l'arrêter."
                            ),
                            (
                                "{coming} rendez-vous à venir sont fixés sur cette "
                                "permanence : annulez-les (ou annulez les dates concernées) "
                                "avant de l'arrêter."
                            ),
                            coming,
                        ).format(coming=coming)
                    ),
                    AuditAction.SESSION_UPDATE,
                    object_type="consultation_session",
                    object_id=s.id,
                )
            s.active = False
            session.flush()
            self._audit_session(session, actor, s, AuditAction.SESSION_UPDATE, "arrêtée")
            return self._record_of_session(session, s)

        return self._core.wrap_stale(actor, work, _("Cette permanence"))

    def _exception_check(self, actor: Actor, session_id: int) -> None:
        self._core.require(
            actor,
            Resource.SESSIONS,
            Action.WRITE,
            AuditAction.SESSION_EXCEPTION,
            object_type="consultation_session",
            object_id=session_id,
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
        """Cancel one date of the session. Refused (:class:`DayHasAppointments`, audited)
        when appointments are booked that day, unless ``cancel_appointments``: then each
        becomes « annulé par la maison de santé » with ``reason`` and waits for the
        secretary's call (``to_notify``)."""
        self._exception_check(actor, session_id)
        reason = clean_line(reason or "")
        if not reason:
            raise ValidationError({"reason": _("Indiquez pourquoi la permanence est annulée.")})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": _("Le motif est trop long (200 caractères au plus).")})

        def work(session: Session) -> SessionRecord:
            s = self._load_session(session, actor, session_id, AuditAction.SESSION_EXCEPTION)
            if day < clinic_today(self._core.clock):
                raise ValidationError({"day": _("Cette date est passée.")})
            exceptions = self._core.exceptions(session, [s.id])[s.id]
            held, _skipped = session_days(SessionRule.of(s, exceptions), day, day)
            if not held or not s.active:
                raise ValidationError({"day": _("Il n'y a pas de permanence ce jour-là.")})
            rows = _pending_that_day(session, s.id, day)
            if rows and not cancel_appointments:
                raise _Refusal(
                    DayHasAppointments(len(rows)),
                    AuditAction.SESSION_EXCEPTION,
                    object_type="consultation_session",
                    object_id=s.id,
                )
            for a in rows:
                self._rows.end(
                    session,
                    actor,
                    a,
                    AppointmentStatus.CANCELLED_CLINIC,
                    f"Permanence annulée : {reason}"[:MAX_REASON],
                )
            existing = next((e for e in exceptions if e.day == day), None)
            if existing is not None:  # a date added by hand: it is simply not held any more
                session.delete(existing)
            else:
                self._add_exception(session, actor, s, day, "cancelled", reason)
            session.flush()
            self._audit_session(
                session,
                actor,
                s,
                AuditAction.SESSION_EXCEPTION,
                f"{day.isoformat()} annulée ({len(rows)} rendez-vous annulé(s))",
            )
            return self._record_of_session(session, s)

        return self._core.run(actor, work)

    def _add_exception(
        self,
        session: Session,
        actor: Actor,
        s: ConsultationSession,
        day: date,
        kind: str,
        reason: str,
    ) -> None:
        """A date cancelled or added (``kind``) for ``s``, by ``actor``, now."""
        session.add(
            SessionException(
                session_id=s.id,
                day=day,
                kind=kind,
                reason=reason,
                created_by_id=actor.user_id,
                created_at=self._core.clock(),
            )
        )

    def add_day(self, actor: Actor, session_id: int, day: date, reason: str = "") -> SessionRecord:
        """Hold the session on an extra date (kept even on a public holiday); adding back a
        cancelled date removes the cancellation."""
        self._exception_check(actor, session_id)
        reason = clean_line(reason or "")[:MAX_REASON]

        def work(session: Session) -> SessionRecord:
            s = self._load_session(session, actor, session_id, AuditAction.SESSION_EXCEPTION)
            if day < clinic_today(self._core.clock):
                raise ValidationError({"day": _("Cette date est passée.")})
            exceptions = self._core.exceptions(session, [s.id])[s.id]
            existing = next((e for e in exceptions if e.day == day), None)
            if existing is not None and existing.kind == "added":
                raise ValidationError({"day": _("Cette date est déjà ajoutée.")})
            if existing is not None:
                session.delete(existing)
            else:
                held, _skipped = session_days(SessionRule.of(s, exceptions), day, day)
                if held:
                    raise ValidationError({"day": _("La permanence a déjà lieu ce jour-là.")})
                self._add_exception(session, actor, s, day, "added", reason)
            session.flush()
            self._audit_session(
                session, actor, s, AuditAction.SESSION_EXCEPTION, f"{day.isoformat()} ajoutée"
            )
            return self._record_of_session(session, s)

        return self._core.run(actor, work)

    def remove_exception(self, actor: Actor, session_id: int, day: date) -> SessionRecord:
        """Undo a cancelled or added date (an added date with appointments: cancel it with
        :meth:`cancel_day` instead)."""
        self._exception_check(actor, session_id)

        def work(session: Session) -> SessionRecord:
            s = self._load_session(session, actor, session_id, AuditAction.SESSION_EXCEPTION)
            row = session.scalar(
                select(SessionException).where(
                    SessionException.session_id == s.id, SessionException.day == day
                )
            )
            if row is None:
                raise ValidationError({"day": _("Aucune exception à cette date.")})
            if row.kind == "added":
                low, high = _day_bounds(day, day)
                if self._core.count(
                    session,
                    Appointment.session_id == s.id,
                    Appointment.status.in_([str(x) for x in PENDING]),
                    Appointment.starts_at >= low,
                    Appointment.starts_at < high,
                ):
                    raise ValidationError(
                        {
                            "day": _(
                                "Des rendez-vous sont fixés ce jour-là : annulez la date "
                                "(avec ses rendez-vous) plutôt que de retirer l'ajout."
                            )
                        }
                    )
            session.delete(row)
            session.flush()
            self._audit_session(
                session,
                actor,
                s,
                AuditAction.SESSION_EXCEPTION,
                f"{day.isoformat()} : exception retirée",
            )
            return self._record_of_session(session, s)

        return self._core.run(actor, work)


def _pending_that_day(session: Session, session_id: int, day: date) -> list[Appointment]:
    """The appointments to come of one date of a session."""
    low, high = _day_bounds(day, day)
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.session_id == session_id,
                Appointment.status.in_([str(x) for x in PENDING]),
                Appointment.starts_at >= low,
                Appointment.starts_at < high,
            )
            .order_by(Appointment.starts_at)
        )
    )
