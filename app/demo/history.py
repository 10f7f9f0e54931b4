"""Two years of history in a demo database, so that the activity dashboard has something to
show: referrals (sealed under their own keys, with their transitions, like real ones),
a weekly permanence with its appointments and waiting list, and home care
(``demo_history_care``).

``relais-admin demo`` makes a showcase through the real services, all dated today; the
dashboard needs months of activity. Referrals and appointments are inserted in bulk (as
``benchmarks/reference_history.py`` does), about six referrals for ten patients over 24
months, with delays that shorten over time (the study's « prise en charge plus rapide ») and
fewer orientation errors when the orientation guide was followed. Made once per database.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from app.demo.history_permanence import create_permanence_history
from app.models import Partner, Patient, Referral, ReferralEvent
from app.models.enums import Role
from app.services.kernel.actor import Actor
from app.services.referrals.records import REASON_CATEGORY, ReferralReason, ReferralStatus
from app.services.security.record_keys import REFERRAL

if TYPE_CHECKING:
    from app.container import Services

MONTHS = 24
HISTORY_MIN_PATIENTS = 500  # smaller demos (the tests') keep only the showcase
PER_PATIENT = 0.6
MAX_REFERRALS = 6_000
RECENT_DAYS = 60
ERROR_RULES = ("D1", "H1", "F1", "R1", "C5", "L1")
# Where referrals to partners go, and where wrongly addressed ones are sent on (partner kinds).
DESTINATION_WEIGHTS = {"carsat": 30, "ccas": 25, "cd_apa": 20, "home_nurse": 15, "ehpad": 10}
REORIENTATION_WEIGHTS = {"ccas": 30, "cd_apa": 25, "mdph": 15, "caf": 15, "cpam": 15}
_S = ReferralStatus
OLD = ((_S.CLOSED, 70), (_S.SEEN, 3), (_S.REORIENTED, 0), (_S.REFUSED_BY_PATIENT, 6),
       (_S.CANCELLED, 4))  # fmt: skip
RECENT = ((_S.SENT, 12), (_S.RECEIVED, 16), (_S.APPOINTMENT_BOOKED, 20), (_S.SEEN, 14),
          (_S.CLOSED, 26), (_S.REFUSED_BY_PATIENT, 4), (_S.CANCELLED, 2))  # fmt: skip
PATH = {
    _S.SENT: (_S.SENT,),
    _S.RECEIVED: (_S.SENT, _S.RECEIVED),
    _S.APPOINTMENT_BOOKED: (_S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED),
    _S.SEEN: (_S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED, _S.SEEN),
    _S.CLOSED: (_S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED, _S.SEEN, _S.CLOSED),
    _S.REORIENTED: (_S.SENT, _S.RECEIVED, _S.REORIENTED),
    _S.REFUSED_BY_PATIENT: (_S.REFUSED_BY_PATIENT,),
    _S.CANCELLED: (_S.SENT, _S.CANCELLED),
}
STAMP = {_S.SENT: "sent_at", _S.RECEIVED: "received_at", _S.APPOINTMENT_BOOKED: "booked_at",
         _S.SEEN: "seen_at"}  # fmt: skip
# Days each step takes (min, max) two years ago; today they take 40 % less.
STEP_DAYS = {_S.RECEIVED: (0.2, 5), _S.APPOINTMENT_BOOKED: (0.5, 9), _S.SEEN: (3, 24),
             _S.CLOSED: (4, 40), _S.REORIENTED: (1, 10), _S.CANCELLED: (1, 6)}  # fmt: skip


@dataclass
class _Context:
    rng: random.Random
    now: datetime
    senders: list[Actor]
    social: Actor
    patients: list[int]
    partners: list[int]
    kinds: dict[int, str]

    def partner(self, weights: dict[str, int]) -> int:
        """A partner, its kind drawn with ``weights`` (others: weight 1)."""
        return self.rng.choices(
            self.partners, [weights.get(self.kinds[p], 1) for p in self.partners]
        )[0]


def _has_history(services: Services) -> bool:
    limit = services.clock() - timedelta(days=RECENT_DAYS)
    with services.db.session(write=False) as session:
        return bool(session.scalar(select(Referral.id).where(Referral.created_at < limit).limit(1)))


def create_demo_history(services: Services, actors: dict[str, Actor], *, patients: int,
                        seed: int = 2026) -> int:  # fmt: skip
    """Referrals, permanence and home care of the past two years; returns the referrals
    added (0 when the database has its history already)."""
    social = next((a for a in actors.values() if a.role == Role.SOCIAL_WORKER), None)
    senders = [a for a in actors.values() if a.role in (Role.GP, Role.PARAMEDICAL)]
    if social is None or not senders or _has_history(services):
        return 0
    with services.db.session(write=False) as session:
        patient_ids = list(session.scalars(select(Patient.id).where(Patient.archived_at.is_(None))))
        partner_kinds = dict(
            session.execute(select(Partner.id, Partner.kind).where(Partner.active.is_(True))).all()
        )
        partner_ids = list(partner_kinds)
    if not patient_ids:
        return 0
    ctx = _Context(random.Random(f"relais-demo-history:{seed}"), services.clock(), senders,
                   social, patient_ids, partner_ids, partner_kinds)  # fmt: skip
    count = min(MAX_REFERRALS, int(patients * PER_PATIENT))
    _age_showcase(services, ctx)
    made = _insert_referrals(services, ctx, count)
    create_permanence_history(services, actors, ctx.rng, start=_start(ctx.now))
    from app.demo.history_care import create_care_history

    create_care_history(services, actors, ctx.rng, start=_start(ctx.now), patients=patients)
    return made


def _age_showcase(services: Services, ctx: _Context) -> None:
    """The showcase's finished referrals went through every step within a second: spread
    their steps over the past weeks, as a real referral's (their delays count too)."""
    recent = ctx.now - timedelta(days=2)
    finished = [str(s) for s in (_S.SEEN, _S.CLOSED, _S.REORIENTED)]
    with services.db.session() as session:
        rows = session.scalars(
            select(Referral).where(Referral.created_at > recent, Referral.status.in_(finished))
        ).all()
        for r in rows:
            shift = {step: timedelta(days=ctx.rng.uniform(low, high) * 0.6)
                     for step, (low, high) in STEP_DAYS.items()}  # fmt: skip
            at = r.seen_at or r.closed_at or ctx.now
            stamps = {"seen_at": r.seen_at}
            for column, step in (("booked_at", _S.SEEN), ("received_at", _S.APPOINTMENT_BOOKED),
                                 ("sent_at", _S.RECEIVED)):  # fmt: skip
                if getattr(r, column) is not None:
                    at -= shift[step]
                    stamps[column] = at
            moves = {k: v for k, v in stamps.items() if v is not None}
            for column, value in moves.items():
                setattr(r, column, value)
            r.created_at = min(r.created_at, at - timedelta(hours=1))
            status_of = {
                "sent_at": _S.SENT,
                "received_at": _S.RECEIVED,
                "booked_at": _S.APPOINTMENT_BOOKED,
            }
            for event in session.scalars(
                select(ReferralEvent).where(ReferralEvent.referral_id == r.id)
            ):
                for column, status in status_of.items():
                    if event.to_status == str(status) and column in moves:
                        event.at = moves[column]
                if event.to_status == str(_S.DRAFT):
                    event.at = r.created_at


