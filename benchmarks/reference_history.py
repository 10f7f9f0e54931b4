"""Years of referrals and appointments for the reference data set (DESIGN.md §9).

``relais-admin demo`` makes a showcase of referrals and appointments through the real services;
the reference database needs their volume: 200,000 referrals (each sealed under a key of its
own, wrapped for its sender, its receiver and the recovery key, like the real ones, with their
transitions) and 300,000 appointments spread over
ten years of the clinic's professionals, the social worker's linked to her referrals. Rows are
inserted in bulk, in chunks, each chunk one transaction.
"""

from __future__ import annotations

import bisect
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from app.clock import CLINIC_TZ
from app.container import Services
from app.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD
from app.demo.history import mark_seen
from app.models import Appointment, Partner, Patient, Referral, ReferralEvent
from app.models.enums import Role
from app.services.kernel.actor import Actor
from app.services.referrals.records import REASON_CATEGORY, ReferralReason, ReferralStatus
from app.services.security.record_keys import REFERRAL

CHUNK = 5_000
YEARS = 10
SLOT_MINUTES = 20
# Morning and afternoon consultations, in the clinic's time zone.
HALF_DAYS = ((time(8, 0), time(12, 0)), (time(14, 0), time(19, 0)))

_S = ReferralStatus
# (status, weight) for referrals older than four months, and for recent ones.
_OLD = ((_S.CLOSED, 80), (_S.REORIENTED, 5), (_S.CANCELLED, 5), (_S.REFUSED_BY_PATIENT, 5),
        (_S.SEEN, 5))  # fmt: skip
_RECENT = ((_S.SENT, 15), (_S.RECEIVED, 20), (_S.APPOINTMENT_BOOKED, 25), (_S.SEEN, 15),
           (_S.CLOSED, 20), (_S.DRAFT, 5))  # fmt: skip
# The transitions each final status went through (referral_event rows).
_PATH = {
    _S.DRAFT: (_S.DRAFT,),
    _S.SENT: (_S.DRAFT, _S.SENT),
    _S.RECEIVED: (_S.DRAFT, _S.SENT, _S.RECEIVED),
    _S.APPOINTMENT_BOOKED: (_S.DRAFT, _S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED),
    _S.SEEN: (_S.DRAFT, _S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED, _S.SEEN),
    _S.CLOSED: (_S.DRAFT, _S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED, _S.SEEN, _S.CLOSED),
    _S.REORIENTED: (_S.DRAFT, _S.SENT, _S.RECEIVED, _S.REORIENTED),
    _S.CANCELLED: (_S.DRAFT, _S.SENT, _S.CANCELLED),
    _S.REFUSED_BY_PATIENT: (_S.DRAFT, _S.REFUSED_BY_PATIENT),
}
_STAMP = {
    _S.SENT: "sent_at",
    _S.RECEIVED: "received_at",
    _S.APPOINTMENT_BOOKED: "booked_at",
    _S.SEEN: "seen_at",
    _S.CLOSED: "closed_at",
}
_MESSAGES = (
    "Merci de recevoir ce patient pour un point sur ses droits.",
    "Arrêt de travail prolongé, inquiétude sur le maintien dans l'emploi.",
    "Sortie d'hospitalisation prévue, retour à domicile à organiser.",
    "Difficultés financières, renonce à des soins.",
    "Demande d'aide pour un dossier de complémentaire santé.",
)


@dataclass(frozen=True)
class HistorySummary:
    referrals: int
    events: int
    appointments: int


def _slots(first: date, last: date) -> list[datetime]:
    """Every consultation slot start (UTC) on working days between two dates."""
    out: list[datetime] = []
    day = first
    step = timedelta(minutes=SLOT_MINUTES)
    while day <= last:
        if day.weekday() < 5:
            for opens, closes in HALF_DAYS:
                at = datetime.combine(day, opens, CLINIC_TZ)
                end = datetime.combine(day, closes, CLINIC_TZ)
                while at + step <= end:
                    out.append(at.astimezone(UTC))
                    at += step
        day += timedelta(days=1)
    return out


