"""The one audit writer. Who, role, action, patient, compartment, object, UTC time,
workstation — never any content. Entries are only ever appended, each chained to the previous
one by a keyed hash (``app.services.audit.chain``) under a key kept outside the database.

After each committed unit of work that sealed entries, the new chain head is also kept in this
workstation's keyring (``app.services.audit.anchor``), so that a truncated trail shows even when
the ``audit_head`` row was rewound with it.

Entries added to a unit of work wait in it and are written when it commits: the chain head is
read once, every entry goes in one ``INSERT`` and the head is updated once (on PostgreSQL by
the same statement: one round trip), however many reads and savepoints (``Database.action``)
the transaction held. A PostgreSQL action that only read has no transaction
(``OUTSIDE_TRANSACTION``): its entries go in by one statement that moves the head only if it is
still the one expected, and inserts nothing otherwise. The head expected is the one this
workstation's last committed append left (``AuditWriter.last_head``: no statement to read it)
or, when it has none, the head read first. A miss (another workstation appended since) brings
back the head as the statement saw it, and the entries are chained again after it; after
``CAS_ATTEMPTS`` misses they are appended under the head's lock in a transaction, as a unit of
work that writes does. The expected head is only ever a guess: the statement itself checks it,
so a stale one costs a miss, never a wrong chain.

An entry added inside a savepoint that is rolled back goes with it. A query of the audit tables
inside the unit of work first writes what waits (it sees its own entries)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.util import find_tables

from app.clock import Clock
from app.models import AuditEntry, AuditHead
from app.models.db import OUTSIDE_TRANSACTION, Database, begin_transaction
from app.models.enums import AuditOutcome
from app.services.audit.anchor import HeadAnchor
from app.services.audit.chain import GENESIS, entry_mac
from app.services.audit.records import AuditRecord
from app.services.audit.statements import (
    chain_statements,
    entries_and_head,
    entries_if_head_unmoved,
    entry_parameters,
    entry_shape,
)
from app.services.kernel import logs
from app.services.kernel.actor import Actor, workstation_name
from app.services.kernel.changes import note_actor
from app.services.kernel.unit_of_work import PENDING_AUDIT

_log = logs.get("audit")

_HEAD = "relais_audit_head"
# The writer whose sealed entry is the last one of this unit of work, and the head it will keep
# in the keyring once the unit of work is committed.
_SEALED = "relais_audit_sealed"
_TO_KEEP = "relais_audit_to_keep"
# The kept head's position and its entry's MAC, read with the chain head (``_read_head``).
_KEPT_READ = "relais_audit_kept_read"
# The writer that appended this unit of work's entries (its ``last_head`` set at the commit).
_WROTE = "relais_audit_wrote"
_AUDIT_TABLES = frozenset((AuditEntry.__table__, AuditHead.__table__))
# Appends by compare-and-swap tried before taking the head's lock (another workstation appended
# between the read of the head and each try).
CAS_ATTEMPTS = 3


@dataclass
class _Head:
    """The chain head as this transaction last read or wrote it (``audit_head`` row 1)."""

    seq: int
    mac: str
    stored: bool  # False: no row yet (the first entry of a new database inserts it)
    locked: bool = True  # False: read outside a transaction, to be moved by compare-and-swap


@dataclass(frozen=True)
class _Pending:
    """An entry added to a unit of work, not written yet: its savepoint (None: the
    transaction itself), its writer, and its columns but for the chain (``seq``, ``mac``)."""

    savepoint: SessionTransaction | None
    writer: AuditWriter
    values: dict


class _Row:
    """An entry's columns as attributes, for its MAC (``chain.entry_mac``)."""

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def _read_head(session: Session, kept: int | None, *, lock: bool = True) -> _Head:
    """The chain head, read once per transaction (locked, unless ``lock`` is False: an
    action outside a transaction); with it, the MAC of the entry at ``kept`` (this
    workstation's kept head) for the anchor's check."""
    head = session.info.get(_HEAD)
    if head is None or (lock and not head.locked):
        statement = chain_statements()[0 if lock else 1]
        row = session.connection().execute(statement, {"kept": kept}).first()
        head = _Head(row.seq, row.mac, True, lock) if row else _Head(0, GENESIS, False, lock)
        if row is not None and kept is not None:
            session.info[_KEPT_READ] = (kept, row.kept_mac)
        session.info[_HEAD] = head
    return head


