"""The user's inbox: notices addressed to them (exceptional access on their compartment, key
grants, reminders) merged with their referral items — a new referral for them
(``referral_new``), feedback received on a referral they sent (``referral_feedback``), a
referral overdue (``referral_overdue``). Each user sees and marks only their own items.

Referral items are computed from the referrals themselves (no notification rows): their ``id``
is ``-referral_id`` and marking them read clears the user's unread marker on the referral.
They are selected, classified (new, feedback, overdue), counted and ordered in SQL: the count
is one statement whatever the number of referrals, the list one statement for a page (names
joined in), never one query per referral. Each statement is the union of the referrals the
user receives (answered on ``ix_referral_receiver_queue`` alone) and those they sent; the page
is ordered and cut on that union before the names are joined. Statements are built once and
take the user and the overdue cut-off as parameters.

A count or a list is one read unit of work: the notices, the referral items and every source
(each in one aggregated query, :class:`ItemSource`) share it.

Other services add computed items through :class:`ItemSource` (registered with
:meth:`InboxService.add_source`): overdue actions of the action plan, home-care requests
waiting too long, discharge follow-up dates… Their items carry the source's name in
``InboxItem.source`` and the source's own id in ``InboxItem.id``; marking one read asks its
source."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import _
from app.models import Notification
from app.models.db import Database
from app.models.enums import Sex
from app.services.audit.writer import AuditWriter
from app.services.inbox.records import InboxItem
from app.services.inbox.statements import (
    OVERDUE_DAYS,
    counts_statement,
    days_statement,
    notices_statement,
    referral_count_statement,
    referral_page_statement,
)
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.names import ADMINISTRATION
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.timefmt import aware, fmt_date
from app.services.referrals.records import (
    REFERRAL_STATUS_LABELS,
    URGENCY_LABELS,
    ReferralStatus,
    ReferralSummary,
    Urgency,
)

MAX_ITEMS = 500


class ReferralItems(Protocol):
    """What the inbox needs from the referrals service."""

    def inbox_entries(self, actor: Actor) -> list[tuple[str, ReferralSummary]]: ...
    def mark_seen(self, actor: Actor, referral_id: int) -> bool: ...


class ItemSource(Protocol):
    """A service that computes inbox items for a user (reminders, overdue work), in one
    aggregated query (not one per item). ``session``: the inbox's read unit of work, which
    the source reads in (:func:`source_session`); the source opens its own without it. A
    source may also offer ``inbox_unread_count(actor, *, session=None) -> int`` (its unread
    items counted without building them); the inbox counts its items otherwise."""

    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """The actor's items; ``source`` set to the name the source was registered under."""
        ...

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """Mark the actor's item read (e.g. the reminder seen); False when not theirs."""
        ...


@contextmanager
def source_session(db: Database, session: Session | None) -> Iterator[Session]:
    """The unit of work an :class:`ItemSource` reads in: the inbox's when it gives one,
    else a read-only one of its own."""
    if session is not None:
        yield session
        return
    with db.session(write=False) as own:
        yield own


