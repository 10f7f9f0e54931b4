"""The user's inbox: notices addressed to them (exceptional access on their compartment, key
grants, reminders) merged with their referral items — a new referral for them
(``referral_new``), feedback received on a referral they sent (``referral_feedback``), a
referral overdue (``referral_overdue``). Each user sees and marks only their own items.

Referral items are computed from the referrals themselves (no notification rows): their ``id``
is ``-referral_id`` and marking them read clears the user's unread marker on the referral.

Other services add computed items through :class:`ItemSource` (registered with
:meth:`InboxService.add_source`): overdue actions of the action plan, home-care requests
waiting too long, discharge follow-up dates… Their items carry the source's name in
``InboxItem.source`` and the source's own id in ``InboxItem.id``; marking one read asks its
source."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update

from app.clock import Clock
from app.models import Notification, Patient
from app.models.db import Database
from app.models.enums import Sex
from app.services.audit.writer import AuditWriter
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.records import PatientSummary
from app.services.kernel.timefmt import aware, fmt_date
from app.services.referrals.records import ReferralSummary

MAX_ITEMS = 500


class ReferralItems(Protocol):
    """What the inbox needs from the referrals service."""

    def inbox_entries(self, actor: Actor) -> list[tuple[str, ReferralSummary]]: ...
    def mark_seen(self, actor: Actor, referral_id: int) -> bool: ...


class ItemSource(Protocol):
    """A service that computes inbox items for a user (reminders, overdue work)."""

    def inbox_items(self, actor: Actor) -> list[InboxItem]:
        """The actor's items; ``source`` set to the name the source was registered under."""
        ...

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """Mark the actor's item read (e.g. the reminder seen); False when not theirs."""
        ...


def reminder_item(
    source: str,
    item_id: int,
    kind: str,
    text: str,
    *,
    since: datetime,
    seen_at: datetime | None,
    patient_id: int,
    patient_name: str,
) -> InboxItem:
    """A reminder of an :class:`ItemSource`, due ``since``: read when its owner saw it after
    that moment, unread again when a new delay starts (``since`` moves past ``seen_at``)."""
    seen = aware(seen_at)
    return InboxItem(
        id=item_id,
        kind=kind,
        text=text,
        created_at=since,
        read_at=seen if seen is not None and seen >= since else None,
        patient_id=patient_id,
        patient_name=patient_name,
        source=source,
    )


def mark_reminder_seen(
    db: Database, owner_column: Any, item_id: int, actor: Actor, when: datetime
) -> bool:
    """What an :class:`ItemSource` does when its item is marked read: record that the owner
    saw the reminder of row ``item_id`` (a model with ``id`` and ``reminder_seen_at``;
    ``owner_column`` says whose row it is). No version bump: a dialog open on the row keeps
    its version. False when the row is not the actor's."""
    if actor.user_id is None:
        return False
    model = owner_column.class_
    with db.session() as session:
        result = session.execute(
            update(model)
            .where(model.id == item_id, owner_column == actor.user_id)
            .values(reminder_seen_at=when)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)


def _referral_text(kind: str, s: ReferralSummary) -> str:
    """No content (reason, message): who, where, when."""
    urgent = f" — {s.urgency_label.lower()}" if s.urgency != "normal" else ""
    if kind == "referral_new":
        return f"Nouvelle orientation de {s.sender_name}{urgent}."
    if kind == "referral_feedback":
        return f"{s.destination_name} a répondu à votre orientation ({s.status_label.lower()})."
    since = fmt_date(s.sent_at) if s.sent_at else ""
    return (
        f"Orientation de {s.sender_name} vers {s.destination_name} en attente depuis le "
        f"{since} ({s.status_label.lower()}){urgent}."
    )


def _referral_item(kind: str, s: ReferralSummary) -> InboxItem:
    return InboxItem(
        id=-s.id,
        kind=kind,
        text=_referral_text(kind, s),
        created_at=s.updated_at,
        read_at=None if s.unread else s.updated_at,
        patient_id=s.patient_id,
        patient_name=s.patient_name,
        referral_id=s.id,
    )


