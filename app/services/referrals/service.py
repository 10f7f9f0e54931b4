"""Referrals (*orientations*): a GP or a paramedical asks the clinic's social worker (or a
partner) to take the patient on, with what she needs to know and nothing more.

- Who, when, status and destination are plain columns (``Resource.REFERRAL``); the message,
  the items shared at sending, a reorientation's reason and the feedback are sealed under the
  referral's own key and shown to the sender and the receiver only
  (``Resource.REFERRAL_CONTENT``, ``Scope.PARTY``). The reason category is a column but is
  likewise never shown to anyone else.
- The states and legal transitions are data (``records.TRANSITIONS``); every transition writes
  a ``ReferralEvent`` (from, to, UTC time, actor, non-content detail) and an audit entry.
- Consent: sending needs the patient's agreement (a refusal ends the referral as
  ``refused_by_patient`` and is recorded in the consent history); liaison notes travel only with
  active liaison consent; withdrawing consent cancels the referrals not yet received
  (:meth:`ReferralService.on_consent_withdrawn`, a hook of the consent service) and the
  receiver's acknowledgement checks it again.
- A partner does not use Relais: for a partner destination, the sender records its steps.

:class:`ReferralService` is the feature's one entry point; it is composed of collaborators
built in its constructor: the store (keys, unit of work), the reader, the transitions (events,
the gate, the hooks of other services), the drafts, the sending, the steps and the aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models import Referral
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.policy import Action, Resource
from app.services.patient_file.records import ConsentScope
from app.services.referrals.aggregates import ReferralAggregates
from app.services.referrals.drafts import ReferralDrafts
from app.services.referrals.reading import ReferralReader
from app.services.referrals.records import (
    REASON_CATEGORY,
    REASON_DEFAULT_ITEMS,
    ReferralCapabilities,
    ReferralDelays,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    ReferralSummary,
    ReferralView,
    SharedItem,
)
from app.services.referrals.sending import ReferralSending
from app.services.referrals.steps import ReferralSteps
from app.services.referrals.store import ReferralStore, sealed_reason, summary_columns
from app.services.referrals.transitions import ReferralTransitions
from app.services.security.codec import ContentCodec
from app.services.security.record_keys import RecordKeys

# How many of the sender's recent referrals in a reason's category are looked at to find their
# last choices for that reason.
RECENT_CHOICES = 30


class ReferralService:
    """Drafts, sending, every transition and the reading of referrals (module docstring)."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        records: RecordKeys,
    ) -> None:
        self._store = ReferralStore(db, audit, codec, clock, records)
        self._reader = ReferralReader(self._store)
        self._transitions = ReferralTransitions(self._store, self._reader)
        self._drafts = ReferralDrafts(self._store, self._reader, self._transitions)
        self._sending = ReferralSending(self._store, self._reader, self._transitions)
        self._steps = ReferralSteps(self._store, self._reader, self._transitions)
        self._aggregates = ReferralAggregates(self._store)

    # ---- what the actor may do ----------------------------------------------------------
    def capabilities(self, actor: Actor) -> ReferralCapabilities:
        """What the views may offer this actor (they never read the policy table)."""
        return ReferralCapabilities(
            can_refer=policy.allows(actor.role, Resource.REFERRAL, Action.WRITE)
            and policy.allows(actor.role, Resource.REFERRAL_CONTENT, Action.WRITE, is_party=True),
            can_handle=policy.allows(actor.role, Resource.REFERRAL, Action.WRITE),
            can_book_appointments=policy.allows(actor.role, Resource.APPOINTMENT, Action.WRITE),
        )

    def item_defaults(self, actor: Actor, reason: ReferralReason | str) -> frozenset[SharedItem]:
        """The file items to tick in advance for a referral for ``reason``: what this sender
        chose the last time for this reason (drafts or sent referrals), otherwise what the
        reason usually needs (``REASON_DEFAULT_ITEMS``). Liaison notes are never proposed:
        they are picked one by one."""
        reason = ReferralReason(reason)
        default = REASON_DEFAULT_ITEMS[reason]
        if actor.user_id is None or not self.capabilities(actor).can_refer:
            return default
        with self._store.db.session(write=False) as session:
            last = self._last_choice(session, actor, reason)
        if last is None:
            return default
        return frozenset(last - {SharedItem.LIAISON_NOTES})

    def _last_choice(
        self, session: Session, actor: Actor, reason: ReferralReason
    ) -> frozenset[SharedItem] | None:
        rows = session.scalars(
            select(Referral)
            .where(
                Referral.sender_id == actor.user_id,
                Referral.reason_category == str(REASON_CATEGORY[reason]),
            )
            .order_by(Referral.updated_at.desc(), Referral.id.desc())
            .limit(RECENT_CHOICES)
        ).all()
        for r in rows:
            try:
                content = self._store.open(session, actor, r, r.content)
            except RelaisError:
                continue
            if sealed_reason(content, r) is not reason:
                continue
            chosen = content.get("chosen") if "chosen" in content else content.get("items")
            if chosen is None:
                continue
            try:
                return frozenset(SharedItem(i) for i in chosen)
            except ValueError:
                continue
        return None

    # ---- reading ------------------------------------------------------------------------
    def get(self, actor: Actor, referral_id: int) -> ReferralView:
        return self._reader.get(actor, referral_id)

    def for_patient(self, actor: Actor, patient_id: int) -> list[ReferralSummary]:
        return self._reader.for_patient(actor, patient_id)

    def inbox(self, actor: Actor) -> list[ReferralSummary]:
        return self._reader.inbox(actor)

    def inbox_entries(self, actor: Actor) -> list[tuple[str, ReferralSummary]]:
        return self._reader.inbox_entries(actor)

    def mark_seen(self, actor: Actor, referral_id: int) -> bool:
        return self._reader.mark_seen(actor, referral_id)

    def summaries(
        self,
        session: Session,
        actor: Actor,
        rows: Sequence[Referral | Row],
        patient_names: Mapping[int, str] | None = None,
    ) -> list[ReferralSummary]:
        return self._reader.summaries(session, actor, rows, patient_names)

    @staticmethod
    def summary_columns() -> tuple:
        """The columns :meth:`summaries` reads of a referral (a list selects only these)."""
        return summary_columns()

    def preload(self, session: Session, actor: Actor, referral_ids: list[int]) -> None:
        self._store.preload(session, actor, referral_ids)

    def reason_of(self, session: Session, actor: Actor, r: Referral) -> ReferralReason | None:
        return self._store.reason_of(session, actor, r)

    def counts(self, actor: Actor) -> dict[ReferralStatus, int]:
        return self._aggregates.counts(actor)

    def delays(self, actor: Actor) -> ReferralDelays:
        return self._aggregates.delays(actor)

    # ---- drafts and sending -------------------------------------------------------------
    def create(self, actor: Actor, data: ReferralInput) -> ReferralView:
        return self._drafts.create(actor, data)

    def update_draft(
        self, actor: Actor, referral_id: int, data: ReferralInput, expected_version: int
    ) -> ReferralView:
        return self._drafts.update_draft(actor, referral_id, data, expected_version)

    def send(
        self,
        actor: Actor,
        referral_id: int,
        *,
        patient_agrees: bool,
        expected_version: int | None = None,
    ) -> ReferralView:
        return self._sending.send(
            actor, referral_id, patient_agrees=patient_agrees, expected_version=expected_version
        )

    # ---- steps --------------------------------------------------------------------------
    def acknowledge(
        self, actor: Actor, referral_id: int, *, expected_version: int | None = None
    ) -> ReferralView:
        return self._steps.acknowledge(actor, referral_id, expected_version=expected_version)

    def book(
        self,
        actor: Actor,
        referral_id: int,
        when: datetime | None = None,
        *,
        expected_version: int | None = None,
    ) -> ReferralView:
        return self._steps.book(actor, referral_id, when, expected_version=expected_version)

    def record_seen(
        self, actor: Actor, referral_id: int, *, expected_version: int | None = None
    ) -> ReferralView:
        return self._steps.record_seen(actor, referral_id, expected_version=expected_version)

    def close(
        self,
        actor: Actor,
        referral_id: int,
        *,
        outcome: str,
        feedback: str | None = None,
        expected_version: int | None = None,
    ) -> ReferralView:
        return self._steps.close(
            actor,
            referral_id,
            outcome=outcome,
            feedback=feedback,
            expected_version=expected_version,
        )

    def send_feedback(
        self, actor: Actor, referral_id: int, text: str, *, expected_version: int | None = None
    ) -> ReferralView:
        return self._steps.send_feedback(
            actor, referral_id, text, expected_version=expected_version
        )

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
        return self._steps.reorient(
            actor,
            referral_id,
            partner_id=partner_id,
            reason=reason,
            rule=rule,
            expected_version=expected_version,
        )

    def cancel(
        self,
        actor: Actor,
        referral_id: int,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> ReferralView:
        return self._steps.cancel(actor, referral_id, reason, expected_version=expected_version)

    # ---- hooks of other services (in their unit of work) --------------------------------
    def on_consent_withdrawn(
        self,
        session: Session,
        actor: Actor | None,
        patient_id: int,
        scope: ConsentScope | str,
        partner_id: int | None = None,
    ) -> int:
        return self._transitions.on_consent_withdrawn(session, actor, patient_id, scope, partner_id)

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
        self._transitions.on_appointment_booked(
            session,
            actor,
            referral_id,
            patient_id=patient_id,
            professional_id=professional_id,
            when=when,
        )

    def on_appointment_ended(
        self, session: Session, actor: Actor, referral_id: int, *, seen: bool, detail: str = ""
    ) -> bool:
        return self._transitions.on_appointment_ended(
            session, actor, referral_id, seen=seen, detail=detail
        )
