"""Referral transitions: the event every step writes, the gate each call on one referral goes
through, and the hooks other services call in their own unit of work (consent withdrawn,
appointment booked or ended)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Patient, Referral
from app.models import ReferralEvent as EventRow
from app.models.enums import Compartment
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
from app.services.kernel.guard import Conflict
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import fmt_datetime
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentScope
from app.services.referrals.errors import (
    ARCHIVED,
    CONSENT_WITHDRAWN,
    NOT_HANDLER,
    NOT_SENDER,
    WRITE_REFUSED,
    ReferralRefusal,
    TransitionRefused,
)
from app.services.referrals.reading import ReferralReader
from app.services.referrals.records import (
    ACTION_TARGET,
    FEEDBACK_STATUSES,
    FEEDBACK_TAKEN_ON,
    NOT_YET_RECEIVED,
    REFERRAL_STATUS_LABELS,
    ReferralAction,
    ReferralStatus,
    user_transition,
)
from app.services.referrals.store import (
    ReferralStore,
    StorePart,
    destination_scope,
    handler_id,
)


class ReferralTransitions(StorePart):
    """Writes transitions; checks who may do what on one referral."""

    def __init__(self, store: ReferralStore, reader: ReferralReader) -> None:
        super().__init__(store)
        self._view = reader.view

    # ---- events -------------------------------------------------------------------------
    def event(
        self,
        session: Session,
        actor: Actor | None,
        r: Referral,
        target: ReferralStatus,
        audit_action: str,
        detail: str = "",
        *,
        private: str | dict = "",
    ) -> None:
        """A transition. ``detail`` is plain (a fixed phrase, an appointment time: nothing
        about the patient's situation) and goes to the audit too; ``private`` (shared items,
        guide rule, reorientation) is sealed under the referral's key, for its parties."""
        now = self._clock()
        previous = r.status
        row = EventRow(
            referral_id=r.id,
            from_status=previous or "",
            to_status=str(target),
            at=now,
            actor_id=actor.user_id if actor else None,
            detail=detail[:200],
        )
        session.add(row)
        if private:
            assert actor is not None, "a private detail needs a party's session"
            session.flush()
            row.sealed_detail = self._seal(
                session,
                actor,
                r,
                {"text": private[:200]} if isinstance(private, str) else private,
                f"event:{row.id}",
            )
        r.status = str(target)
        r.updated_at = now
        column = {
            ReferralStatus.SENT: "sent_at",
            ReferralStatus.RECEIVED: "received_at",
            ReferralStatus.APPOINTMENT_BOOKED: "booked_at",
            ReferralStatus.SEEN: "seen_at",
        }.get(target)
        if column and getattr(r, column) is None:
            setattr(r, column, now)
        if target in (
            ReferralStatus.CLOSED,
            ReferralStatus.REORIENTED,
            ReferralStatus.REFUSED_BY_PATIENT,
            ReferralStatus.CANCELLED,
        ):
            r.closed_at = now
        self.mark_own_side(r, actor, now)
        self._audit.add(
            session,
            actor,
            audit_action,
            patient_id=r.patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=r.id,
            detail=REFERRAL_STATUS_LABELS.step(previous, target)
            + (f" ({detail})" if detail else ""),
        )

    @staticmethod
    def mark_own_side(r: Referral, actor: Actor | None, now: datetime) -> None:
        if actor is None or actor.user_id is None:
            return
        if actor.user_id == r.sender_id:
            r.sender_seen_at = now
        if actor.user_id == r.receiver_id:
            r.receiver_seen_at = now

    # ---- the gate every call on one referral goes through -------------------------------
    def load_for_action(
        self,
        session: Session,
        actor: Actor,
        referral_id: int,
        action: ReferralAction,
        expected_version: int | None = None,
        mine=None,
        target: ReferralStatus | None = None,
    ) -> Referral:
        r = session.get(Referral, referral_id)
        if r is None:
            raise NotFound(_("Cette orientation n'existe pas."))
        audit_action = AUDIT_OF[action]
        patient = session.get(Patient, r.patient_id)
        if not policy.allows(actor.role, Resource.REFERRAL, Action.WRITE):
            raise ReferralRefusal(PermissionDenied(WRITE_REFUSED), audit_action, r.patient_id, r.id)
        sender_action = action in (
            ReferralAction.UPDATE_DRAFT,
            ReferralAction.SEND,
            ReferralAction.CANCEL,
        )
        if sender_action and actor.user_id != r.sender_id:
            raise ReferralRefusal(PermissionDenied(NOT_SENDER), audit_action, r.patient_id, r.id)
        if not sender_action and actor.user_id != handler_id(r):
            raise ReferralRefusal(PermissionDenied(NOT_HANDLER), audit_action, r.patient_id, r.id)
        current = ReferralStatus(r.status)
        if action is ReferralAction.UPDATE_DRAFT:
            if current is not ReferralStatus.DRAFT:
                raise ReferralRefusal(
                    TransitionRefused(current, ReferralStatus.DRAFT),
                    audit_action,
                    r.patient_id,
                    r.id,
                )
        elif action is ReferralAction.SEND_FEEDBACK:
            if current not in FEEDBACK_STATUSES:
                error = RelaisError(
                    _(
                        "Un retour d'orientation ne peut être envoyé qu'une fois "
                        "l'orientation reçue."
                    )
                )
                raise ReferralRefusal(error, audit_action, r.patient_id, r.id)
        else:
            target = target or ACTION_TARGET[action]
            if not user_transition(current, target):
                raise ReferralRefusal(
                    TransitionRefused(current, target), audit_action, r.patient_id, r.id
                )
        if patient is not None and patient.archived_at is not None:
            raise ReferralRefusal(PermissionDenied(ARCHIVED), audit_action, r.patient_id, r.id)
        if expected_version is not None and r.version != expected_version:
            theirs = self._view(session, actor, r)
            raise Conflict(
                ConflictError(
                    _("Cette orientation"),
                    mine=mine if mine is not None else str(action),
                    theirs=theirs,
                    theirs_by=theirs.events[-1].actor_name if theirs.events else "",
                    theirs_at=r.updated_at,
                    extra={"expected_version": expected_version, "current_version": r.version},
                ),
                patient_id=r.patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                object_id=r.id,
            )
        return r

    # ---- consent withdrawal -------------------------------------------------------------
    def cancel_for_consent(self, session: Session, actor: Actor | None, r: Referral) -> None:
        self.event(
            session,
            actor,
            r,
            ReferralStatus.CANCELLED,
            AuditAction.REFERRAL_CANCEL,
            CONSENT_WITHDRAWN,
        )
        r.content = None  # nothing of it may reach the receiver any more

    def on_consent_withdrawn(
        self,
        session: Session,
        actor: Actor | None,
        patient_id: int,
        scope: ConsentScope | str,
        partner_id: int | None = None,
    ) -> int:
        """Cancel, in the caller's unit of work, the patient's referrals not yet received
        (draft or sent) that the withdrawn (or refused) consent covered. Returns how many.

        A hook of ``ConsentService.on_withdrawal``. Liaison consent cancels nothing: liaison
        notes are checked at sending and hidden from the views at once."""
        scope = ConsentScope(scope)
        query = select(Referral).where(
            Referral.patient_id == patient_id,
            Referral.status.in_([str(s) for s in NOT_YET_RECEIVED]),
        )
        if scope is ConsentScope.REFERRAL_CARSAT:
            query = query.where(Referral.receiver_id.is_not(None))
        elif scope is ConsentScope.PARTNER and partner_id is not None:
            query = query.where(Referral.partner_id == partner_id)
        else:
            return 0
        rows = list(session.scalars(query))
        for r in rows:
            self.cancel_for_consent(session, actor, r)
        return len(rows)

    # ---- appointments (hooks of the scheduling service, in its unit of work) -------------
    def on_appointment_booked(
        self,
        session: Session,
        actor: Actor,
        referral_id: int,
        *,
        patient_id: int,
        professional_id: int,
        when: datetime,
    ) -> None:
        """An appointment was booked from this referral (by the social worker or a
        secretary): sent → received (recorded first) → appointment_booked, each with its
        event and audit entry. The appointment's reason is the referral's, read through the
        referral's key by its professional (the receiver): it is never copied.

        Raises ``ValidationError`` (wrong patient or professional), ``TransitionRefused`` or
        ``PermissionDenied`` (consent withdrawn, archived file); the caller audits refusals
        and its unit of work rolls back."""
        r = session.get(Referral, referral_id)
        if r is None:
            raise NotFound(_("Cette orientation n'existe pas."))
        if r.patient_id != patient_id:
            raise ValidationError(
                {"referral_id": _("Cette orientation concerne un autre patient.")}
            )
        if r.receiver_id is None or r.receiver_id != professional_id:
            raise ValidationError(
                {
                    "referral_id": _(
                        "Cette orientation n'est pas adressée à ce professionnel : "
                        "fixez le rendez-vous dans l'agenda de son (sa) destinataire."
                    )
                }
            )
        current = ReferralStatus(r.status)
        if current not in (ReferralStatus.SENT, ReferralStatus.RECEIVED):
            raise TransitionRefused(current, ReferralStatus.APPOINTMENT_BOOKED)
        patient = session.get(Patient, r.patient_id)
        if patient is not None and patient.archived_at is not None:
            raise PermissionDenied(ARCHIVED)
        scope, partner_id = destination_scope(r)
        if not consent_active(session, r.patient_id, scope, partner_id):
            raise PermissionDenied(
                _(
                    "Le patient a retiré son consentement à cette orientation : aucun rendez-vous "
                    "ne peut être fixé à partir d'elle."
                )
            )
        if current is ReferralStatus.SENT:
            self.event(
                session,
                actor,
                r,
                ReferralStatus.RECEIVED,
                AuditAction.REFERRAL_ACKNOWLEDGE,
                "à la prise de rendez-vous",
            )
            r.feedback_summary = r.feedback_summary or FEEDBACK_TAKEN_ON
        self.event(
            session,
            actor,
            r,
            ReferralStatus.APPOINTMENT_BOOKED,
            AuditAction.REFERRAL_BOOK,
            f"rendez-vous le {fmt_datetime(when)}",
        )

    def on_appointment_ended(
        self, session: Session, actor: Actor, referral_id: int, *, seen: bool, detail: str = ""
    ) -> bool:
        """The referral's appointment took place (``seen``: → patient reçu) or not (cancelled
        or missed: appointment_booked → received, so it can be booked again). Does nothing
        when the referral has moved on meanwhile. True when it changed."""
        r = session.get(Referral, referral_id)
        if r is None:
            return False
        current = ReferralStatus(r.status)
        if seen:
            if current not in (ReferralStatus.RECEIVED, ReferralStatus.APPOINTMENT_BOOKED):
                return False
            self.event(
                session, actor, r, ReferralStatus.SEEN, AuditAction.REFERRAL_SEEN, "rendez-vous"
            )
            return True
        if current is not ReferralStatus.APPOINTMENT_BOOKED:
            return False
        self.event(session, actor, r, ReferralStatus.RECEIVED, AuditAction.REFERRAL_UNBOOK, detail)
        return True


