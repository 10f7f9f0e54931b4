"""The kinds and ids a change notification carries (no SQLAlchemy: views read these too).

A :class:`ChangeBatch` names what one committed unit of work changed by kind (a table's name)
and id, with the patient's id and the acting user's id and time: never a name or content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

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