def _patient_name(row) -> str:
    """The patient's display name (notices name the patient; every role reads identity)."""
    if row.birth_name is None:
        return ""
    return PatientSummary(
        0, row.birth_name, row.used_name, row.first_names, Sex(row.sex), row.bd, None, ""
    ).display_name


class InboxService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        referrals: ReferralItems | None = None,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._referrals = referrals
        self._sources: dict[str, ItemSource] = {}

    def add_source(self, name: str, source: ItemSource) -> None:
        self._sources[name] = source

    def _source_items(self, actor: Actor) -> list[InboxItem]:
        if actor.user_id is None:
            return []
        return [item for source in self._sources.values() for item in source.inbox_items(actor)]

    def _referral_items(self, actor: Actor) -> list[InboxItem]:
        if self._referrals is None:
            return []
        return [_referral_item(kind, s) for kind, s in self._referrals.inbox_entries(actor)]

    def items(self, actor: Actor, *, unread_only: bool = False) -> list[InboxItem]:
        """Notices and referral items, unread first, then newest first."""
        items = self._notices(actor, unread_only=unread_only) + [
            i
            for i in self._referral_items(actor) + self._source_items(actor)
            if not (unread_only and i.read)
        ]
        items.sort(key=lambda i: (i.read, -i.created_at.timestamp(), -i.id))
        return items[:MAX_ITEMS]

    def _notices(self, actor: Actor, *, unread_only: bool = False) -> list[InboxItem]:
        if actor.user_id is None:
            return []
        query = (
            select(
                Notification,
                Patient.birth_name,
                Patient.used_name,
                Patient.first_names,
                Patient.sex,
                Patient.birth_date.label("bd"),
            )
            .outerjoin(Patient, Patient.id == Notification.patient_id)
            .where(Notification.user_id == actor.user_id)
        )
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        query = query.order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        ).limit(MAX_ITEMS)
        with self._db.session(write=False) as session:
            rows = session.execute(query).all()
        return [
            InboxItem(
                id=row.Notification.id,
                kind=row.Notification.kind,
                text=row.Notification.text,
                created_at=row.Notification.created_at,
                read_at=row.Notification.read_at,
                patient_id=row.Notification.patient_id,
                patient_name=_patient_name(row),
            )
            for row in rows
        ]

    def unread_count(self, actor: Actor) -> int:
        """Unread notices and unread referral items (shown in the main window)."""
        if actor.user_id is None:
            return 0
        referrals = sum(
            1 for i in self._referral_items(actor) + self._source_items(actor) if not i.read
        )
        with self._db.session(write=False) as session:
            return referrals + int(
                session.scalar(
                    select(func.count())
                    .select_from(Notification)
                    .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
                )
                or 0
            )

    def mark_read(self, actor: Actor, items: Iterable[int | InboxItem]) -> int:
        """Mark these items (or notice ids) read; other users' items are ignored. Returns how
        many changed. Negative ids are referral items (``-referral_id``); items of a source
        are marked read by that source."""
        if actor.user_id is None:
            return 0
        marked = 0
        ids: list[int] = []
        for item in items:
            if not isinstance(item, InboxItem):
                ids.append(item)
            elif item.source:
                source = self._sources.get(item.source)
                marked += bool(source is not None and source.mark_item_read(actor, item.id))
            else:
                ids.append(item.id)
        if not ids:
            return marked
        if self._referrals is not None:
            marked = sum(1 for i in set(ids) if i < 0 and self._referrals.mark_seen(actor, -i))
        ids = [i for i in ids if i > 0]
        if not ids:
            return marked
        with self._db.session() as session:
            result = session.execute(
                update(Notification)
                .where(
                    Notification.id.in_(set(ids)),
                    Notification.user_id == actor.user_id,
                    Notification.read_at.is_(None),
                )
                .values(read_at=self._clock())
                .execution_options(synchronize_session=False)
            )
            return marked + int(result.rowcount or 0)
