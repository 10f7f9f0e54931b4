"""Seal, in place, the details a database written before migration 0005 keeps in clear.

Second part of ``relais-admin keys encrypt-existing`` (the first encrypts the notes, see
``app.services.security.encryption_migration``), with the same temporary session keys (the
domain keys, opened with the recovery key):

1. every legacy clear column of ``sealed_fields.REGISTRY`` (home care, discharge plans, social
   steps, waiting-list wishes, cancellation reasons, exceptional-access justifications) is
   sealed into its row's sealed column and emptied;
2. every referral still sealed under the liaison key (or with its reason in clear) gets a key of
   its own, wrapped for its sender, its receiver and the recovery key; its content (with the
   reason), feedback, history details and printed papers are sealed again under it; the clear
   reason and details are emptied, and so is the appointments' copy of the reason;
3. the archived administrative papers stored as they were are sealed (administrative key), and
   every document title moves into its sealed column;
4. on SQLite the WAL is checkpointed and the file compacted (``VACUUM``), so that no free page
   keeps an old value (``secure_delete`` zeroes the rest).

Each batch is one unit of work: the command can be interrupted and run again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update

from app.models import Appointment, Document, Referral
from app.models import ReferralEvent as EventRow
from app.services.kernel.actor import Actor
from app.services.kernel.unit_of_work import GuardedDatabase
from app.services.security.codec import PLAIN_TAG, SEALED_TAG, ContentCodec, is_sealed
from app.services.security.keys import KeyService
from app.services.security.record_keys import RECORD_TAG, REFERRAL, is_record_sealed
from app.services.security.sealed_fields import REGISTRY, seal_legacy

BATCH = 500
Progress = Callable[[str, int], None]


@dataclass
class DetailsReport:
    rows_sealed: dict[str, int] = field(default_factory=dict)
    referrals: int = 0
    documents: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows_sealed.values()) + self.referrals + self.documents


def _legacy_referrals():
    return or_(
        Referral.reason != "",
        func.substr(Referral.content, 1, len(SEALED_TAG)) == SEALED_TAG,
        func.substr(Referral.feedback, 1, len(SEALED_TAG)) == SEALED_TAG,
    )


def _legacy_documents():
    """Documents with a clear title, or content neither sealed nor under a referral's key."""
    tag = func.substr(Document.content, 1, len(SEALED_TAG))
    return or_(Document.sealed_title.is_(None), tag.not_in([SEALED_TAG, RECORD_TAG]))


def legacy_counts(db: GuardedDatabase) -> dict[str, int]:
    """What is still in clear, by kind (for ``keys status``); empty when all is sealed."""
    out: dict[str, int] = {}
    with db.session(write=False) as session:
        for spec in REGISTRY:
            n = session.scalar(select(func.count()).select_from(spec.legacy_rows().subquery()))
            if n:
                out[spec.model.__tablename__] = int(n)
        n = session.scalar(select(func.count()).where(_legacy_referrals()))
        if n:
            out["referral"] = int(n)
        n = session.scalar(select(func.count()).select_from(Document).where(_legacy_documents()))
        if n:
            out["document"] = int(n)
    return out


def legacy_domains(db: GuardedDatabase) -> set[str]:
    """The data keys the migration needs open (domains with something still in clear)."""
    counts = legacy_counts(db)
    domains = {spec.domain for spec in REGISTRY if spec.model.__tablename__ in counts}
    if "referral" in counts:
        domains.add("liaison")
    if "document" in counts:
        domains.update({"administrative", "medical", "social", "liaison"})
    return domains


