"""What changed, told to whoever shows it: after each committed unit of work.

:class:`ChangeFeed` watches the units of work of one database. After each flush it notes the
records that a workstation shows — referrals, appointments, sessions, patient files and what
they hold, inbox notifications — by **kind and id only** (plus the patient's id and the acting
user's id and time, taken from the unit of work's audit entry): never a name, never content.

- On every backend, once the unit of work has committed, the feed hands the batch to its
  local subscribers (this workstation refreshes after its own changes; nothing is delivered
  for a unit of work that rolled back).
- On PostgreSQL, the same batch is sent inside the unit of work with ``pg_notify`` on
  :data:`CHANNEL`: the server delivers it to the other workstations only if, and when, the
  transaction commits. :class:`app.services.kernel.change_listener.ChangeListener` receives
  them on a connection of its own.

A batch too large for a notification (demo data, migrations) is sent as "everything of these
kinds changed" (``complete`` is False): receivers refresh what they show of those kinds.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from app.models.audit import AuditEntry
from app.models.db import Database
from app.models.user import User
from app.services.kernel import logs
from app.services.kernel.actor import Actor
from app.services.kernel.change_kinds import (  # noqa: F401  (re-exported)
    AGENDA_KINDS,
    CHANNEL,
    INBOX_KINDS,
    MAX_CHANGES,
    PATIENT_KINDS,
    REFERRAL_KINDS,
    TRACKED,
    Change,
    ChangeBatch,
)

_PENDING = "relais_changes"
_ACTOR = "relais_change_actor"
log = logs.get("changes")


Subscriber = Callable[[ChangeBatch], None]


def note_actor(session: Session, user_id: int, at) -> None:
    """Who acted in this unit of work, and when (the audit writer tells it as it adds the
    unit's entries, which are written only at the commit)."""
    session.info[_ACTOR] = (user_id, at)


class ChangeFeed:
    """Collects the changes of each unit of work of ``db``; tells them after commit."""

    def __init__(self, db: Database) -> None:
        self.origin = secrets.token_hex(8)
        self._db = db
        self._notify = db.dialect == "postgresql"
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        for name, handler in (
            ("after_flush", self._collect),
            ("before_commit", self._send),
            ("after_commit", self._deliver),
            ("after_rollback", self._forget),
        ):
            event.listen(db.sessions, name, handler)

    # ---- subscribers ----------------------------------------------------------------------
    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber(batch)`` after each change (from the committing thread, or the
        listener's); returns the function that unsubscribes."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, batch: ChangeBatch) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(batch)
            except Exception as exc:  # a subscriber's failure must not undo or hide a commit
                log.error("change subscriber failed: %s", type(exc).__name__)

    def author_name(self, actor: Actor, user_id: int | None) -> str:
        """The colleague who made a change (« Modifié par … »): the name every colleague sees
        on referrals and appointments; empty for an unknown id or the system."""
        del actor  # any logged-in colleague: no policy beyond being logged in
        if user_id is None:
            return ""
        with self._db.session(write=False) as session:
            row = session.execute(
                select(User.first_name, User.last_name).where(User.id == user_id)
            ).first()
        return f"{row.first_name} {row.last_name}" if row else ""

    def receive(self, payload: str) -> ChangeBatch | None:
        """A notification from the server: published unless it is one of ours (already told
        after our own commit) or unreadable."""
        batch = ChangeBatch.from_payload(payload)
        if batch is None or batch.origin == self.origin:
            return None
        self.publish(batch)
        return batch

    # ---- session events -------------------------------------------------------------------
    def _collect(self, session: Session, _context) -> None:
        pending: dict[tuple[str, int | None], Change] = session.info.setdefault(_PENDING, {})
        for obj in [*session.new, *session.dirty, *session.deleted]:
            if isinstance(obj, AuditEntry):
                if obj.user_id is not None:
                    session.info[_ACTOR] = (obj.user_id, obj.at)
                continue
            state = inspect(obj)
            table = state.mapper.local_table.name
            if table not in TRACKED:
                continue
            # From the loaded values only: never a lazy load here.
            ident = state.dict.get("id")
            patient = ident if table == "patient" else state.dict.get("patient_id")
            pending[(table, ident)] = Change(table, ident, patient)

    def _batch(self, session: Session) -> ChangeBatch | None:
        pending: dict = session.info.get(_PENDING) or {}
        if not pending:
            return None
        user_id, at = session.info.get(_ACTOR, (None, None))
        changes = tuple(pending.values())
        if len(changes) > MAX_CHANGES:
            kinds = frozenset(c.kind for c in changes)
            return ChangeBatch((), user_id, at, self.origin, False, kinds)
        return ChangeBatch(changes, user_id, at, self.origin)

    def _send(self, session: Session) -> None:
        if not self._notify:
            return
        session.flush()  # the unit of work's last changes, before they are told
        batch = self._batch(session)
        if batch is not None:
            session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": batch.to_payload()},
            )

    def _deliver(self, session: Session) -> None:
        batch = self._batch(session)
        self._forget(session)
        if batch is not None:
            self.publish(batch)

    @staticmethod
    def _forget(session: Session) -> None:
        session.info.pop(_PENDING, None)
        session.info.pop(_ACTOR, None)
