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
  transaction commits. :class:`app.services.change_listener.ChangeListener` receives them on a
  connection of its own.

A batch too large for a notification (demo data, migrations) is sent as "everything of these
kinds changed" (``complete`` is False): receivers refresh what they show of those kinds.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from app.models.audit import AuditEntry
from app.models.db import Database
from app.services import logs

CHANNEL = "relais_changes"
MAX_CHANGES = 100  # beyond: one "everything of these kinds" batch (NOTIFY payload < 8000 B)

# The tables a workstation shows, by kind (the kind is the table's name).
INBOX = "inbox"
REFERRAL_KINDS = frozenset({"referral", "referral_event"})
AGENDA_KINDS = frozenset(
    {"appointment", "consultation_session", "session_exception", "waiting_list_entry"}
)
PATIENT_KINDS = frozenset(
    {
        "patient",
        "note",
        "consent",
        "document",
        "social_assessment",
        "social_action",
        "home_care_request",
        "home_care_event",
        "discharge_plan",
        "discharge_follow_up",
    }
)
INBOX_KINDS = frozenset(
    {"notification", "referral", "referral_event", "appointment", "waiting_list_entry"}
    | {"social_action", "home_care_request", "home_care_event", "discharge_plan"}
)
TRACKED = REFERRAL_KINDS | AGENDA_KINDS | PATIENT_KINDS | INBOX_KINDS

_PENDING = "relais_changes"
log = logs.get("changes")
_ACTOR = "relais_change_actor"


@dataclass(frozen=True)
class Change:
    kind: str
    id: int | None
    patient_id: int | None = None


@dataclass(frozen=True)
class ChangeBatch:
    """The records one committed unit of work changed (ids and kinds only)."""

    changes: tuple[Change, ...] = ()
    user_id: int | None = None
    at: datetime | None = None
    origin: str = ""
    complete: bool = True
    kinds_only: frozenset[str] = field(default=frozenset())

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.changes) | self.kinds_only

    @property
    def patients(self) -> frozenset[int]:
        return frozenset(c.patient_id for c in self.changes if c.patient_id is not None)

    def touches(self, kinds: Iterable[str]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def touches_patient(self, patient_id: int) -> bool:
        """True when this batch may have changed the patient's file."""
        if not self.complete and self.touches(PATIENT_KINDS):
            return True
        return patient_id in self.patients

    def to_payload(self) -> str:
        data: dict[str, object] = {"o": self.origin}
        if self.user_id is not None:
            data["u"] = self.user_id
        if self.at is not None:
            data["t"] = self.at.isoformat()
        if self.complete:
            data["c"] = [[c.kind, c.id, c.patient_id] for c in self.changes]
        else:
            data["k"] = sorted(self.kinds)
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_payload(cls, payload: str) -> ChangeBatch | None:
        try:
            data = json.loads(payload)
            at = datetime.fromisoformat(data["t"]) if data.get("t") else None
            if "c" in data:
                changes = tuple(
                    Change(str(kind), _int(ident), _int(patient))
                    for kind, ident, patient in data["c"]
                )
                return cls(changes, _int(data.get("u")), at, str(data.get("o", "")))
            kinds = frozenset(str(k) for k in data.get("k", ()))
            return cls((), _int(data.get("u")), at, str(data.get("o", "")), False, kinds)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def everything(cls, origin: str = "") -> ChangeBatch:
        """ "Anything may have changed" (after a lost connection: notifications were missed)."""
        return cls((), None, None, origin, False, TRACKED)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).lstrip("-").isdigit() else None


Subscriber = Callable[[ChangeBatch], None]


class ChangeFeed:
    """Collects the changes of each unit of work of ``db``; tells them after commit."""

    def __init__(self, db: Database) -> None:
        self.origin = secrets.token_hex(8)
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