def _start(now: datetime) -> date:
    return (now - timedelta(days=30 * MONTHS)).date()


def _status(ctx: _Context, created: datetime, guided: bool) -> ReferralStatus:
    if created > ctx.now - timedelta(days=RECENT_DAYS):
        table = RECENT
    else:
        errors = 7 if guided else 15
        table = tuple((s, errors if s is _S.REORIENTED else w) for s, w in OLD)
    return ctx.rng.choices([s for s, _w in table], [w for _s, w in table])[0]


def _referral(ctx: _Context, ref_id: int, created: datetime) -> tuple[dict, list[dict], set[int]]:
    """One referral row (with its sealed content's reason under « _reason »), its events and
    who holds its key."""
    rng = ctx.rng
    sender = rng.choice(ctx.senders)
    to_partner = rng.random() < 0.2 and bool(ctx.partners)
    guided = rng.random() < (0.45 if created > ctx.now - timedelta(days=365) else 0.2)
    status = _status(ctx, created, guided)
    reason = rng.choice(list(ReferralReason))
    row = {
        "id": ref_id, "patient_id": rng.choice(ctx.patients), "sender_id": sender.user_id,
        "receiver_id": None if to_partner else ctx.social.user_id,
        "partner_id": ctx.partner(DESTINATION_WEIGHTS) if to_partner else None,
        "partner_contact_id": None, "reason": "", "reason_category": str(REASON_CATEGORY[reason]),
        "urgency": "urgent" if rng.random() < 0.1 else "normal", "status": str(status),
        "feedback": None, "feedback_summary": "", "outcome": "", "from_guide": guided,
        "reoriented_to_id": None, "orientation_error_rule": "", "created_at": created,
        "sender_seen_at": created, "receiver_seen_at": None, "version": 1, "_reason": reason,
        **dict.fromkeys(("sent_at", "received_at", "booked_at", "seen_at", "closed_at")),
    }  # fmt: skip
    # Older referrals waited longer: the factor goes from 1 (two years ago) to 0.6 (today).
    age = (ctx.now - created).days / (30 * MONTHS)
    factor = 0.6 + 0.4 * min(1.0, max(0.0, age))
    events, at, previous = [], created, str(_S.DRAFT)
    events.append(_event(ref_id, "", _S.DRAFT, created, sender.user_id))
    for step in PATH[status]:
        low, high = STEP_DAYS.get(step, (0, 0.2))
        at = min(ctx.now, at + timedelta(days=rng.uniform(low, high) * factor))
        if step in STAMP:
            row[STAMP[step]] = at
        if step in (_S.CLOSED, _S.REORIENTED, _S.REFUSED_BY_PATIENT, _S.CANCELLED):
            row["closed_at"] = at
        actor = sender if step in (_S.SENT, _S.CANCELLED, _S.REFUSED_BY_PATIENT) else ctx.social
        events.append(_event(ref_id, previous, step, at, actor.user_id))
        previous = str(step)
    if status is _S.REORIENTED and ctx.partners:
        row["reoriented_to_id"] = ctx.partner(REORIENTATION_WEIGHTS)
        row["orientation_error_rule"] = rng.choice(ERROR_RULES)
    if status is _S.CLOSED:
        row["feedback_summary"] = "Clôturé"
    row["updated_at"] = at
    mark_seen(row, ctx.now)
    holders = {sender.user_id}
    if not to_partner and row["sent_at"] is not None:
        holders.add(ctx.social.user_id)
    return row, events, holders  # type: ignore[return-value]


