"""Appointment records as one user may see them (the reason for the appointment's
professional only, the actions allowed), status changes and the end of an appointment
(slot freed, referral back to « reçue »)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Referral
from app.models.scheduling import (
    Appointment,
)
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    RelaisError,
)
from app.services.kernel.patient_rows import patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import local
from app.services.referrals.records import REFERRAL_REASON_LABELS, ReferralReason
from app.services.scheduling.base import MAX_REASON, SchedulingCore, _Lookup
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
)
from app.services.security.sealed_fields import APPOINTMENT as SEALED_APPOINTMENT


class AppointmentRows:
    """Builds ``AppointmentRecord``s and ends appointments, for the other collaborators."""

    def __init__(self, core: SchedulingCore) -> None:
        self._core = core

    def sees_reason(self, actor: Actor, a: Appointment) -> bool:
        return policy.allows(
            actor.role,
            Resource.APPOINTMENT_REASON,
            Action.READ,
            is_own=actor.user_id is not None and actor.user_id == a.professional_id,
        )

    def allowed(self, actor: Actor, a: Appointment) -> tuple[str, ...]:
        if not policy.allows(actor.role, Resource.APPOINTMENT, Action.WRITE):
            return ()
        status = AppointmentStatus(a.status)
        if status not in PENDING:
            return ()
        now = self._core.clock()
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

    def reason(self, look: _Lookup, actor: Actor, a: Appointment) -> ReferralReason | None:
        """The appointment's reason: its referral's, for the appointment's professional (who
        holds the referral's key as its receiver). Others get nothing, by design: the policy
        table marks the reason as omitted from their lists (``policy.OMITTED``)."""
        if not self.sees_reason(actor, a):
            return None
        if a.referral_id is not None:
            referral = look.session.get(Referral, a.referral_id)
            if referral is not None:
                return self._core.referrals.reason_of(look.session, actor, referral)
        try:
            return ReferralReason(a.reason) if a.reason else None  # legacy rows
        except ValueError:
            return None

    def status_reason(self, actor: Actor, a: Appointment) -> str:
        try:
            return SEALED_APPOINTMENT.read(self._core.codec, actor, a)["status_reason"] or ""
        except RelaisError:
            return ""

    def record(self, look: _Lookup, actor: Actor, a: Appointment) -> AppointmentRecord:
        patient = look.patient(a.patient_id)
        status = AppointmentStatus(a.status)
        reason_code = self.reason(look, actor, a)
        reason = str(reason_code) if reason_code else ""
        reason_label = REFERRAL_REASON_LABELS[reason_code] if reason_code else ""
        return AppointmentRecord(
            id=a.id,
            patient_id=a.patient_id,
            patient_name=patient_name(patient),
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
            status_reason=self.status_reason(actor, a),
            reason=reason,
            reason_label=reason_label,
            booked_by_name=look.user_name(a.booked_by_id),
            called_at=a.called_at,
            confirmed_at=a.confirmed_at,
            version=a.version,
            active=status in OCCUPYING,
            no_show_count=look.no_shows.get(a.patient_id, 0),
            allowed_actions=self.allowed(actor, a),
            booked_at=a.booked_at,
        )

    def records(
        self, session: Session, actor: Actor, rows: list[Appointment]
    ) -> list[AppointmentRecord]:
        look = _Lookup.of(session)
        look.load(rows)
        self._core.referrals.preload(
            session,
            actor,
            [a.referral_id for a in rows if a.referral_id and self.sees_reason(actor, a)],
        )
        return [self.record(look, actor, a) for a in rows]

    def one(self, session: Session, actor: Actor, a: Appointment) -> AppointmentRecord:
        return self.records(session, actor, [a])[0]

    def set_status(
        self, actor: Actor, a: Appointment, target: AppointmentStatus, reason: str = ""
    ) -> None:
        a.status = str(target)
        a.status_at = self._core.clock()
        a.status_by_id = actor.user_id
        if reason:
            SEALED_APPOINTMENT.write(
                self._core.codec, actor, a, {"status_reason": reason[:MAX_REASON]}
            )

    def end(
        self,
        session: Session,
        actor: Actor,
        a: Appointment,
        target: AppointmentStatus,
        reason: str,
    ) -> None:
        """Cancel (slot freed) or record a no-show; the referral goes back to « reçue »."""
        self.set_status(actor, a, target, reason)
        if target in CANCELLED:
            a.slot_key = None
            a.freed_notice_read_at = None
        if a.referral_id is not None:
            self._core.referrals.on_appointment_ended(
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
        self._core.write(session, actor, a, action)
