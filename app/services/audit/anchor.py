"""The last audit chain head this workstation sealed, kept in its OS keyring next to the audit
key (``app.services.security.secrets_store``), outside the database.

Someone with write access to the database can delete the end of the audit trail and rewind the
``audit_head`` row to the last entry left: the database alone then looks intact. So, after each
unit of work that sealed entries is committed, the writer records the new head (position, MAC
and time) in this workstation's keyring, and ``audit_chain.verify`` checks that this entry is
still in the chain, with that MAC (the walk then proves that the chain extends from it).

The kept head may lag behind the database (a crash between the commit and the keyring write,
two units of work committing at once), never run ahead of it: it is written only after the
commit. It only proves what *this* workstation sealed: on PostgreSQL, each workstation keeps its
own. The writer never moves it forward over a chain that no longer contains it (truncated or
replaced since), so that the evidence waits for ``verify``.

A restore of a backup rewinds the trail on purpose. The workstation that restores forgets its
kept head (:meth:`HeadAnchor.forget`); on the others, a sealed restore entry written *after*
their kept head (by time: positions before and after a restore say nothing) supersedes it.
Such an entry cannot be forged without the audit key, and ``verify`` checks its MAC like any
other; entries sealed by this workstation after the restore would be kept (and checked) anew.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Clinic
from app.services.kernel import logs
from app.services.security.secrets_store import AUDIT_HEAD, SecretStore

_log = logs.get("audit")

# The audit action of a restore (``app.services.clinic.backup_manager``): it supersedes older
# kept heads.
RESTORE_ACTION = "backup_restore"
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
# The kept head's entry, when it was not read with the chain head (built once).
_ONE_ENTRY = select(AuditEntry.mac).where(AuditEntry.seq == bindparam("seq"))


@dataclass(frozen=True)
class StoredHead:
    """What this workstation's keyring holds for one installation.

    ``available`` is False when there is no usable keyring (nothing can be compared);
    ``seq``/``mac`` are None when nothing is kept yet (or the value is unreadable); ``at`` is
    when it was kept (UTC).
    """

    available: bool
    seq: int | None = None
    mac: str | None = None
    at: datetime | None = None

    @property
    def head(self) -> tuple[int, str] | None:
        return (self.seq, self.mac) if self.seq is not None and self.mac is not None else None


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def supersedes(restored_at: datetime | None, kept_at: datetime | None) -> bool:
    """Does a restore recorded at ``restored_at`` rewind a head kept at ``kept_at``?"""
    return restored_at is not None and kept_at is not None and utc(restored_at) > kept_at


def _format(seq: int, mac: str, at: datetime) -> str:
    return f"{seq} {mac} {utc(at).strftime(_TIME)}"


def _parse(text: str | None) -> StoredHead:
    parts = (text or "").split()
    if len(parts) != 3 or not parts[0].isdigit():
        return StoredHead(True)
    seq, mac = int(parts[0]), parts[1].lower()
    if seq < 1 or len(mac) != 64 or any(c not in "0123456789abcdef" for c in mac):
        return StoredHead(True)
    try:
        at = datetime.strptime(parts[2], _TIME).replace(tzinfo=UTC)
    except ValueError:
        return StoredHead(True)
    return StoredHead(True, seq, mac, at)


def read_stored_head(conn: Connection, store_factory=SecretStore) -> StoredHead:
    """The head this workstation kept for the installation of ``conn``'s database (for
    ``audit_chain.verify``)."""
    installation = conn.scalar(select(Clinic.installation_id).limit(1))
    if not installation:  # not set up: no head was ever kept
        return StoredHead(available=True)
    store = store_factory(installation)
    if not store.available():
        return StoredHead(available=False)
    return _parse(store.get(AUDIT_HEAD))


def forget_stored_head(installation: str | None, store_factory=SecretStore) -> None:
    """Drop the head kept for ``installation`` (the trail was rewound on purpose: restore)."""
    if installation:
        store_factory(installation).delete(AUDIT_HEAD)


@dataclass(frozen=True)
class ToKeep:
    """A head to record once the unit of work is committed."""

    installation: str
    seq: int
    mac: str
    at: datetime
    after_restore: bool = False  # replaces a kept head that a restore superseded


class HeadAnchor:
    """The writer's side: checks, then records, the head after each sealing commit.

    One keyring write per committed unit of work that sealed entries (not per entry), one
    keyring read per installation and process (then cached), and, per such commit, a check
    that the chain still contains the head kept before — its entry's MAC read with the chain
    head, in the writer's statement (no round trip of its own).
    """

    def __init__(self, store_factory=SecretStore) -> None:
        self._store_factory = store_factory
        self._lock = threading.Lock()
        self._installation: str | None = None
        self._usable: bool | None = None
        self._kept = StoredHead(True)
        self._loaded = False

    def _store(self) -> SecretStore:
        assert self._installation is not None
        return self._store_factory(self._installation)

    def kept(self, session: Session) -> StoredHead:
        """The head this workstation kept (loaded from the keyring once per process), or an
        empty one (no installation yet, no keyring). The writer reads that entry's MAC with
        the chain head, in the same statement (``writer.write_pending``)."""
        if self._installation is None:
            self._installation = session.scalar(select(Clinic.installation_id).limit(1)) or None
            if self._installation is None:
                return StoredHead(False)
        with self._lock:
            if self._usable is None:
                self._usable = self._store().available()
            if not self._usable:
                return StoredHead(False)
            if not self._loaded:
                self._kept = _parse(self._store().get(AUDIT_HEAD))
                self._loaded = True
            return self._kept

    def pending(
        self,
        session: Session,
        seq: int,
        mac: str,
        now: datetime,
        read: tuple[int, str | None] | None = None,
    ) -> ToKeep | None:
        """Before the commit (inside the unit of work), once the unit's entries are written
        and the new head (``seq``, ``mac``) is the last of them: the head to keep once
        committed, or None (no installation yet, no keyring, or a chain that lost the head
        kept before). ``read``: the kept entry's position and MAC as read with the chain head
        under its lock (read here when not given)."""
        kept = self.kept(session)
        if not kept.available:
            return None
        if kept.seq is None:
            return ToKeep(self._installation, seq, mac, utc(now))
        if read is not None and read[0] == kept.seq:
            found = read[1]
        else:  # the head was read before the kept one was known: one indexed read
            found = session.connection().execute(_ONE_ENTRY, {"seq": kept.seq}).scalar()
        if found == kept.mac:
            return ToKeep(self._installation, seq, mac, utc(now))
        # A sealed restore entry recorded since (entries after the kept time: the time index).
        restored = kept.at is not None and session.scalar(
            select(AuditEntry.seq)
            .where(
                AuditEntry.at > kept.at,
                AuditEntry.action == RESTORE_ACTION,
                AuditEntry.mac.is_not(None),
            )
            .limit(1)
        )
        if restored:
            return ToKeep(self._installation, seq, mac, utc(now), after_restore=True)
        # Truncated or replaced since this workstation sealed that entry: leave the kept head
        # as it is, for ``verify`` to report.
        _log.warning(
            "audit : l'entrée n° %d scellée par ce poste n'est plus dans la chaîne", kept.seq
        )
        return None

    def keep(self, head: ToKeep) -> None:
        """After the commit: record the head (never one older than the last recorded, but for
        the first one after a restore)."""
        with self._lock:
            if head.installation != self._installation or not self._usable:
                return
            if not head.after_restore and self._kept.seq is not None and self._kept.seq >= head.seq:
                return
            if self._store().put(AUDIT_HEAD, _format(head.seq, head.mac, head.at)):
                self._kept = StoredHead(True, head.seq, head.mac, head.at)
            else:  # the keyring went away: stop trying in this process
                self._usable = False
                _log.warning("audit : empreinte de fin de chaîne non conservée (trousseau)")

    def forget(self, installation: str | None) -> None:
        """The trail of ``installation`` was rewound on purpose (restore of a backup on this
        workstation): drop the kept head; the next sealing commit records the restored chain's
        head."""
        with self._lock:
            forget_stored_head(installation, self._store_factory)
            self._installation = None
            self._usable = None
            self._kept = StoredHead(True)
            self._loaded = False