SEEN_AFTER = timedelta(days=1)  # a user reads what reached them the next day…
UNREAD_FOR = timedelta(days=7)  # …except the last week's, still in their inbox


def mark_seen(row: dict, now: datetime) -> None:
    """What a clinic's users have read: the receiver the referrals they received, the sender
    the feedback on theirs, a day after, unless it came in the last week (as in a clinic's
    inbox: the recent items, not two years of them)."""
    changed = row["updated_at"]
    if changed + UNREAD_FOR > now:
        return
    seen = changed + SEEN_AFTER
    if row["receiver_id"] is not None and row["received_at"] is not None:
        row["receiver_seen_at"] = seen
    if row["feedback_summary"]:
        row["sender_seen_at"] = seen


def _guide_rule(row: dict) -> str:
    """The guide's rule kept in the sealed content of a referral written from the guide."""
    return "C5" if row["from_guide"] else ""


def _event(ref_id: int, previous: str, step: ReferralStatus, at: datetime, actor: int | None):
    return {"referral_id": ref_id, "from_status": previous, "to_status": str(step), "at": at,
            "actor_id": actor, "detail": ""}  # fmt: skip


def _insert_referrals(services: Services, ctx: _Context, count: int) -> int:
    records = services.keys.records
    with services.db.session(write=False) as session:
        first = int(session.scalar(select(func.max(Referral.id))) or 0) + 1
    span = int(timedelta(days=30 * MONTHS - 1).total_seconds())
    start = ctx.now - timedelta(days=30 * MONTHS)
    created = sorted(start + timedelta(seconds=ctx.rng.randrange(span)) for _ in range(count))
    rows, events, holders = [], [], {}
    for i, at in enumerate(created):
        row, evs, people = _referral(ctx, first + i, at)
        rows.append(row)
        events += evs
        holders[row["id"]] = people
    with services.db.session() as session:
        keys = records.create_many(session, ctx.social, REFERRAL, holders)
        for row in rows:
            content = {"reason": str(row.pop("_reason")), "chosen": [], "note_ids": [],
                       "message": "Orientation de l'historique de démonstration.",
                       "rule": _guide_rule(row)}  # fmt: skip
            data = json.dumps(content, ensure_ascii=False).encode("utf-8")
            key_id = keys[row["id"]]
            dek = ctx.social.keys.record_keys[key_id] if ctx.social.keys else b""
            row["content"] = records.seal_with(key_id, dek, REFERRAL, row["id"], data, "content")
        session.execute(insert(Referral.__table__), rows)
        session.execute(insert(ReferralEvent.__table__), events)
    if ctx.social.keys is not None:
        ctx.social.keys.record_keys.clear()
    return len(rows)
