"""Sending a referral: the patient's agreement (or refusal) recorded, the chosen items snapshot,
the receiver given the referral's key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, ngettext
from app.models import Note, Patient, Referral, User
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    PermissionDenied,
)
from app.services.kernel.timefmt import fmt_date, local
from app.services.patient_file.consents import add_consent, consent_active
from app.services.patient_file.records import ConsentMethod, ConsentScope, ConsentStatus
from app.services.referrals.errors import (
    LIAISON_REFUSED,
    REFERRAL_SCOPE,
    ReferralRefusal,
)
from app.services.referrals.reading import ReferralReader
from app.services.referrals.records import (
    ReferralAction,
    ReferralStatus,
    ReferralView,
    SharedItem,
)
from app.services.referrals.store import (
    Names,
    ReferralStore,
    destination_scope,
    format_nir,
    sealed_reason,
)
from app.services.referrals.transitions import ReferralPart, ReferralTransitions
from app.services.security.codec import note_context


class ReferralSending(ReferralPart):
    """Sends a draft, or ends it as refused by the patient."""

    def __init__(
        self, store: ReferralStore, reader: ReferralReader, transitions: ReferralTransitions
    ) -> None:
        super().__init__(store, reader, transitions)
        self.on_consent_withdrawn = transitions.on_consent_withdrawn

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
                return self._refused_by_patient(session, actor, r)
            draft = self._open(session, actor, r, r.content)
            note_ids = [int(n) for n in draft.get("note_ids", [])]
            if note_ids and not consent_active(session, r.patient_id, ConsentScope.LIAISON):
                raise ReferralRefusal(
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
                    "reason": str(sealed_reason(draft, r)),
                    "message": draft.get("message", ""),
                    "items": items,
                    "notes": notes,
                    "rule": draft.get("rule", ""),
                },
            )
            r.reason = ""
            if r.receiver_id is not None:  # the receiver gets the referral's key now
                self._records.share(session, actor, REFERRAL_SCOPE, r.id, [r.receiver_id])
            self._event(
                session,
                actor,
                r,
                ReferralStatus.SENT,
                AuditAction.REFERRAL_SEND,
                private={"shared": [str(i) for i in chosen]},
            )
            session.flush()
            return self._view(session, actor, r)

        return self._run(actor, work)

    def _refused_by_patient(self, session: Session, actor: Actor, r: Referral) -> ReferralView:
        """The patient does not want to be referred: the refusal is recorded in the consent
        history and the referral ends as ``refused_by_patient``."""
        scope, partner_id = destination_scope(r)
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
        reason = sealed_reason(self._open(session, actor, r, r.content), r)
        r.content = self._seal(session, actor, r, {"reason": str(reason) if reason else ""})
        self.on_consent_withdrawn(session, actor, r.patient_id, scope, partner_id)
        session.flush()
        return self._view(session, actor, r)

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
        add_consent(
            session,
            self._audit,
            actor,
            patient_id,
            (scope, status, ConsentMethod.ORAL),
            now=now,
            decided_on=local(now).date(),
            partner_id=partner_id,
            why=" — orientation",
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
                names = Names(session)
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