class DetailsMigration:
    def __init__(self, db: GuardedDatabase, keys: KeyService, codec: ContentCodec) -> None:
        self._db = db
        self._keys = keys
        self._codec = codec

    def run(self, sealer: Actor, progress: Progress | None = None) -> DetailsReport:
        """``sealer`` holds the domain keys (opened with the recovery key); its record keys
        are filled as referrals get theirs."""
        report = DetailsReport()
        for spec in REGISTRY:
            done = 0
            while True:
                with self._db.session() as session:
                    n = seal_legacy(session, self._codec, sealer, spec, batch=BATCH)
                if not n:
                    break
                done += n
                if progress:
                    progress(spec.model.__tablename__, done)
            if done:
                report.rows_sealed[spec.model.__tablename__] = done
        while True:
            with self._db.session() as session:
                rows = session.scalars(
                    select(Referral).where(_legacy_referrals()).order_by(Referral.id).limit(BATCH)
                ).all()
                for r in rows:
                    self._referral(session, sealer, r)
            if not rows:
                break
            report.referrals += len(rows)
            if progress:
                progress("referral", report.referrals)
        last = 0
        while True:
            with self._db.session() as session:
                rows = session.scalars(
                    select(Document)
                    .where(_legacy_documents(), Document.id > last)
                    .order_by(Document.id)
                    .limit(BATCH)
                ).all()
                for d in rows:
                    report.documents += self._document(session, sealer, d)
            if not rows:
                break
            last = rows[-1].id
            if progress:
                progress("document", report.documents)
        self._compact()
        return report

    # ---- referrals ---------------------------------------------------------------------
    def _open_legacy(self, sealer: Actor, r: Referral, blob: bytes | None) -> dict | None:
        if not blob:
            return None
        if is_record_sealed(blob):
            return None  # already under its own key
        return json.loads(self._codec.open(sealer, "liaison", blob, context=f"referral:{r.id}"))

    def _referral(self, session, sealer: Actor, r: Referral) -> None:  # type: ignore[no-untyped-def]
        records = self._keys.records
        holders = {r.sender_id}
        if r.receiver_id is not None and r.status != "draft":
            holders.add(r.receiver_id)
        if records.key_id(session, REFERRAL, r.id) is None:
            records.create(session, sealer, REFERRAL, r.id, holders)
        content = self._open_legacy(sealer, r, r.content)
        if content is None and r.content is None and r.reason:
            content = {}  # nothing was shared (refused, withdrawn): the reason alone
        if content is not None:
            content.setdefault("reason", r.reason)
            data = json.dumps(content, ensure_ascii=False).encode("utf-8")
            r.content = records.seal(session, sealer, REFERRAL, r.id, data, "content")
        feedback = self._open_legacy(sealer, r, r.feedback)
        if feedback is not None:
            data = json.dumps(feedback, ensure_ascii=False).encode("utf-8")
            r.feedback = records.seal(session, sealer, REFERRAL, r.id, data, "feedback")
        r.reason = ""
        for event in session.scalars(
            select(EventRow).where(
                EventRow.referral_id == r.id,
                EventRow.detail != "",
                EventRow.sealed_detail.is_(None),
            )
        ):
            session.flush()
            data = json.dumps({"text": event.detail}, ensure_ascii=False).encode("utf-8")
            event.sealed_detail = records.seal(
                session, sealer, REFERRAL, r.id, data, f"event:{event.id}"
            )
            event.detail = ""
        session.execute(
            update(Appointment)
            .where(Appointment.referral_id == r.id, Appointment.reason != "")
            .values(reason="")
            .execution_options(synchronize_session=False)
        )

    # ---- documents ---------------------------------------------------------------------
    def _document(self, session, sealer: Actor, d: Document) -> int:  # type: ignore[no-untyped-def]
        records = self._keys.records
        context = f"document:{d.number}"
        if is_record_sealed(d.content):
            return 0
        if d.content.startswith(PLAIN_TAG):
            plain = bytes(d.content)[len(PLAIN_TAG) :]
        elif is_sealed(d.content):
            plain = self._codec.open_bytes(sealer, d.compartment, d.content, context=context)
        else:
            plain = bytes(d.content)  # an administrative paper archived as it was
        title = d.title or ""
        if d.referral_id is not None:
            d.content = records.seal(session, sealer, REFERRAL, d.referral_id, plain, context)
            d.sealed_title = records.seal(
                session, sealer, REFERRAL, d.referral_id, title.encode("utf-8"), context
            )
        else:
            if not is_sealed(d.content):
                d.content = self._codec.seal_bytes(sealer, d.compartment, plain, context=context)
            d.sealed_title = self._codec.seal(
                sealer, d.compartment, title, context=context + ":title"
            )
        d.title = ""
        return 1

    # ---- file ----------------------------------------------------------------------------
    def _compact(self) -> None:
        engine = self._db.engine
        if engine.dialect.name != "sqlite":
            return  # PostgreSQL: VACUUM FULL is the administrator's (docs/administration.md)
        raw = engine.raw_connection()  # outside any transaction (VACUUM refuses one)
        try:
            sqlite = raw.driver_connection
            for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM"):
                sqlite.execute(statement)
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
