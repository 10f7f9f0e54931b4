"""Referrals: what every part of the feature shares — the referral's own key (sealing and
opening its content), the unit of work through the kernel's guard, display names looked up once
per unit of work, and small helpers on a referral row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import _
from app.models import Clinic, Partner, Referral, User
from app.models.db import Database
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.guard import Guard
from app.services.kernel.names import UserNames
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import aware
from app.services.patient_file.records import ConsentScope
from app.services.referrals.errors import REFERRAL_SCOPE, ReferralRefusal
from app.services.referrals.records import ReferralReason, ReferralStatus
from app.services.security.codec import ContentCodec
from app.services.security.record_keys import RecordKeys, is_record_sealed


class Names(UserNames):
    """Display names (users, partners) looked up once per unit of work."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.partners: dict[int, str] = {}

    def preload(self, rows: Sequence[Referral | Row]) -> None:
        """The names ``rows`` will ask for, in one query per table (not one per person)."""
        users = {i for r in rows for i in (r.sender_id, r.receiver_id)} - set(self.users)
        users.discard(None)
        if users:
            for user in self.session.scalars(select(User).where(User.id.in_(users))):
                self.users[user.id] = user.display_name
        partners = {r.partner_id for r in rows if r.partner_id is not None} - set(self.partners)
        if partners:
            for partner in self.session.scalars(select(Partner).where(Partner.id.in_(partners))):
                self.partners[partner.id] = partner.name

    def partner(self, partner_id: int | None) -> str:
        if partner_id is None:
            return ""
        if partner_id not in self.partners:
            partner = self.session.get(Partner, partner_id)
            self.partners[partner_id] = partner.name if partner else "?"
        return self.partners[partner_id]


def summary_columns() -> tuple:
    """The referral columns a summary reads (who, when, status; no content, no blob): a list
    selects these and hands its rows to ``ReferralReader.summaries``."""
    return (
        Referral.id,
        Referral.patient_id,
        Referral.sender_id,
        Referral.receiver_id,
        Referral.partner_id,
        Referral.partner_contact_id,
        Referral.status,
        Referral.urgency,
        Referral.created_at,
        Referral.sent_at,
        Referral.received_at,
        Referral.updated_at,
        Referral.sender_seen_at,
        Referral.receiver_seen_at,
    )


def destination_scope(r: Referral) -> tuple[ConsentScope, int | None]:
    """The consent a referral's destination needs."""
    if r.partner_id is not None:
        return ConsentScope.PARTNER, r.partner_id
    return ConsentScope.REFERRAL_CARSAT, None


def handler_id(r: Referral) -> int | None:
    """Who records the receiver's steps: the social worker, or the sender for a partner."""
    return r.receiver_id if r.receiver_id is not None else r.sender_id


def is_overdue(r: Referral | Row, now: datetime, days: int) -> bool:
    status = ReferralStatus(r.status)
    since = {ReferralStatus.SENT: r.sent_at, ReferralStatus.RECEIVED: r.received_at}.get(status)
    since = aware(since)
    return since is not None and now - since > timedelta(days=days)


def format_nir(nir: str | None) -> str:
    if not nir:
        return _("non renseigné")
    n = nir
    return " ".join((n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:15])).strip()


def legacy_reason(r: Referral) -> ReferralReason | None:
    try:
        return ReferralReason(r.reason) if r.reason else None
    except ValueError:
        return None


def sealed_reason(content: dict, r: Referral) -> ReferralReason | None:
    """The reason, sealed in the content since 0005 (the clear column before); None once the
    content is gone (consent withdrawn)."""
    try:
        return ReferralReason(content.get("reason") or r.reason)
    except ValueError:
        return None


class ReferralStore:
    """The referral feature's storage: database, audit, clock, content keys and guard."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        records: RecordKeys,
    ):
        self.db = db
        self.audit = audit
        self.codec = codec
        self.clock = clock
        self.records = records
        self.guard = Guard(db, audit)

    def refuse(self, actor: Actor, refusal: ReferralRefusal) -> RelaisError:
        return self.guard.refuse(actor, refusal)

    def run(self, actor: Actor, work):
        """Run ``work(session)`` in one unit of work, through the kernel's guard."""
        return self.guard.run(actor, work)

    def seal(
        self, session: Session, actor: Actor, r: Referral, data: dict, part: str = "content"
    ) -> bytes:
        """``data`` sealed under the referral's own key (its parties only)."""
        text = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return self.records.seal(session, actor, REFERRAL_SCOPE, r.id, text, part)

    def open(
        self, session: Session, actor: Actor, r: Referral, blob: bytes | None, part: str = "content"
    ) -> dict:
        if not blob:
            return {}
        if is_record_sealed(blob):
            text = self.records.open(session, actor, REFERRAL_SCOPE, r.id, blob, part)
            return json.loads(text.decode("utf-8"))
        # Legacy: sealed in the liaison compartment before 0005 (keys encrypt-existing moves
        # it under the referral's key).
        legacy = self.codec.open(actor, Compartment.LIAISON, blob, context=f"referral:{r.id}")
        return json.loads(legacy)

    def preload(self, session: Session, actor: Actor, referral_ids: list[int]) -> None:
        """Load these referrals and open the actor's keys to them in two queries (lists of
        appointments show each one's reason to its professional)."""
        if referral_ids:
            session.scalars(select(Referral).where(Referral.id.in_(referral_ids))).all()
            self.records.preload(session, actor, REFERRAL_SCOPE, referral_ids)

    def reason_of(self, session: Session, actor: Actor, r: Referral) -> ReferralReason | None:
        """The referral's reason if this session holds the referral's key, else None."""
        if not r.content:
            return legacy_reason(r)
        if is_record_sealed(r.content) and not self.records.holds(
            session, actor, REFERRAL_SCOPE, r.id
        ):
            return None
        try:
            content = self.open(session, actor, r, r.content)
        except RelaisError:
            return None
        return sealed_reason(content, r)

    # ---- reading ------------------------------------------------------------------------
    def clinic_days(self, session: Session) -> int:
        days = session.scalar(select(Clinic.referral_overdue_days).limit(1))
        return int(days) if days else 7

    def is_party(self, actor: Actor, r: Referral | Row) -> bool:
        return actor.user_id is not None and actor.user_id in (r.sender_id, r.receiver_id)

    def can_read_content(self, actor: Actor, r: Referral | Row) -> bool:
        return policy.allows(
            actor.role, Resource.REFERRAL_CONTENT, Action.READ, is_party=self.is_party(actor, r)
        )


class StorePart:
    """A collaborator of ``ReferralService`` working through the store: its database, audit,
    clock, keys and unit of work under the short names every collaborator uses."""

    def __init__(self, store: ReferralStore) -> None:
        self._store = store
        self._db, self._audit, self._clock = store.db, store.audit, store.clock
        self._records, self._codec = store.records, store.codec
        self._seal, self._open, self._run = store.seal, store.open, store.run
        self._clinic_days = store.clinic_days
