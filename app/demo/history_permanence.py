"""The demo's past permanence: a weekly Tuesday-morning session over two years (ending where
the demo's current sessions begin), its appointments in every final state and a waiting list
that was served, inserted in bulk (``demo_history``)."""

from __future__ import annotations

import random
from datetime import UTC, date, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from app.clock import clinic_today
from app.models import Appointment, Patient, WaitingListEntry
from app.models.enums import Role
from app.models.scheduling import ConsultationSession
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.scheduling.records import SessionInput
from app.services.scheduling.recurrence import SessionRule, session_days, slots

if TYPE_CHECKING:
    from app.container import Services

OPENS, CLOSES, SLOT = time(9), time(12, 30), 30
FILL = 0.72
STATUSES = (("seen", 80), ("no_show", 8), ("cancelled_patient", 8), ("cancelled_clinic", 4))
WAITING_SHARE = 0.12


def _tuesday_on_or_after(day: date) -> date:
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _first_current_session(services: Services, social: Actor) -> date | None:
    with services.db.session(write=False) as session:
        return session.scalar(
            select(func.min(ConsultationSession.first_date)).where(
                ConsultationSession.professional_id == social.user_id
            )
        )


def create_permanence_history(
    services: Services, actors: dict[str, Actor], rng: random.Random, *, start: date
) -> int:
    """The past session and its appointments; returns how many appointments were added."""
    social = next((a for a in actors.values() if a.role == Role.SOCIAL_WORKER), None)
    secretary = next((a for a in actors.values() if a.role == Role.SECRETARY), None)
    coordinator = next((a for a in actors.values() if a.role == Role.COORDINATOR), None)
    if social is None or secretary is None or coordinator is None:
        return 0
    today = clinic_today(services.clock)
    last = (_first_current_session(services, social) or today) - timedelta(days=1)
    first = _tuesday_on_or_after(start)
    if last <= first:
        return 0
    try:
        record = services.scheduling.create_session(
            coordinator,
            SessionInput(social.user_id, "Permanence CARSAT (historique)",
                         "Maison de santé — 1er étage", "Salle 2", 1, OPENS, CLOSES, SLOT, 1,
                         first, min(last, today - timedelta(days=1))),
        )  # fmt: skip
    except RelaisError:
        return 0
    rule = SessionRule(1, OPENS, CLOSES, SLOT, first, 1, min(last, today - timedelta(days=1)))
    held, _skipped = session_days(rule, first, rule.last_date or today)
    with services.db.session(write=False) as session:
        patients = list(session.scalars(select(Patient.id).where(Patient.archived_at.is_(None))))
        next_id = int(session.scalar(select(func.max(Appointment.id))) or 0) + 1
    rows = []
    for day in held:
        for begins, ends in slots(rule, day.day):
            if rng.random() > FILL:
                continue
            rows.append(_appointment(rng, next_id + len(rows), record.id, social, secretary,
                                     rng.choice(patients), begins, ends))  # fmt: skip
    if not rows:
        return 0
    waiting = _waiting_list(rng, rows, social, secretary)
    with services.db.session() as session:
        session.execute(insert(Appointment.__table__), rows)
        if waiting:
            session.execute(insert(WaitingListEntry.__table__), waiting)
    # Over: stopped, like a session the clinic replaced (the agenda lists the current ones).
    services.scheduling.deactivate_session(coordinator, record.id, expected_version=record.version)
    return len(rows)


def _appointment(rng, ident, session_id, social, secretary, patient, begins, ends) -> dict:  # type: ignore[no-untyped-def]
    starts, finish = begins.astimezone(UTC), ends.astimezone(UTC)
    status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
    occupying = not status.startswith("cancelled")
    booked = starts - timedelta(days=rng.randrange(2, 28), hours=rng.randrange(0, 8))
    ended = starts if occupying else starts - timedelta(days=rng.randrange(0, 2), hours=2)
    return {
        "id": ident, "patient_id": patient, "professional_id": social.user_id,
        "session_id": session_id, "referral_id": None, "starts_at": starts, "ends_at": finish,
        "slot_key": starts if occupying else None, "place": "Maison de santé — 1er étage",
        "room": "Salle 2", "reason": "", "status": status, "status_reason": "",
        "sealed_status_reason": None, "booked_by_id": secretary.user_id, "booked_at": booked,
        "confirmed_at": None, "called_at": None, "status_at": ended,
        "status_by_id": social.user_id if status == "seen" else secretary.user_id,
        "freed_notice_read_at": ended if not occupying else None, "version": 1,
    }  # fmt: skip


def _waiting_list(rng: random.Random, rows: list[dict], social: Actor, secretary: Actor) -> list:
    """Some appointments came from the waiting list: an entry, served, days before."""
    out = []
    for row in rows:
        if rng.random() > WAITING_SHARE:
            continue
        listed = row["booked_at"] - timedelta(days=rng.uniform(1, 21))
        removed = rng.random() < 0.15
        out.append(
            {
                "patient_id": row["patient_id"], "professional_id": social.user_id,
                "referral_id": None, "urgency": "urgent" if rng.random() < 0.2 else "normal",
                "preferences": "", "sealed_preferences": None,
                "status": "removed" if removed else "booked",
                "appointment_id": None if removed else row["id"],
                "created_by_id": secretary.user_id, "created_at": listed,
                "updated_at": row["booked_at"], "version": 1,
            }
        )  # fmt: skip
    return out
