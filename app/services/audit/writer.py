"""The one audit writer. Who, role, action, patient, compartment, object, UTC time,
workstation — never any content. Entries are only ever appended, each chained to the previous
one by a keyed hash (``app.services.audit.chain``) under a key kept outside the database.

After each committed unit of work that sealed entries, the new chain head is also kept in this
workstation's keyring (``app.services.audit.anchor``), so that a truncated trail shows even when
the ``audit_head`` row was rewound with it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.models.enums import AuditOutcome
from app.services.audit.anchor import HeadAnchor
from app.services.audit.chain import GENESIS, entry_mac
from app.services.audit.records import AuditRecord
from app.services.kernel import logs
from app.services.kernel.actor import Actor, workstation_name

_log = logs.get("audit")

_HEAD = "relais_audit_head"
# The writer whose sealed entry is the last one of this unit of work, and the head it will keep
# in the keyring once the unit of work is committed.
_SEALED = "relais_audit_sealed"
_TO_KEEP = "relais_audit_to_keep"


def _forget_head(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HEAD, None)
        session.info.pop(_SEALED, None)
        session.info.pop(_TO_KEEP, None)


def _before_commit(session: Session) -> None:
    writer = session.info.get(_SEALED)
    if writer is None or session.in_nested_transaction():
        return
    head = session.info.get(_HEAD)
    if head is None:
        return
    try:
        to_keep = writer.anchor.pending(session, head.seq, head.mac, writer.now())
    except Exception:  # the keyring must never stop the work itself
        _log.exception("audit : empreinte de fin de chaîne non conservée")
        return
    session.info[_TO_KEEP] = (writer, to_keep)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    writer, to_keep = session.info.pop(_TO_KEEP, (None, None))
    if to_keep is not None:
        try:
            writer.anchor.keep(to_keep)
        except Exception:  # committed already: a keyring failure must not undo that
            _log.exception("audit : empreinte de fin de chaîne non conservée")


class AuditWriter:
    """Appends audit entries, inside the caller's unit of work or in a unit of its own."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        key: bytes | None = None,
        *,
        find_key: Callable[[], bytes | None] | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        # ``find_key`` (the keyring's lookup, a tenth of a second on a cold start) runs once,
        # at the first use of the key, unless a key is given or set first.
        self._key = key
        self._find_key = None if key is not None else find_key
        self._key_lock = threading.Lock()
        # Where the chain head is kept outside the database once a sealing unit of work
        # commits (this workstation's keyring).
        self.anchor = HeadAnchor()
        # The chain head read (and locked) by a unit of work is cached in its session until
        # the transaction ends; the head to keep is computed just before the commit.
        for name, listener in (
            ("after_transaction_end", _forget_head),
            ("before_commit", _before_commit),
            ("after_commit", _after_commit),
        ):
            if not event.contains(db.sessions, name, listener):
                event.listen(db.sessions, name, listener)

    @property
    def key(self) -> bytes | None:
        """The audit key of this installation (None: entries are written unsealed)."""
        if self._find_key is not None:
            with self._key_lock:
                if self._find_key is not None:
                    self._key, self._find_key = self._find_key(), None
        return self._key

    @key.setter
    def key(self, key: bytes | None) -> None:
        with self._key_lock:
            self._key, self._find_key = key, None

    def now(self) -> datetime:
        return self._clock()

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
            session.info[_SEALED] = self
        else:  # nothing to keep: the last entry is not sealed
            session.info.pop(_SEALED, None)
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
