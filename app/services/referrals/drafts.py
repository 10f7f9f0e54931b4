"""Referral drafts: validation of the form, creation and edition by the sender."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Note, Partner, PartnerContact, Patient, Referral, User
from app.models.enums import Compartment, Role
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    NotFound,
    PermissionDenied,
    ValidationError,
)
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line, clean_text
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentScope
from app.services.referrals.errors import (
    ARCHIVED,
    LIAISON_REFUSED,
    MAX_MESSAGE,
    REFERRAL_SCOPE,
    RULE_CODES,
    WRITE_REFUSED,
    ReferralRefusal,
)
from app.services.referrals.records import (
    REASON_CATEGORY,
    ReferralAction,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    ReferralView,
    SharedItem,
    Urgency,
)
from app.services.referrals.transitions import ReferralPart


class ReferralDrafts(ReferralPart):
    """Creates and edits drafts (nothing is shared until sent)."""

    # ---- validation ---------------------------------------------------------------------
    def _validate(
        self, session: Session, actor: Actor, data: ReferralInput, action: str
    ) -> tuple[ReferralInput, Patient]:
        errors: dict[str, str] = {}
        try:
            reason = ReferralReason(data.reason)
        except ValueError:
            errors["reason"] = _("Choisissez le motif de l'orientation.")
            reason = ReferralReason.OTHER
        try:
            urgency = Urgency(data.urgency)
        except ValueError:
            errors["urgency"] = _("Le degré d'urgence est inconnu.")
            urgency = Urgency.NORMAL
        message = clean_text(data.message or "")
        if len(message) > MAX_MESSAGE:
            errors["message"] = _("Le message est trop long (20 000 caractères au plus).")
        try:
            items = frozenset(SharedItem(i) for i in data.items)
        except ValueError:
            errors["items"] = _("Un des éléments à partager est inconnu.")
            items = frozenset()
        note_ids = tuple(dict.fromkeys(int(n) for n in data.note_ids))
        if SharedItem.LIAISON_NOTES in items and not note_ids:
            errors["note_ids"] = _("Choisissez les notes de liaison à joindre.")
        if note_ids and SharedItem.LIAISON_NOTES not in items:
            errors["note_ids"] = _("Cochez « Notes de liaison choisies » pour joindre des notes.")
        rule = clean_line(data.orientation_rule or "")
        if rule and rule not in RULE_CODES:
            errors["orientation_rule"] = _("Cette règle du guide d'orientation n'existe pas.")
        errors.update(_destination_errors(session, actor, data))
        patient = session.get(Patient, data.patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        if errors:
            raise ValidationError(errors)
        if patient.archived_at is not None:
            raise ReferralRefusal(PermissionDenied(ARCHIVED), action, patient.id, None)
        if note_ids:
            _check_notes(session, patient.id, note_ids, action)
        clean = ReferralInput(
            patient_id=patient.id,
            reason=reason,
            urgency=urgency,
            message=message,
            receiver_id=data.receiver_id,
            partner_id=data.partner_id,
            partner_contact_id=data.partner_contact_id if data.partner_id is not None else None,
            items=items,
            note_ids=note_ids,
            orientation_rule=rule,
        )
        return clean, patient

    def _require_writer(self, actor: Actor, action: str, patient_id: int | None) -> None:
        if not (
            policy.allows(actor.role, Resource.REFERRAL, Action.WRITE)
            and policy.allows(actor.role, Resource.REFERRAL_CONTENT, Action.WRITE, is_party=True)
        ):
            self._audit.refused(
                actor,
                action,
                patient_id=patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                detail=WRITE_REFUSED,
            )
            raise PermissionDenied(WRITE_REFUSED)

    # ---- create and edit drafts ---------------------------------------------------------
    def create(self, actor: Actor, data: ReferralInput) -> ReferralView:
        """A draft, by its sender (a GP, a paramedical or the social worker towards a
        partner). Nothing is shared until it is sent."""
        self._require_writer(actor, AuditAction.REFERRAL_CREATE, data.patient_id)

        def work(session: Session) -> ReferralView:
            clean, patient = self._validate(session, actor, data, AuditAction.REFERRAL_CREATE)
            now = self._clock()
            r = Referral(
                patient_id=patient.id,
                sender_id=actor.user_id,
                receiver_id=clean.receiver_id,
                partner_id=clean.partner_id,
                partner_contact_id=clean.partner_contact_id,
                reason_category=str(REASON_CATEGORY[clean.reason]),
                from_guide=bool(clean.orientation_rule),
                urgency=str(clean.urgency),
                status="",
                created_at=now,
                updated_at=now,
                sender_seen_at=now,
            )
            session.add(r)
            session.flush()
            self._records.create(session, actor, REFERRAL_SCOPE, r.id, [actor.user_id])
            r.content = self._seal(session, actor, r, self._draft_content(clean))
            rule = (
                f"guide d'orientation : règle {clean.orientation_rule}"
                if clean.orientation_rule
                else ""
            )
            self._event(
                session,
                actor,
                r,
                ReferralStatus.DRAFT,
                AuditAction.REFERRAL_CREATE,
                private=rule,
            )
            mark_activity(session, patient.id, now)
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)

    @staticmethod
    def _draft_content(clean: ReferralInput) -> dict:
        return {
            "reason": str(clean.reason),
            "message": clean.message,
            "chosen": sorted(str(i) for i in clean.items),
            "note_ids": list(clean.note_ids),
            "rule": clean.orientation_rule,
        }

    def update_draft(
        self, actor: Actor, referral_id: int, data: ReferralInput, expected_version: int
    ) -> ReferralView:
        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session, actor, referral_id, ReferralAction.UPDATE_DRAFT, expected_version, data
            )
            if data.patient_id != r.patient_id:
                raise ValidationError(
                    {"patient_id": _("Une orientation ne change pas de patient.")}
                )
            clean, _patient = self._validate(session, actor, data, AuditAction.REFERRAL_UPDATE)
            r.receiver_id = clean.receiver_id
            r.partner_id = clean.partner_id
            r.partner_contact_id = clean.partner_contact_id
            r.reason = ""
            r.reason_category = str(REASON_CATEGORY[clean.reason])
            r.from_guide = bool(clean.orientation_rule)
            r.urgency = str(clean.urgency)
            r.content = self._seal(session, actor, r, self._draft_content(clean))
            r.updated_at = self._clock()
            r.sender_seen_at = r.updated_at
            self._audit.add(
                session,
                actor,
                AuditAction.REFERRAL_UPDATE,
                patient_id=r.patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                object_id=r.id,
            )
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)


def _destination_errors(session: Session, actor: Actor, data: ReferralInput) -> dict[str, str]:
    """Exactly one destination, active, and the right one (French message per field)."""
    errors: dict[str, str] = {}
    if (data.receiver_id is None) == (data.partner_id is None):
        errors["destination"] = _(
            "Choisissez une seule destination : l'assistante sociale de la maison de santé "
            "ou un partenaire."
        )
    elif data.receiver_id is not None:
        receiver = session.get(User, data.receiver_id)
        if data.partner_contact_id is not None:
            errors["partner_contact_id"] = _("Un contact ne va qu'avec un partenaire.")
        if receiver is None or not receiver.active:
            errors["receiver_id"] = _("Ce (cette) destinataire n'existe pas ou est désactivé(e).")
        elif receiver.role != str(Role.SOCIAL_WORKER):
            errors["receiver_id"] = _(
                "Une orientation dans la maison de santé s'adresse à l'assistante sociale."
            )
        elif receiver.id == actor.user_id:
            errors["receiver_id"] = _("Vous ne pouvez pas vous orienter un patient à vous-même.")
    else:
        partner = session.get(Partner, data.partner_id)
        if partner is None or not partner.active:
            errors["partner_id"] = _("Ce partenaire n'existe pas ou est désactivé.")
        elif data.partner_contact_id is not None:
            contact = session.get(PartnerContact, data.partner_contact_id)
            if contact is None or contact.partner_id != partner.id or not contact.active:
                errors["partner_contact_id"] = _("Ce contact ne travaille pas chez ce partenaire.")
    return errors


def _check_notes(session: Session, patient_id: int, note_ids: tuple[int, ...], action: str) -> None:
    """The chosen notes are the patient's liaison notes, and liaison consent is active."""
    found = set(
        session.scalars(
            select(Note.id).where(
                Note.id.in_(note_ids),
                Note.patient_id == patient_id,
                Note.compartment == str(Compartment.LIAISON),
            )
        )
    )
    if found != set(note_ids):
        raise ValidationError(
            {"note_ids": _("Une des notes choisies n'est pas une note de liaison du patient.")}
        )
    if not consent_active(session, patient_id, ConsentScope.LIAISON):
        raise ReferralRefusal(PermissionDenied(LIAISON_REFUSED), action, patient_id, None)