def _kept_seq(session: Session, pending: list[_Pending]) -> int | None:
    """The position of the head kept by the writer that seals these entries, if any."""
    sealing = next((item.writer for item in reversed(pending) if item.writer.key), None)
    if sealing is None or _HEAD in session.info:  # nothing sealed, or the head was read
        return None
    try:
        return sealing.anchor.kept(session).seq
    except Exception:  # the keyring must never stop the work itself
        _log.exception("audit : empreinte de fin de chaîne illisible")
        return None


def write_pending(session: Session) -> None:
    """Write the entries waiting in ``session``: the head read once, one ``INSERT`` for all,
    one update of the head. Called before the commit and before a query of the audit tables;
    a service never needs to."""
    pending: list[_Pending] | None = session.info.get(PENDING_AUDIT)
    if not pending:
        return
    session.info[PENDING_AUDIT] = []
    conn = session.connection()
    for _attempt in range(CAS_ATTEMPTS):
        if not session.info.get(OUTSIDE_TRANSACTION):
            break
        kept = _kept_seq(session, pending)
        head = session.info.get(_HEAD) or _expected(pending)
        if head is None:
            head = _read_head(session, kept, lock=False)
        if not head.stored:  # the first entry ever: the head row is inserted, in a transaction
            break
        rows, moved = _chained(pending, head)
        names = tuple(rows[0])
        moved.update({"read_seq": head.seq, "read_mac": head.mac, "kept": kept})
        moved.update(entry_parameters(rows, names))
        found = conn.execute(entries_if_head_unmoved(names, entry_shape(rows)), moved).first()
        if found is None:  # no head row (removed): appended in a transaction, which inserts it
            session.info.pop(_HEAD, None)
            break
        if kept is not None:
            session.info[_KEPT_READ] = (kept, found.kept_mac)
        if found.moved is not None:
            session.info[_HEAD] = head
            _moved(session, head, pending, rows, moved)
            return
        # Another workstation appended since: chain after the head as the statement found it.
        session.info[_HEAD] = _Head(found.seq, found.mac, True, False)
    begin_transaction(session)
    head = _read_head(session, _kept_seq(session, pending))
    rows, moved = _chained(pending, head)
    _append(conn, head, rows, moved)
    _moved(session, head, pending, rows, moved)


def _expected(pending: list[_Pending]) -> _Head | None:
    """The head this workstation's last committed append left, if any: expected to be the
    chain's head still (no other workstation appended since), checked by the append itself."""
    last = pending[-1].writer.last_head
    return None if last is None else _Head(last[0], last[1], True, False)


def _chained(pending: list[_Pending], head: _Head) -> tuple[list[dict], dict]:
    """The entries' rows, chained after ``head``, and the head they move it to."""
    seq, mac = head.seq, head.mac
    rows = []
    for item in pending:
        seq += 1
        row = {**item.values, "seq": seq, "mac": None}
        if item.writer.key is not None:
            row["mac"] = mac = entry_mac(item.writer.key, mac, _Row(row))
        rows.append(row)
    return rows, {"head_seq": seq, "head_mac": mac}


def _append(conn: Connection, head: _Head, rows: list[dict], moved: dict) -> None:
    """Append ``rows`` and move the head, in a transaction holding the head's lock."""
    _, _, add_entries, update_head, insert_head = chain_statements()
    if head.stored and conn.dialect.name == "postgresql":
        # One round trip on the clinic's network instead of two.
        names = tuple(rows[0])
        moved.update(entry_parameters(rows, names))
        conn.execute(entries_and_head(names, entry_shape(rows)), moved)
    else:
        conn.execute(add_entries, rows)
        conn.execute(update_head if head.stored else insert_head, moved)