AUDIT_OF: dict[ReferralAction, str] = {
    ReferralAction.UPDATE_DRAFT: AuditAction.REFERRAL_UPDATE,
    ReferralAction.SEND: AuditAction.REFERRAL_SEND,
    ReferralAction.CANCEL: AuditAction.REFERRAL_CANCEL,
    ReferralAction.ACKNOWLEDGE: AuditAction.REFERRAL_ACKNOWLEDGE,
    ReferralAction.BOOK: AuditAction.REFERRAL_BOOK,
    ReferralAction.RECORD_SEEN: AuditAction.REFERRAL_SEEN,
    ReferralAction.CLOSE: AuditAction.REFERRAL_CLOSE,
    ReferralAction.REORIENT: AuditAction.REFERRAL_REORIENT,
    ReferralAction.SEND_FEEDBACK: AuditAction.REFERRAL_FEEDBACK,
}


class ReferralPart(StorePart):
    """What the drafts, sending and steps collaborators of ``ReferralService`` share: the
    store (database, audit, clock, keys), the reader's view and the transitions' hooks."""

    def __init__(
        self, store: ReferralStore, reader: ReferralReader, transitions: ReferralTransitions
    ) -> None:
        super().__init__(store)
        self._view = reader.view
        self._event = transitions.event
        self._load_for_action = transitions.load_for_action
