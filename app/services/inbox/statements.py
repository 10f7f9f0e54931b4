"""The inbox's SQL, built once: the user's referral items (received and sent, as a union
answered on ``ix_referral_receiver_queue`` for the received), their count and page, the overdue
cut-off and the notices. Each statement takes the user and the cut-off as parameters."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from app.models import Clinic, Notification, Partner, PartnerContact, Patient, Referral, User
from app.services.referrals.records import ReferralStatus

# ---- the referral items' statements, built once -----------------------------------------------
_SENT, _RECEIVED = str(ReferralStatus.SENT), str(ReferralStatus.RECEIVED)
_PENDING = (_SENT, _RECEIVED)
OVERDUE_DAYS = 7  # when the clinic's settings say nothing


def _unseen(seen_at: Any) -> Any:
    return or_(seen_at.is_(None), seen_at < Referral.updated_at)


def _branches(*, unread_only: bool, listing: bool) -> tuple[Select, Select]:
    """The user's referral items (parameters ``me``, ``cutoff``) as two disjoint selects whose
    union is the whole: those they receive, and those they sent but not among the first (a
    referral to oneself). An item is:

    - awaiting the user as receiver (sent or received): new, overdue, or answered to
      themselves;
    - sent by the user to a partner and not yet received (overdue), or answered by a user
      (feedback not yet seen).

    ``listing``: (id, read, updated_at, kind); else the id alone. ``read`` is 0 for an unread
    item, 1 for a read one."""
    r = Referral
    me: Any = bindparam("me")
    cutoff: Any = bindparam("cutoff")
    overdue = or_(
        and_(r.status == _SENT, r.sent_at < cutoff),
        and_(r.status == _RECEIVED, r.received_at < cutoff),
    )
    kind = case(
        (overdue, literal("referral_overdue")),
        (and_(r.receiver_id == me, r.status == _SENT), literal("referral_new")),
        else_=literal("referral_feedback"),
    ).label("kind")
    # Receiver: every column read is in ix_referral_receiver_queue.
    received = [
        r.receiver_id == me,
        r.status.in_(_PENDING),
        or_(overdue, r.status == _SENT, r.sender_id == me),
    ]
    received_unread = _unseen(r.receiver_seen_at)
    # Sender: the unread rule of a referral the user may also have received (to oneself);
    # those the receiver's select holds already are left out (a union without duplicates).
    sent = [
        r.sender_id == me,
        or_(r.receiver_id.is_(None), r.receiver_id != me, r.status.not_in(_PENDING)),
        or_(
            and_(r.partner_id.is_not(None), r.status.in_(_PENDING)),
            and_(r.receiver_id.is_not(None), r.feedback_summary != "", _unseen(r.sender_seen_at)),
        ),
        or_(overdue, r.receiver_id.is_not(None)),
    ]
    sent_unread = or_(
        and_(r.receiver_id == me, _unseen(r.receiver_seen_at)),
        and_(
            or_(r.receiver_id.is_(None), r.receiver_id != me),
            _unseen(r.sender_seen_at),
        ),
    )
    if unread_only:
        received.append(received_unread)
        sent.append(sent_unread)
    if not listing:
        return select(r.id).where(*received), select(r.id).where(*sent)
    return (
        select(r.id, case((received_unread, 0), else_=1).label("read"), r.updated_at, kind).where(
            *received
        ),
        select(r.id, case((sent_unread, 0), else_=1).label("read"), r.updated_at, kind).where(
            *sent
        ),
    )


@lru_cache(maxsize=1)
def referral_count_statement() -> Select:
    """The user's unread referral items, counted."""
    items = union_all(*_branches(unread_only=True, listing=False)).subquery("items")
    return select(func.count()).select_from(items)


@lru_cache(maxsize=2)
def referral_page_statement(unread_only: bool) -> Select:
    """The first ``limit`` referral items in the inbox's order (unread first, then the
    newest), ordered and cut on the union, then the page's names joined in."""
    items = union_all(*_branches(unread_only=unread_only, listing=True)).subquery("items")
    page = (
        select(items)
        .order_by(items.c.read, items.c.updated_at.desc(), items.c.id)
        .limit(bindparam("limit"))
        .subquery("page")
    )
    sender, receiver = aliased(User), aliased(User)
    return (
        select(
            Referral.id,
            Referral.patient_id,
            Referral.sender_id,
            Referral.receiver_id,
            Referral.partner_id,
            Referral.status,
            Referral.urgency,
            Referral.created_at,
            Referral.sent_at,
            Referral.updated_at,
            page.c.kind,
            page.c.read,
            Patient.birth_name,
            Patient.used_name,
            Patient.first_names,
            Patient.sex,
            Patient.birth_date.label("bd"),
            sender.first_name.label("sender_first"),
            sender.last_name.label("sender_last"),
            receiver.first_name.label("receiver_first"),
            receiver.last_name.label("receiver_last"),
            Partner.name.label("partner_name"),
            PartnerContact.name.label("contact_name"),
        )
        .select_from(page)
        .join(Referral, Referral.id == page.c.id)
        .outerjoin(Patient, Patient.id == Referral.patient_id)
        .outerjoin(sender, sender.id == Referral.sender_id)
        .outerjoin(receiver, receiver.id == Referral.receiver_id)
        .outerjoin(Partner, Partner.id == Referral.partner_id)
        .outerjoin(PartnerContact, PartnerContact.id == Referral.partner_contact_id)
        .order_by(page.c.read, page.c.updated_at.desc(), page.c.id)
    )


def _overdue_days() -> Any:
    return select(Clinic.referral_overdue_days).limit(1).scalar_subquery()


@lru_cache(maxsize=1)
def counts_statement() -> Select:
    """The user's unread notices and the clinic's overdue delay, in one statement."""
    notices = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == bindparam("me"), Notification.read_at.is_(None))
        .scalar_subquery()
    )
    return select(notices.label("notices"), _overdue_days().label("days"))


@lru_cache(maxsize=1)
def days_statement() -> Select:
    return select(_overdue_days())


@lru_cache(maxsize=2)
def notices_statement(unread_only: bool) -> Select:
    """The user's first ``limit`` notices, unread first, then the newest."""
    query = (
        select(
            Notification.id,
            Notification.kind,
            Notification.text,
            Notification.created_at,
            Notification.read_at,
            Notification.patient_id,
            Patient.birth_name,
            Patient.used_name,
            Patient.first_names,
            Patient.sex,
            Patient.birth_date.label("bd"),
        )
        .outerjoin(Patient, Patient.id == Notification.patient_id)
        .where(Notification.user_id == bindparam("me"))
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(
        Notification.read_at.is_not(None),
        Notification.created_at.desc(),
        Notification.id.desc(),
    ).limit(bindparam("limit"))
