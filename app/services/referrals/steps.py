"""The receiver's steps on a referral (acknowledge, book, seen, close, feedback, reorient) and
the sender's cancellation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Partner, Referral
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    PermissionDenied,
    ValidationError,
)
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import fmt_datetime
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentScope
from app.services.referrals.errors import (
    CONSENT_WITHDRAWN,
    MAX_MESSAGE,
    MAX_OUTCOME,
    RULE_CODES,
    FeedbackNotShared,
)
from app.services.referrals.reading import ReferralReader
from app.services.referrals.records import (
    ACTION_TARGET,
    FEEDBACK_CLOSED,
    FEEDBACK_REORIENTED,
    FEEDBACK_TAKEN_ON,
    ReferralAction,
    ReferralStatus,
    ReferralView,
)
from app.services.referrals.store import (
    ReferralStore,
    destination_scope,
)
from app.services.referrals.transitions import AUDIT_OF, ReferralPart, ReferralTransitions


class ReferralSteps(ReferralPart):
    """The steps after sending."""

    def __init__(
        self, store: ReferralStore, reader: ReferralReader, transitions: ReferralTransitions
    ) -> None:
        super().__init__(store, reader, transitions)
        self._cancel_for_consent = transitions.cancel_for_consent
        self._mark_own_side = transitions.mark_own_side

    # ---- the receiver's steps -----------------------------------------------------------
    def acknowledge(
        self, actor: Actor, referral_id: int, *, expected_version: int | None = None
    ) -> ReferralView:
        """The receiver has it (sent → received). If the patient withdrew their consent
        meanwhile, the referral is cancelled instead and the acknowledgement refused."""
        withdrawn: list[ReferralView] = []

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.ACKNOWLEDGE, expected_version
            )
            scope, partner_id = destination_scope(r)
            if not consent_active(session, r.patient_id, scope, partner_id):
                self._cancel_for_consent(session, actor, r)
                session.flush()
                withdrawn.append(self._view(session, actor, r))
                return withdrawn[0]
            self._event(
                session, actor, r, ReferralStatus.RECEIVED, AuditAction.REFERRAL_ACKNOWLEDGE
            )
            r.feedback_summary = FEEDBACK_TAKEN_ON
            session.flush()
            return self._view(session, actor, r)

        view = self._run(actor, work)
        if withdrawn:
            self._audit.refused(
                actor,
                AuditAction.REFERRAL_ACKNOWLEDGE,
                patient_id=view.summary.patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                object_id=view.id,
                detail=CONSENT_WITHDRAWN,
            )
            raise PermissionDenied(
                _(
                    "Le patient a retiré son consentement à cette orientation : elle est annulée "
                    "et son contenu ne vous est pas transmis."
                )
            )
        return view

    def book(
        self,
        actor: Actor,
        referral_id: int,
        when: datetime | None = None,
        *,
        expected_version: int | None = None,
    ) -> ReferralView:
        detail = f"rendez-vous le {fmt_datetime(when)}" if when else ""
        return self._step(actor, referral_id, ReferralAction.BOOK, expected_version, detail=detail)

    def record_seen(
        self, actor: Actor, referral_id: int, *, expected_version: int | None = None
    ) -> ReferralView:
        return self._step(actor, referral_id, ReferralAction.RECORD_SEEN, expected_version)

    def _step(
        self,
        actor: Actor,
        referral_id: int,
        action: ReferralAction,
        expected_version: int | None,
        *,
        detail: str = "",
    ) -> ReferralView:
        def work(session: Session) -> ReferralView:
            r = self._load_for_action(session, actor, referral_id, action, expected_version)
            self._event(session, actor, r, ACTION_TARGET[action], AUDIT_OF[action], detail)
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)

    def close(
        self,
        actor: Actor,
        referral_id: int,
        *,
        outcome: str,
        feedback: str | None = None,
        expected_version: int | None = None,
    ) -> ReferralView:
        """Close with an outcome (shown to the sender). A feedback text goes with it when the
        patient's liaison consent allows; otherwise the referral is closed all the same and
        :class:`FeedbackNotShared` says the text was not kept."""
        outcome = clean_line(outcome or "")
        if not outcome:
            raise ValidationError({"outcome": _("Indiquez l'issue de l'orientation.")})
        if len(outcome) > MAX_OUTCOME:
            raise ValidationError(
                {
                    "outcome": _(
                        "L'issue est trop longue ({MAX_OUTCOME} caractères au plus)."
                    ).format(MAX_OUTCOME=MAX_OUTCOME)
                }
            )
        text = self._clean_feedback(feedback) if feedback else ""
        reduced: list[bool] = []

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.CLOSE, expected_version
            )
            self._event(session, actor, r, ReferralStatus.CLOSED, AuditAction.REFERRAL_CLOSE)
            content = self._open(session, actor, r, r.content)
            content["outcome"] = outcome
            r.content = self._seal(session, actor, r, content)
            r.outcome = "renseignée"
            r.feedback_summary = FEEDBACK_CLOSED
            if text:
                reduced.append(not self._store_feedback(session, actor, r, text))
            session.flush()
            return self._view(session, actor, r)

        view = self._run(actor, work)
        if reduced and reduced[0]:
            raise self._feedback_refused(actor, view)
        return view

    @staticmethod
    def _clean_feedback(text: str) -> str:
        text = clean_text(text or "")
        if not text:
            raise ValidationError({"feedback": _("Le retour d'orientation est vide.")})
        if len(text) > MAX_MESSAGE:
            raise ValidationError(
                {"feedback": _("Le retour est trop long (20 000 caractères au plus).")}
            )
        return text

    def _store_feedback(self, session: Session, actor: Actor, r: Referral, text: str) -> bool:
        """Seal the feedback if liaison consent is active; False when it was not kept."""
        if not consent_active(session, r.patient_id, ConsentScope.LIAISON):
            return False
        r.feedback = self._seal(
            session, actor, r, {"text": text, "at": self._clock().isoformat()}, "feedback"
        )
        r.updated_at = self._clock()
        self._mark_own_side(r, actor, r.updated_at)
        self._audit.add(
            session,
            actor,
            AuditAction.REFERRAL_FEEDBACK,
            patient_id=r.patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=r.id,
        )
        return True

    def _feedback_refused(self, actor: Actor, view: ReferralView) -> FeedbackNotShared:
        self._audit.refused(
            actor,
            AuditAction.REFERRAL_FEEDBACK,
            patient_id=view.summary.patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=view.id,
            detail="pas de consentement de liaison : retour réduit",
        )
        return FeedbackNotShared(view.feedback_summary, view)

    def send_feedback(
        self, actor: Actor, referral_id: int, text: str, *, expected_version: int | None = None
    ) -> ReferralView:
        """The *retour d'orientation*, from the receiver to the sender, sealed in the liaison
        compartment while the patient's liaison consent is active; otherwise only the
        summary (« pris en charge » / « clôturé ») reaches the sender and
        :class:`FeedbackNotShared` is raised."""
        text = self._clean_feedback(text)
        reduced: list[bool] = []

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.SEND_FEEDBACK, expected_version
            )
            if not self._store_feedback(session, actor, r, text):
                reduced.append(True)
                if not r.feedback_summary:
                    r.feedback_summary = FEEDBACK_TAKEN_ON
            session.flush()
            return self._view(session, actor, r)

        view = self._run(actor, work)
        if reduced:
            raise self._feedback_refused(actor, view)
        return view

    def reorient(
        self,
        actor: Actor,
        referral_id: int,
        *,
        partner_id: int,
        reason: str,
        rule: str = "",
        expected_version: int | None = None,
    ) -> ReferralView:
        """Send it on to the right service: recorded as an *erreur d'orientation*, with the
        orientation guide's rule that should have applied."""
        reason = clean_text(reason or "")
        rule = clean_line(rule or "")
        errors = {}
        if not reason:
            errors["reason"] = _("Expliquez pourquoi le patient est réorienté.")
        elif len(reason) > 2_000:
            errors["reason"] = _("L'explication est trop longue (2 000 caractères au plus).")
        if rule and rule not in RULE_CODES:
            errors["rule"] = _("Cette règle du guide d'orientation n'existe pas.")
        if errors:
            raise ValidationError(errors)

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.REORIENT, expected_version
            )
            partner = session.get(Partner, partner_id)
            if partner is None or not partner.active:
                raise ValidationError(
                    {"partner_id": _("Ce partenaire n'existe pas ou est désactivé.")}
                )
            if partner.id == r.partner_id:
                raise ValidationError(
                    {"partner_id": _("Le patient est déjà orienté vers ce partenaire.")}
                )
            detail = f"vers {partner.name}" + (f" — règle {rule}" if rule else "")
            self._event(
                session,
                actor,
                r,
                ReferralStatus.REORIENTED,
                AuditAction.REFERRAL_REORIENT,
                private=detail,
            )
            r.reoriented_to_id = partner.id
            r.orientation_error_rule = rule or "?"
            r.feedback_summary = FEEDBACK_REORIENTED
            content = self._open(session, actor, r, r.content)
            content["reorientation_reason"] = reason
            r.content = self._seal(session, actor, r, content)
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)

    def cancel(
        self,
        actor: Actor,
        referral_id: int,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> ReferralView:
        """The sender withdraws a draft or a referral not yet received."""
        reason = clean_text(reason or "")[:2_000]

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.CANCEL, expected_version
            )
            self._event(session, actor, r, ReferralStatus.CANCELLED, AuditAction.REFERRAL_CANCEL)
            if reason:
                content = self._open(session, actor, r, r.content)
                content["cancel_reason"] = reason
                r.content = self._seal(session, actor, r, content)
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)
