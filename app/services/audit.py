"""The one audit writer. Who, role, action, patient, compartment, object, UTC time,
workstation — never any content. Entries are only ever appended, each chained to the previous
one by a keyed hash (``app.services.audit_chain``) under a key kept outside the database."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.models.enums import AuditOutcome
from app.services.actor import Actor, workstation_name
from app.services.audit_chain import GENESIS, entry_mac
from app.services.records import ACTION_LABELS as ACTION_LABELS  # re-exported
from app.services.records import AuditAction as AuditAction  # re-exported
from app.services.records import AuditRecord

_HEAD = "relais_audit_head"


def _forget_head(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HEAD, None)


class AuditWriter:
    """Appends audit entries, inside the caller's unit of work or in a unit of its own."""

    def __init__(self, db: Database, clock: Clock, key: bytes | None = None) -> None:
        self._db = db
        self._clock = clock
        self.key = key
        # The chain head read (and locked) by a unit of work is cached in its session until
        # the transaction ends.
        if not event.contains(db.sessions, "after_transaction_end", _forget_head):
            event.listen(db.sessions, "after_transaction_end", _forget_head)

    @property
    def sealing(self) -> bool:
        """True when entries are chained with the audit key (False: written unsealed)."""
        return self.key is not None

    @staticmethod
    def _head(session: Session) -> AuditHead:
        head = session.info.get(_HEAD)
        if head is None:
            head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
            if head is None:
                head = AuditHead(id=1, seq=0, mac=GENESIS)
                session.add(head)
            session.info[_HEAD] = head
        return head

    def add(
        self,
        session: Session,
        actor: Actor | None,
        action: str,
        *,
        outcome: AuditOutcome = AuditOutcome.OK,
        patient_id: int | None = None,
        compartment: str | None = None,
        object_type: str | None = None,
        object_id: int | None = None,
        detail: str = "",
        username: str | None = None,
        user_id: int | None = None,
    ) -> None:
        """Add an entry to ``session`` (committed with the caller's work)."""
        head = self._head(session)
        entry = AuditEntry(
            at=self._clock(),
            user_id=actor.user_id if actor and actor.user_id is not None else user_id,
            username=(actor.username if actor else (username or ""))[:64],
            role=str(actor.role) if actor else "",
            action=action,
            outcome=str(outcome),
            patient_id=patient_id,
            compartment=str(compartment) if compartment else None,
            object_type=object_type,
            object_id=object_id,
            workstation=actor.workstation if actor else workstation_name(),
            detail=detail[:300],
            seq=head.seq + 1,
        )
        if self.key is not None:
            entry.mac = entry_mac(self.key, head.mac, entry)
            head.mac = entry.mac
        head.seq = entry.seq
        session.add(entry)

    def record(self, actor: Actor | None, action: str, **kwargs) -> None:
        """Write one entry in its own unit of work (refusals, failed logins)."""
        with self._db.session() as session:
            self.add(session, actor, action, **kwargs)

    def refused(self, actor: Actor, action: str, **kwargs) -> None:
        self.record(actor, action, outcome=AuditOutcome.REFUSED, **kwargs)

    @staticmethod
    def to_record(entry: AuditEntry) -> AuditRecord:
        return AuditRecord(
            id=entry.id,
            at=entry.at,
            user_id=entry.user_id,
            username=entry.username,
            role=entry.role,
            action=entry.action,
            outcome=entry.outcome,
            patient_id=entry.patient_id,
            compartment=entry.compartment,
            object_type=entry.object_type,
            object_id=entry.object_id,
            workstation=entry.workstation,
            detail=entry.detail,
        )

    def entries_for_patient(self, session: Session, patient_id: int) -> list[AuditRecord]:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.patient_id == patient_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
        return [self.to_record(e) for e in rows]
