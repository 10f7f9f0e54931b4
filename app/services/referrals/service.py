"""Referrals (*orientations*): a GP or a paramedical asks the clinic's social worker (or a
partner) to take the patient on, with what she needs to know and nothing more.

- Who, when, status and destination are plain columns (``Resource.REFERRAL``); the message,
  the items shared at sending, a reorientation's reason and the feedback are sealed in the
  liaison compartment (``context=f"referral:{id}"``) and shown to the sender and the receiver
  only (``Resource.REFERRAL_CONTENT``, ``Scope.PARTY``). The reason category is a column but is
  likewise never shown to anyone else.
- The states and legal transitions are data (``referral_rules.TRANSITIONS``); every transition
  writes a ``ReferralEvent`` (from, to, UTC time, actor, non-content detail) and an audit entry.
- Consent: sending needs the patient's agreement (a refusal ends the referral as
  ``refused_by_patient`` and is recorded in the consent history); liaison notes travel only with
  active liaison consent; withdrawing consent cancels the referrals not yet received
  (:meth:`ReferralService.on_consent_withdrawn`, a hook of the consent service) and the
  receiver's acknowledgement checks it again.
- A partner does not use Relais: for a partner destination, the sender records its steps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, ngettext
from app.models import Consent, Note, Partner, PartnerContact, Patient, Referral, User
from app.models import ReferralEvent as EventRow
from app.models.enums import Compartment, Role
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
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import fmt_date, fmt_datetime, local
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentMethod, ConsentScope, ConsentStatus
from app.services.referrals.reading import (
    ARCHIVED,
    CONSENT_WITHDRAWN,
    LIAISON_REFUSED,
    MAX_MESSAGE,
    MAX_OUTCOME,
    NOT_HANDLER,
    NOT_SENDER,
    REFERRAL_SCOPE,
    RULE_CODES,
    WRITE_REFUSED,
    FeedbackNotShared,
    ReferralReader,
    TransitionRefused,
    _Names,
    _reason,
    _Refusal,
    destination_scope,
    format_nir,
    handler_id,
)
from app.services.referrals.records import (
    ACTION_TARGET,
    FEEDBACK_CLOSED,
    FEEDBACK_REORIENTED,
    FEEDBACK_STATUSES,
    FEEDBACK_TAKEN_ON,
    NOT_YET_RECEIVED,
    REASON_CATEGORY,
    SHARED_ITEM_LABELS,
    ReferralAction,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    ReferralView,
    SharedItem,
    Urgency,
    user_transition,
)
from app.services.security.codec import note_context


class ReferralService(ReferralReader):
    """Drafts, sending and every transition (reading: :class:`ReferralReader`)."""

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
                errors["receiver_id"] = _(
                    "Ce (cette) destinataire n'existe pas ou est désactivé(e)."
                )
            elif receiver.role != str(Role.SOCIAL_WORKER):
                errors["receiver_id"] = _(
                    "Une orientation dans la maison de santé s'adresse à l'assistante sociale."
                )
            elif receiver.id == actor.user_id:
                errors["receiver_id"] = _(
                    "Vous ne pouvez pas vous orienter un patient à vous-même."
                )
        else:
            partner = session.get(Partner, data.partner_id)
            if partner is None or not partner.active:
                errors["partner_id"] = _("Ce partenaire n'existe pas ou est désactivé.")
            elif data.partner_contact_id is not None:
                contact = session.get(PartnerContact, data.partner_contact_id)
                if contact is None or contact.partner_id != partner.id or not contact.active:
                    errors["partner_contact_id"] = _(
                        "Ce contact ne travaille pas chez ce partenaire."
                    )
        patient = session.get(Patient, data.patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        if errors:
            raise ValidationError(errors)
        if patient.archived_at is not None:
            raise _Refusal(PermissionDenied(ARCHIVED), action, patient.id, None)
        if note_ids:
            found = set(
                session.scalars(
                    select(Note.id).where(
                        Note.id.in_(note_ids),
                        Note.patient_id == patient.id,
                        Note.compartment == str(Compartment.LIAISON),
                    )
                )
            )
            if found != set(note_ids):
                raise ValidationError(
                    {
                        "note_ids": _(
                            "Une des notes choisies n'est pas une note de liaison du patient."
                        )
                    }
                )
            if not consent_active(session, patient.id, ConsentScope.LIAISON):
                raise _Refusal(PermissionDenied(LIAISON_REFUSED), action, patient.id, None)
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

    # ---- events -------------------------------------------------------------------------
    def _event(
        self,
        session: Session,
        actor: Actor | None,
        r: Referral,
        target: ReferralStatus,
        audit_action: str,
        detail: str = "",
        *,
        private: str = "",
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
                session, actor, r, {"text": private[:200]}, f"event:{row.id}"
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
        self._mark_own_side(r, actor, now)
        self._audit.add(
            session,
            actor,
            audit_action,
            patient_id=r.patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=r.id,
            detail=f"{previous or '—'} → {target}" + (f" ({detail})" if detail else ""),
        )

    @staticmethod
    def _mark_own_side(r: Referral, actor: Actor | None, now: datetime) -> None:
        if actor is None or actor.user_id is None:
            return
        if actor.user_id == r.sender_id:
            r.sender_seen_at = now
        if actor.user_id == r.receiver_id:
            r.receiver_seen_at = now

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

    # ---- the gate every call on one referral goes through -------------------------------
    def _load_for_action(
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
        audit_action = _AUDIT_OF[action]
        patient = session.get(Patient, r.patient_id)
        if not policy.allows(actor.role, Resource.REFERRAL, Action.WRITE):
            raise _Refusal(PermissionDenied(WRITE_REFUSED), audit_action, r.patient_id, r.id)
        sender_action = action in (
            ReferralAction.UPDATE_DRAFT,
            ReferralAction.SEND,
            ReferralAction.CANCEL,
        )
        if sender_action and actor.user_id != r.sender_id:
            raise _Refusal(PermissionDenied(NOT_SENDER), audit_action, r.patient_id, r.id)
        if not sender_action and actor.user_id != handler_id(r):
            raise _Refusal(PermissionDenied(NOT_HANDLER), audit_action, r.patient_id, r.id)
        current = ReferralStatus(r.status)
        if action is ReferralAction.UPDATE_DRAFT:
            if current is not ReferralStatus.DRAFT:
                raise _Refusal(
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
                raise _Refusal(error, audit_action, r.patient_id, r.id)
        else:
            target = target or ACTION_TARGET[action]
            if not user_transition(current, target):
                raise _Refusal(TransitionRefused(current, target), audit_action, r.patient_id, r.id)
        if patient is not None and patient.archived_at is not None:
            raise _Refusal(PermissionDenied(ARCHIVED), audit_action, r.patient_id, r.id)
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

    # ---- sending ------------------------------------------------------------------------
    def send(
        self,
        actor: Actor,
        referral_id: int,
        *,
        patient_agrees: bool,
        expected_version: int | None = None,
    ) -> ReferralView:
        """Send a draft once the patient agreed to be referred (their agreement is recorded,
        orally, in the consent history unless already given). A refusal ends the referral as
        ``refused_by_patient`` and is recorded as such. The chosen items are snapshot now."""

        def work(session: Session) -> ReferralView:
            r = self._load_for_action(
                session,
                actor,
                referral_id,
                ReferralAction.SEND,
                expected_version,
                target=ReferralStatus.SENT if patient_agrees else ReferralStatus.REFUSED_BY_PATIENT,
            )
            scope, partner_id = destination_scope(r)
            if not patient_agrees:
                self._record_consent(session, actor, r.patient_id, scope, partner_id, refused=True)
                self._event(
                    session,
                    actor,
                    r,
                    ReferralStatus.REFUSED_BY_PATIENT,
                    AuditAction.REFERRAL_PATIENT_REFUSAL,
                    "le patient refuse d'être orienté",
                )
                # Nothing was shared: the draft's message goes; the reason stays for its sender.
                reason = _reason(self._open(session, actor, r, r.content), r)
                r.content = self._seal(session, actor, r, {"reason": str(reason) if reason else ""})
                self.on_consent_withdrawn(session, actor, r.patient_id, scope, partner_id)
                session.flush()
                return self._view(session, actor, r)
            draft = self._open(session, actor, r, r.content)
            note_ids = [int(n) for n in draft.get("note_ids", [])]
            if note_ids and not consent_active(session, r.patient_id, ConsentScope.LIAISON):
                raise _Refusal(
                    PermissionDenied(LIAISON_REFUSED),
                    AuditAction.REFERRAL_SEND,
                    r.patient_id,
                    r.id,
                )
            if not consent_active(session, r.patient_id, scope, partner_id):
                self._record_consent(session, actor, r.patient_id, scope, partner_id)
            chosen = [SharedItem(i) for i in draft.get("chosen", [])]
            items, notes = self._snapshot(session, actor, r, chosen, note_ids)
            r.content = self._seal(
                session,
                actor,
                r,
                {
                    "reason": str(_reason(draft, r)),
                    "message": draft.get("message", ""),
                    "items": items,
                    "notes": notes,
                    "rule": draft.get("rule", ""),
                },
            )
            r.reason = ""
            if r.receiver_id is not None:  # the receiver gets the referral's key now
                self._records.share(session, actor, REFERRAL_SCOPE, r.id, [r.receiver_id])
            shared = (
                ", ".join(SHARED_ITEM_LABELS[i] for i in chosen) or "identité et motif seulement"
            )
            self._event(
                session,
                actor,
                r,
                ReferralStatus.SENT,
                AuditAction.REFERRAL_SEND,
                private=f"partagé : {shared}",
            )
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)

    def _record_consent(
        self,
        session: Session,
        actor: Actor,
        patient_id: int,
        scope: ConsentScope,
        partner_id: int | None,
        *,
        refused: bool = False,
    ) -> None:
        """The patient's word given at sending, in the consent history (oral, today)."""
        status = ConsentStatus.REFUSED if refused else ConsentStatus.GIVEN
        now = self._clock()
        row = Consent(
            patient_id=patient_id,
            scope=str(scope),
            partner_id=partner_id,
            status=str(status),
            decided_on=local(now).date(),
            method=str(ConsentMethod.ORAL),
            recorded_by_id=actor.user_id,
            recorded_at=now,
        )
        session.add(row)
        session.flush()
        self._audit.add(
            session,
            actor,
            AuditAction.CONSENT_RECORD,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="consent",
            object_id=row.id,
            detail=f"{scope} : {status} ({ConsentMethod.ORAL}) — orientation",
        )

    def _snapshot(
        self,
        session: Session,
        actor: Actor,
        r: Referral,
        chosen: list[SharedItem],
        note_ids: list[int],
    ) -> tuple[dict[str, str], list[list[str]]]:
        p = session.get(Patient, r.patient_id)
        assert p is not None
        items: dict[str, str] = {}
        notes: list[list[str]] = []
        for item in sorted(chosen, key=list(SharedItem).index):
            if item is SharedItem.CONTACT:
                parts = [f"Tél. {p.phone}" if p.phone else "", p.email]
                value = " — ".join(x for x in parts if x) or "non renseignées"
            elif item is SharedItem.ADDRESS:
                town = f"{p.postal_code} {p.city}".strip()
                value = ", ".join(x for x in (p.address, town) if x) or _("non renseignée")
            elif item is SharedItem.ATTENDING_GP:
                gp = session.get(User, p.attending_gp_id) if p.attending_gp_id else None
                value = (gp.display_name if gp else p.attending_gp_other) or _("non renseigné")
            elif item is SharedItem.NIR:
                value = format_nir(p.nir)
            elif item is SharedItem.BIRTH_DATE:
                value = fmt_date(p.birth_date)
            else:
                rows = session.scalars(
                    select(Note).where(Note.id.in_(note_ids)).order_by(Note.created_at, Note.id)
                ).all()
                names = _Names(session, {}, {})
                for note in rows:
                    text = self._codec.open(
                        actor, Compartment.LIAISON, note.content, context=note_context(p.id)
                    )
                    notes.append([fmt_date(note.created_at), names.user(note.author_id), text])
                value = ngettext("{n} note de liaison", "{n} notes de liaison", len(notes)).format(
                    n=len(notes)
                )
            items[str(item)] = value
        return items, notes

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
            self._event(session, actor, r, ACTION_TARGET[action], _AUDIT_OF[action], detail)
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

    # ---- consent withdrawal -------------------------------------------------------------
    def _cancel_for_consent(self, session: Session, actor: Actor | None, r: Referral) -> None:
        self._event(
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
            self._cancel_for_consent(session, actor, r)
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
            self._event(
                session,
                actor,
                r,
                ReferralStatus.RECEIVED,
                AuditAction.REFERRAL_ACKNOWLEDGE,
                "à la prise de rendez-vous",
            )
            r.feedback_summary = r.feedback_summary or FEEDBACK_TAKEN_ON
        self._event(
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
            self._event(
                session, actor, r, ReferralStatus.SEEN, AuditAction.REFERRAL_SEEN, "rendez-vous"
            )
            return True
        if current is not ReferralStatus.APPOINTMENT_BOOKED:
            return False
        self._event(session, actor, r, ReferralStatus.RECEIVED, AuditAction.REFERRAL_UNBOOK, detail)
        return True


_AUDIT_OF: dict[ReferralAction, str] = {
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