def _next_id(session, model) -> int:
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def add_history(
    services: Services,
    *,
    referrals: int = 200_000,
    appointments: int = 300_000,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> HistorySummary:
    rng = random.Random(f"relais-history:{seed}")
    now = services.clock()
    # Twice: a holder's login grants the compartment keys to colleagues who logged in before.
    for _ in range(2):
        actors: dict[str, Actor] = {
            a.username: services.auth.login(a.username, DEMO_PASSWORD) for a in DEMO_ACCOUNTS
        }
    senders = [a for a in actors.values() if a.role in (Role.GP, Role.PARAMEDICAL)]
    gps = [a for a in senders if a.role is Role.GP]
    social = next(a for a in actors.values() if a.role is Role.SOCIAL_WORKER)
    professionals = [*senders, social]
    records = services.keys.records
    with services.db.session(write=False) as session:
        patient_ids = list(session.scalars(select(Patient.id)))
        partner_ids = list(session.scalars(select(Partner.id).where(Partner.active)))
        next_referral = _next_id(session, Referral)
        next_appointment = _next_id(session, Appointment)
    if not patient_ids:
        return HistorySummary(0, 0, 0)
    total = referrals + appointments
    done = 0
    start = now - timedelta(days=365 * YEARS)
    span = int((now - start).total_seconds())
    recent_limit = now - timedelta(days=120)

    # ---- referrals and their transitions -----------------------------------------------
    booked_for_social: list[tuple[datetime, int, int, str]] = []  # (booked_at, ref, patient, st)
    events_total = 0
    for offset in range(0, referrals, CHUNK):
        rows: list[dict] = []
        events: list[dict] = []
        contents: dict[int, dict] = {}
        holders: dict[int, set[int]] = {}
        for i in range(offset, min(referrals, offset + CHUNK)):
            ref_id = next_referral + i
            patient_id = rng.choice(patient_ids)
            sender = rng.choice(gps) if rng.random() < 0.85 else rng.choice(senders)
            created = start + timedelta(seconds=rng.randrange(span))
            table = _RECENT if created > recent_limit else _OLD
            status = rng.choices([s for s, _ in table], [w for _, w in table])[0]
            to_social = rng.random() < 0.75 or not partner_ids
            row: dict = {
                "id": ref_id,
                "patient_id": patient_id,
                "sender_id": sender.user_id,
                "receiver_id": social.user_id if to_social else None,
                "partner_id": None if to_social else rng.choice(partner_ids),
                "partner_contact_id": None,
                "reason": "",
                "reason_category": "",
                "urgency": "urgent" if rng.random() < 0.1 else "normal",
                "status": str(status),
                "feedback": None,
                "feedback_summary": "Clôturé" if status is _S.CLOSED else "",
                "outcome": "",
                "reoriented_to_id": None,
                "orientation_error_rule": "",
                "created_at": created,
                "sender_seen_at": None,
                "receiver_seen_at": None,
                "version": 1,
            }
            reason = rng.choice(list(ReferralReason))
            row["reason_category"] = str(REASON_CATEGORY[reason])
            contents[ref_id] = {
                "reason": str(reason),
                "message": rng.choice(_MESSAGES),
                "chosen": [],
                "note_ids": [],
                "rule": "",
            }
            holders[ref_id] = {sender.user_id}
            if to_social and status is not _S.DRAFT:
                holders[ref_id].add(social.user_id)
            at = created
            previous = ""
            for stamp in ("sent_at", "received_at", "booked_at", "seen_at", "closed_at"):
                row[stamp] = None
            for step in _PATH[status]:
                if step is not _S.DRAFT:
                    at = min(now, at + timedelta(hours=rng.randrange(1, 24 * 12)))
                if step in _STAMP:
                    row[_STAMP[step]] = at
                actor = sender if step in (_S.DRAFT, _S.SENT, _S.CANCELLED) else social
                events.append(
                    {
                        "referral_id": ref_id,
                        "from_status": previous,
                        "to_status": str(step),
                        "at": at,
                        "actor_id": actor.user_id,
                        "detail": "",
                    }
                )
                previous = str(step)
            row["updated_at"] = at
            mark_seen(row, now)
            rows.append(row)
            if to_social and row["booked_at"] is not None:
                booked_for_social.append((row["booked_at"], ref_id, patient_id, str(status)))
        with services.db.session() as session:
            keys = records.create_many(session, social, REFERRAL, holders)
            for row in rows:
                data = json.dumps(contents[row["id"]], ensure_ascii=False).encode("utf-8")
                key_id = keys[row["id"]]
                row["content"] = records.seal_with(
                    key_id, social.keys.record_keys[key_id], REFERRAL, row["id"], data, "content"
                )
            session.execute(insert(Referral.__table__), rows)
            session.execute(insert(ReferralEvent.__table__), events)
            social.keys.record_keys.clear()  # not kept in memory: 200,000 keys
        events_total += len(events)
        done += len(rows)
        if progress:
            progress(done, total)

    # ---- appointments --------------------------------------------------------------------
    grid = _slots(start.date(), (now + timedelta(days=42)).date())
    taken: dict[int, set[int]] = {p.user_id: set() for p in professionals}  # type: ignore[misc]
    per_professional = appointments // len(professionals)
    quota = {p.user_id: per_professional for p in professionals}
    quota[social.user_id] += appointments - per_professional * len(professionals)
    planned: list[tuple[int, int, int, int | None, str]] = []  # (prof, slot, patient, ref, st)
    # The social worker's referrals first: the appointment a few days after booking.
    booked_for_social.sort()
    for booked_at, ref_id, patient_id, ref_status in booked_for_social:
        if quota[social.user_id] <= 0:
            break
        index = bisect.bisect_left(grid, booked_at + timedelta(days=rng.randrange(2, 21)))
        used = taken[social.user_id]  # type: ignore[index]
        while index < len(grid) and index in used:
            index += 1
        if index >= len(grid):
            continue
        used.add(index)
        quota[social.user_id] -= 1
        planned.append((social.user_id, index, patient_id, ref_id, ref_status))  # type: ignore[arg-type]
    for professional in professionals:
        used = taken[professional.user_id]  # type: ignore[index]
        free = [i for i in range(len(grid)) if i not in used]
        count = min(quota[professional.user_id], len(free))
        for index in rng.sample(free, count):
            planned.append((professional.user_id, index, rng.choice(patient_ids), None, ""))  # type: ignore[arg-type]
    planned.sort(key=lambda p: p[1])
    step = timedelta(minutes=SLOT_MINUTES)
    for offset in range(0, len(planned), CHUNK):
        rows = []
        for n, (prof_id, index, patient_id, ref_id, ref_status) in enumerate(
            planned[offset : offset + CHUNK], start=next_appointment + offset
        ):
            starts = grid[index]
            if starts > now:
                status = "confirmed" if rng.random() < 0.4 else "booked"
            elif ref_status == str(_S.APPOINTMENT_BOOKED):
                status = "booked"
            else:
                status = rng.choices(
                    ("seen", "no_show", "cancelled_patient", "cancelled_clinic"), (85, 5, 7, 3)
                )[0]
                if ref_id is not None and status.startswith("cancelled"):
                    status = "seen"
            active = not status.startswith("cancelled")
            booked = starts - timedelta(days=rng.randrange(1, 30))
            rows.append(
                {
                    "id": n,
                    "patient_id": patient_id,
                    "professional_id": prof_id,
                    "session_id": None,
                    "referral_id": ref_id,
                    "starts_at": starts,
                    "ends_at": starts + step,
                    "slot_key": starts if active else None,
                    "place": "Maison de santé",
                    "room": "",
                    "reason": "",
                    "status": status,
                    "status_reason": "",
                    "sealed_status_reason": None
                    if active
                    else services.codec.seal_json(
                        social,
                        "administrative",
                        {"status_reason": "Empêchement"},
                        context=f"appointment:{n}",
                    ),
                    "booked_by_id": prof_id,
                    "booked_at": booked,
                    "confirmed_at": booked if status == "confirmed" else None,
                    "called_at": None,
                    "status_at": starts if starts <= now else None,
                    "status_by_id": prof_id if starts <= now else None,
                    "version": 1,
                }
            )
        with services.db.session() as session:
            session.execute(insert(Appointment.__table__), rows)
        done += len(rows)
        if progress:
            progress(done, total)
    if progress:
        progress(total, total)
    return HistorySummary(referrals=referrals, events=events_total, appointments=len(planned))