def reminder_is_read(seen_at: datetime | None, since: datetime) -> bool:
    """A reminder due ``since`` is read when its owner saw it after that moment."""
    seen = aware(seen_at)
    return seen is not None and seen >= since


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
    return InboxItem(
        id=item_id,
        kind=kind,
        text=text,
        created_at=since,
        read_at=aware(seen_at) if reminder_is_read(seen_at, since) else None,
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


def _referral_text(
    kind: str,
    *,
    sender: str,
    destination: str,
    status: ReferralStatus,
    urgency: Urgency,
    sent_at: datetime | None,
) -> str:
    """No content (reason, message): who, where, when."""
    urgent = f" — {URGENCY_LABELS[urgency].lower()}" if urgency != Urgency.NORMAL else ""
    if kind == "referral_new":
        return _("Nouvelle orientation de {sender_name}{urgent}.").format(
            sender_name=sender, urgent=urgent
        )
    value = REFERRAL_STATUS_LABELS[status].lower()
    if kind == "referral_feedback":
        return _("{destination_name} a répondu à votre orientation ({value}).").format(
            destination_name=destination, value=value
        )
    since = fmt_date(sent_at) if sent_at else ""
    return _(
        "Orientation de {sender_name} vers {destination_name} en attente "
        "depuis le {since} ({value}){urgent}."
    ).format(
        sender_name=sender,
        destination_name=destination,
        since=since,
        value=value,
        urgent=urgent,
    )


def _user_name(first: str | None, last: str | None, user_id: int | None) -> str:
    """A user's display name as the referral lists show it."""
    if user_id is None:
        return _(ADMINISTRATION)
    if first is None and last is None:
        return "?"
    return f"{first or ''} {last or ''}".strip()


def _referral_item(row) -> InboxItem:
    """An inbox item from one row of ``referral_page_statement`` (names joined), unpacked
    once in the order of its columns (a row's attribute costs about 0.5 µs: 25 of them were
    half of an item's 25 µs)."""
    (
        referral_id,
        patient_id,
        sender_id,
        receiver_id,
        partner_id,
        status,
        urgency,
        _created_at,
        sent_at,
        updated_at,
        kind,
        read,
        birth_name,
        used_name,
        first_names,
        sex,
        birth_date,
        sender_first,
        sender_last,
        receiver_first,
        receiver_last,
        partner_name,
        contact_name,
    ) = row
    if partner_id is not None:
        destination = partner_name if partner_name is not None else "?"
        if contact_name is not None:
            destination = f"{destination} — {contact_name}"
    else:
        destination = _user_name(receiver_first, receiver_last, receiver_id)
    updated = aware(updated_at)
    text = _referral_text(
        kind,
        sender=_user_name(sender_first, sender_last, sender_id),
        destination=destination,
        status=ReferralStatus(status),
        urgency=Urgency(urgency),
        sent_at=aware(sent_at),
    )
    return InboxItem(
        id=-referral_id,
        kind=kind,
        text=text,
        created_at=updated,
        read_at=updated if read else None,
        patient_id=patient_id,
        patient_name=_display_name(birth_name, used_name, first_names, sex, birth_date),
        referral_id=referral_id,
    )


def _display_name(birth_name, used_name, first_names, sex, birth_date) -> str:
    """The patient's display name (notices name the patient; every role reads identity)."""
    if birth_name is None:
        return ""
    return PatientSummary(
        0, birth_name, used_name, first_names, Sex(sex), birth_date, None, ""
    ).display_name


def _patient_name(row) -> str:
    return _display_name(row.birth_name, row.used_name, row.first_names, row.sex, row.bd)


def _order_key(item: InboxItem) -> tuple[bool, float, int]:
    """Unread first, then newest first (ties: the larger id first)."""
    return (item.read, -item.created_at.timestamp(), -item.id)


# A row of the inbox with its order key (:func:`_order_key` of the item it becomes) and what
# makes the item of it: the list orders and cuts rows, and builds the page's items only.
_Keyed = tuple[tuple[bool, float, int], Callable[[Any], InboxItem], Any]


def _first(keyed: _Keyed) -> tuple[bool, float, int]:
    return keyed[0]


def _as_is(item: InboxItem) -> InboxItem:
    return item


def _notice_item(row) -> InboxItem:
    return InboxItem(
        id=row.id,
        kind=row.kind,
        text=row.text,
        created_at=row.created_at,
        read_at=row.read_at,
        patient_id=row.patient_id,
        patient_name=_patient_name(row),
    )


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

    def _source_items(self, session: Session, actor: Actor) -> list[InboxItem]:
        if actor.user_id is None:
            return []
        return [
            item
            for source in self._sources.values()
            for item in source.inbox_items(actor, session=session)
        ]

    def _source_unread(self, session: Session, actor: Actor) -> int:
        """Unread items of the sources: each source's own count when it offers one
        (``inbox_unread_count``), else its items counted."""
        if actor.user_id is None:
            return 0
        total = 0
        for source in self._sources.values():
            count = getattr(source, "inbox_unread_count", None)
            if count is not None:
                total += int(count(actor, session=session))
            else:
                total += sum(1 for i in source.inbox_items(actor, session=session) if not i.read)
        return total

    # ---- referral items, in SQL -----------------------------------------------------------
    def _has_referrals(self, actor: Actor) -> bool:
        return (
            self._referrals is not None
            and actor.user_id is not None
            and policy.allows(actor.role, Resource.REFERRAL, Action.WRITE)
        )

    def _referral_params(self, actor: Actor, days: int | None) -> dict[str, Any]:
        """``me`` and ``cutoff``: a referral sent or received before it is overdue."""
        delay = int(days) if days else OVERDUE_DAYS
        return {"me": actor.user_id, "cutoff": self._clock() - timedelta(days=delay)}

    def _referral_unread(self, session: Session, actor: Actor, days: int | None) -> int:
        if not self._has_referrals(actor):
            return 0
        params = self._referral_params(actor, days)
        return int(session.scalar(referral_count_statement(), params) or 0)

    def _referral_page(
        self, session: Session, actor: Actor, *, unread_only: bool, limit: int
    ) -> list[_Keyed]:
        """The first ``limit`` referral items in the inbox's order, names joined in (rows
        with their order keys: :meth:`items` builds the page's)."""
        if not self._has_referrals(actor) or limit <= 0:
            return []
        params = self._referral_params(actor, session.scalar(days_statement()))
        rows = session.execute(referral_page_statement(unread_only), {**params, "limit": limit})
        return [
            ((bool(row.read), -row.updated_at.timestamp(), row.id), _referral_item, row)
            for row in rows
        ]

    # ---- the inbox ------------------------------------------------------------------------
    def items(
        self,
        actor: Actor,
        *,
        unread_only: bool = False,
        offset: int = 0,
        limit: int = MAX_ITEMS,
    ) -> list[InboxItem]:
        """Notices, referral items and the sources' items, unread first, then newest first;
        the page ``offset``… ``offset + limit`` of that order. Notices and referral items
        are ordered and cut in SQL (each brings at most ``offset + limit`` rows). One read
        unit of work."""
        if actor.user_id is None:
            return []
        wanted = max(0, offset) + max(0, limit)
        with self._db.session(write=False) as session:
            notices = self._notices(session, actor, unread_only=unread_only, limit=wanted)
            referrals = self._referral_page(session, actor, unread_only=unread_only, limit=wanted)
            sources = sorted(
                (
                    (_order_key(i), _as_is, i)
                    for i in self._source_items(session, actor)
                    if not (unread_only and i.read)
                ),
                key=_first,
            )
        # Rows are merged on their order keys; only the page's become items.
        merged = heapq.merge(notices, referrals, sources, key=_first)
        return [build(row) for _key, build, row in islice(merged, max(0, offset), wanted)]

    def _notices(
        self, session: Session, actor: Actor, *, unread_only: bool = False, limit: int = MAX_ITEMS
    ) -> list[_Keyed]:
        if actor.user_id is None or limit <= 0:
            return []
        rows = session.execute(
            notices_statement(unread_only), {"me": actor.user_id, "limit": limit}
        ).all()
        return [
            ((row.read_at is not None, -row.created_at.timestamp(), -row.id), _notice_item, row)
            for row in rows
        ]

    def unread_count(self, actor: Actor) -> int:
        """Unread notices, referral items and source items (shown in the main window):
        counted in SQL in one read unit of work, one statement for the notices (with the
        overdue delay), one for the referrals, one per source."""
        if actor.user_id is None:
            return 0
        with self._db.session(write=False) as session:
            notices, days = session.execute(counts_statement(), {"me": actor.user_id}).one()
            referrals = self._referral_unread(session, actor, days)
            sources = self._source_unread(session, actor)
        return int(notices or 0) + referrals + sources

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