def _moved(session: Session, head: _Head, pending: list[_Pending], rows: list[dict], moved: dict):
    """After the append: the head as written, and the writer whose sealed entry ends it."""
    head.seq, head.mac, head.stored = moved["head_seq"], moved["head_mac"], True
    session.info[_WROTE] = pending[-1].writer
    if rows[-1]["mac"] is not None:
        session.info[_SEALED] = pending[-1].writer
    else:  # nothing to keep: the last entry is not sealed
        session.info.pop(_SEALED, None)


def _forget_head(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HEAD, None)
        session.info.pop(_KEPT_READ, None)
        session.info.pop(_SEALED, None)
        session.info.pop(_TO_KEEP, None)
        session.info.pop(_WROTE, None)
        session.info.pop(PENDING_AUDIT, None)


def _undone(tag: SessionTransaction | None, boundary: SessionTransaction) -> bool:
    while tag is not None:
        if tag is boundary:
            return True
        tag = tag.parent
    return False


def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    """A savepoint (or the transaction) was rolled back: its waiting entries go with it, and
    the head is read again (an update of it written there was undone)."""
    session.info.pop(_HEAD, None)
    session.info.pop(_KEPT_READ, None)
    session.info.pop(_WROTE, None)
    boundary: SessionTransaction | None = previous
    while boundary is not None and not boundary.nested and boundary.parent is not None:
        boundary = boundary.parent
    pending: list[_Pending] | None = session.info.get(PENDING_AUDIT)
    if not pending:
        return
    if boundary is None or not boundary.nested:
        pending.clear()
    else:
        pending[:] = [item for item in pending if not _undone(item.savepoint, boundary)]


def _before_query(state: ORMExecuteState) -> None:
    """A query of the audit tables inside the unit of work sees the entries it added."""
    if not state.session.info.get(PENDING_AUDIT) or not state.is_select:
        return
    if any(table in _AUDIT_TABLES for table in find_tables(state.statement, include_joins=True)):
        write_pending(state.session)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    write_pending(session)
    writer = session.info.get(_SEALED)
    if writer is None:
        return
    head = session.info.get(_HEAD)
    if head is None:
        return
    try:
        to_keep = writer.anchor.pending(
            session, head.seq, head.mac, writer.now(), session.info.get(_KEPT_READ)
        )
    except Exception:  # the keyring must never stop the work itself
        _log.exception("audit : empreinte de fin de chaîne non conservée")
        return
    session.info[_TO_KEEP] = (writer, to_keep)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    wrote, head = session.info.pop(_WROTE, None), session.info.get(_HEAD)
    if wrote is not None and head is not None:  # committed: the head the next append expects
        wrote.last_head = (head.seq, head.mac)
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
        # The chain head (position, MAC) as this workstation's last committed append left it:
        # the head its next append outside a transaction expects (PostgreSQL), unread.
        self.last_head: tuple[int, str] | None = None
        # The chain head read (and locked) by a unit of work is cached in its session until
        # the transaction ends; the head to keep is computed just before the commit.
        for name, listener in (
            ("after_transaction_end", _forget_head),
            ("after_soft_rollback", _after_rollback),
            ("do_orm_execute", _before_query),
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
        """Add an entry to ``session``: written when the unit of work commits, with its work
        (see the module's docstring)."""
        at = self._clock()
        values = {
            "at": at,
            "user_id": actor.user_id if actor and actor.user_id is not None else user_id,
            "username": (actor.username if actor else (username or ""))[:64],
            "role": str(actor.role) if actor else "",
            "action": action,
            "outcome": str(outcome),
            "patient_id": patient_id,
            "compartment": str(compartment) if compartment else None,
            "object_type": object_type,
            "object_id": object_id,
            "workstation": actor.workstation if actor else workstation_name(),
            "detail": detail[:300],
        }
        pending = session.info.setdefault(PENDING_AUDIT, [])
        pending.append(_Pending(session.get_nested_transaction(), self, values))
        if values["user_id"] is not None:
            note_actor(session, values["user_id"], at)

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
