"""The columns of a row that tell about a person's health or social situation, sealed together.

Each :class:`SealedFields` names a table's sensitive columns and the one column that holds
them sealed as a JSON document under a data key (``policy.KEY_DOMAINS``). Services read and
write those values through :meth:`SealedFields.read` and :meth:`SealedFields.write`; the clear
columns are legacy (rows written before migration 0005): ``write`` leaves them empty, ``read``
falls back on them while a row has no sealed document yet, and ``relais-admin keys
encrypt-existing`` seals what they still hold (:func:`seal_legacy`).

``REGISTRY`` lists them all: the data classification (``app.services.security.classification``)
and its test are built from it, so that a sensitive column cannot stay readable unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, Integer, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    DischargePlan,
    HomeCareEvent,
    HomeCareRequest,
    SocialAction,
    WaitingListEntry,
)
from app.models.base import Base
from app.models.security import ExceptionalAccess
from app.services.kernel.actor import Actor
from app.services.kernel.policy import ADMINISTRATIVE_DOMAIN, CARE_DOMAIN
from app.services.security.codec import ContentCodec

SOCIAL_DOMAIN = "social"


@dataclass(frozen=True)
class SealedFields:
    model: type[Base]
    domain: str  # whose data key seals them (policy.KEY_DOMAINS)
    column: str  # the LargeBinary column holding the sealed JSON document
    fields: tuple[str, ...]  # the legacy clear columns
    prefix: str  # context prefix: the document is bound to ``<prefix>:<row id>``
    why: str  # what they tell, for docs/security.md

    def context(self, row: Any) -> str:
        return f"{self.prefix}:{row.id}"

    def _column_type(self, name: str):
        return self.model.__table__.columns[name].type

    def _empty(self, name: str) -> Any:
        column = self.model.__table__.columns[name]
        if column.nullable:
            return None
        return "" if not isinstance(column.type, Integer | Boolean | Date) else column.default.arg

    def _encode(self, name: str, value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        return value

    def _decode(self, name: str, value: Any) -> Any:
        if value is None:
            return self._empty(name)  # "" for a text column: as the clear column held it
        if isinstance(self._column_type(name), Date):
            return date.fromisoformat(value)
        return value

    def is_sealed(self, row: Any) -> bool:
        return getattr(row, self.column) is not None

    def read(self, codec: ContentCodec, actor: Actor, row: Any) -> dict[str, Any]:
        """The values: from the sealed document, or the legacy clear columns."""
        blob = getattr(row, self.column)
        if blob is None:
            return {name: getattr(row, name) for name in self.fields}
        data = codec.open_json(actor, self.domain, blob, context=self.context(row))
        return {name: self._decode(name, data.get(name)) for name in self.fields}

    def write(self, codec: ContentCodec, actor: Actor, row: Any, values: dict[str, Any]) -> None:
        """Seal ``values`` (every field) into the row; the clear columns are emptied. The
        row must have its id (flushed)."""
        document = {name: self._encode(name, values.get(name)) for name in self.fields}
        setattr(
            row,
            self.column,
            codec.seal_json(actor, self.domain, document, context=self.context(row)),
        )
        for name in self.fields:
            setattr(row, name, self._empty(name))

    def legacy_rows(self):
        """A query of the rows whose clear columns still hold something to seal."""
        table = self.model.__table__
        holding = []
        for name in self.fields:
            column = table.columns[name]
            if column.nullable:
                holding.append(column.is_not(None))
            else:
                holding.append(column != self._empty(name))
        return select(self.model).where(getattr(self.model, self.column).is_(None), or_(*holding))


HOME_CARE_REQUEST = SealedFields(
    HomeCareRequest,
    CARE_DOMAIN,
    "sealed_details",
    (
        "acts",
        "care_detail",
        "prescriber_name",
        "prescriber_rpps",
        "address",
        "phone",
        "door_code",
        "floor",
        "access_notes",
        "availability",
        "frequency",
        "duration_days",
        "discharge_date",
        "hospital",
        "ward",
        "accepted_by",
        "refusal_reason",
    ),
    "home_care",
    "acts and care, prescriber, coordinates and access (door code, floor), availability, "
    "frequency, the hospital stay, the partner's answer",
)
HOME_CARE_EVENT = SealedFields(
    HomeCareEvent,
    CARE_DOMAIN,
    "sealed_detail",
    ("detail",),
    "home_care_event",
    "who accepted, why the partner refused or the request was cancelled",
)
DISCHARGE_PLAN = SealedFields(
    DischargePlan,
    CARE_DOMAIN,
    "sealed_details",
    (
        "hospital",
        "ward",
        "admitted_on",
        "destination_detail",
        "aids",
        "retired",
        "gir",
        "child_care",
        "equipment",
        "comments",
    ),
    "discharge",
    "the hospital stay, aids, dependency (GIR), retirement, child care, equipment, comments",
)
SOCIAL_ACTION = SealedFields(
    SocialAction,
    SOCIAL_DOMAIN,
    "sealed_details",
    ("kind", "partner_id"),
    "social_action",
    "the kind of a social step (MDPH, FSL, housing…) and the partner it goes to",
)
WAITING_LIST_ENTRY = SealedFields(
    WaitingListEntry,
    ADMINISTRATIVE_DOMAIN,
    "sealed_preferences",
    ("preferences",),
    "waiting",
    "when the patient can come, in their words",
)
APPOINTMENT = SealedFields(
    Appointment,
    ADMINISTRATIVE_DOMAIN,
    "sealed_status_reason",
    ("status_reason",),
    "appointment",
    "why an appointment was cancelled or missed, as typed",
)
EXCEPTIONAL_ACCESS = SealedFields(
    ExceptionalAccess,
    ADMINISTRATIVE_DOMAIN,
    "sealed_justification",
    ("justification",),
    "exceptional",
    "the urgency that justified an exceptional access",
)

REGISTRY: tuple[SealedFields, ...] = (
    HOME_CARE_REQUEST,
    HOME_CARE_EVENT,
    DISCHARGE_PLAN,
    SOCIAL_ACTION,
    WAITING_LIST_ENTRY,
    APPOINTMENT,
    EXCEPTIONAL_ACCESS,
)


def seal_legacy(
    session: Session,
    codec: ContentCodec,
    actor: Actor,
    spec: SealedFields,
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Seal the clear values of legacy rows of ``spec`` (in the caller's unit of work, one
    batch); returns how many rows were sealed."""
    rows = session.scalars(spec.legacy_rows().limit(batch)).all()
    for row in rows:
        spec.write(codec, actor, row, {name: getattr(row, name) for name in spec.fields})
    session.flush()
    if progress:
        progress(len(rows))
    return len(rows)
