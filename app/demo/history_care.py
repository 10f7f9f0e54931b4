"""The demo's past home care and discharge plans, made through the real services with a clock
set back in time (as ``demo_scheduling`` books past appointments): every rule applies, every
detail is sealed as in real use. A few dozen requests and plans over two years."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.clock import CLINIC_TZ
from app.models import Partner, Patient, User
from app.models.enums import Role
from app.services.home_care.discharge_plans import DischargeService
from app.services.home_care.records import DischargePlanInput, HomeCareInput
from app.services.home_care.requests import HomeCareService
from app.services.home_care.rules import (
    CARE_ACTS,
    CARE_PARTNER_KIND,
    CareKind,
    Destination,
    Frequency,
    FrequencyPeriod,
)
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError

if TYPE_CHECKING:
    from app.container import Services

KINDS = ((CareKind.NURSE, 60), (CareKind.PHYSIOTHERAPIST, 30), (CareKind.MIDWIFE, 10))
GOALS = (("finished", 55), ("refused", 15), ("cancelled", 8), ("in_progress", 7), ("accepted", 5),
         ("sent", 10))  # fmt: skip
DESTINATIONS = ((Destination.HOME, 70), (Destination.EHPAD, 10), (Destination.SMR, 15),
                (Destination.HAD, 5))  # fmt: skip


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CLINIC_TZ).astimezone(UTC)


def _pick(rng: random.Random, table):  # type: ignore[no-untyped-def]
    return rng.choices([x for x, _w in table], [w for _x, w in table])[0]


def create_care_history(
    services: Services, actors: dict[str, Actor], rng: random.Random, *, start: date, patients: int
) -> int:
    """Requests and plans between ``start`` and a month ago; returns the requests made."""
    professionals = [a for a in actors.values() if a.role in (Role.GP, Role.SOCIAL_WORKER)]
    if not professionals:
        return 0
    clock = _Clock(services.clock())
    last = (clock.now - timedelta(days=30)).date()
    home_care = HomeCareService(services.db, services.audit, clock, services.codec,
                                services.partners)  # fmt: skip
    discharge = DischargeService(services.db, services.audit, clock, services.codec)
    with services.db.session(write=False) as session:
        people = list(session.scalars(select(Patient.id).where(Patient.archived_at.is_(None))))
        partners = {
            kind: list(session.scalars(select(Partner.id).where(Partner.kind == kind)))
            for kind in CARE_PARTNER_KIND.values()
        }
        prescribers = [
            (u.display_name, u.rpps)
            for u in session.scalars(select(User).where(User.role == str(Role.GP)))
            if u.rpps
        ]
    span = (last - start).days
    if span <= 0 or not people or not prescribers:
        return 0
    for _ in range(min(40, patients // 50)):
        day = start + timedelta(days=rng.randrange(span))
        clock.now = _at(day, 10)
        _plan(discharge, rng.choice(professionals), rng.choice(people), day, rng, clock)
    made = 0
    for _ in range(min(90, patients // 25)):
        day = start + timedelta(days=rng.randrange(span))
        clock.now = _at(day, 9)
        kind = _pick(rng, KINDS)
        choices = partners.get(CARE_PARTNER_KIND[kind], [])
        if choices:
            made += _request(home_care, rng.choice(professionals), rng.choice(people), kind,
                             choices, day, rng, clock, rng.choice(prescribers))  # fmt: skip
    return made


def _plan(discharge, owner, patient_id, day, rng, clock) -> None:  # type: ignore[no-untyped-def]
    destination = _pick(rng, DESTINATIONS)
    retired = rng.random() < 0.7
    try:
        plan = discharge.create(
            owner,
            DischargePlanInput(
                patient_id=patient_id,
                target_date=day + timedelta(days=rng.randrange(1, 10)),
                destination=destination,
                hospital="CHU de Rouen",
                admitted_on=day - timedelta(days=rng.randrange(2, 20)),
                retired=retired if rng.random() < 0.8 else None,
                gir=rng.choice((3, 4, 5, 5, 6, 6)) if rng.random() < 0.8 else None,
                aids=("ardh",) if destination is Destination.HOME else (),
            ),
        )
    except RelaisError:
        return
    for follow_up in plan.follow_ups:
        if rng.random() < 0.85:
            late = rng.random() < 0.2
            clock.now = _at(follow_up.due_on + timedelta(days=rng.randrange(1, 9) if late else 0),
                            11)  # fmt: skip
            try:
                discharge.complete_follow_up(owner, follow_up.id)
            except RelaisError:
                continue


def _request(home_care, gp, patient_id, kind, partners, day, rng, clock, prescriber) -> int:  # type: ignore[no-untyped-def]
    goal = _pick(rng, GOALS)
    acts = tuple(rng.sample(list(CARE_ACTS[kind]), k=1))
    try:
        r = home_care.create(
            gp,
            HomeCareInput(
                patient_id=patient_id,
                care_kind=kind,
                acts=acts,
                start_date=day + timedelta(days=3),
                frequency=Frequency(rng.choice((1, 2, 3)), FrequencyPeriod.WEEK),
                duration_days=rng.choice((15, 30, 60)),
                prescriber_name=prescriber[0],
                prescriber_rpps=prescriber[1],
                partner_id=rng.choice(partners),
            ),
        )
        if goal == "cancelled":
            home_care.cancel(gp, r.id, "Patient hospitalisé à nouveau")
            return 1
        clock.now += timedelta(hours=rng.randrange(1, 6))
        home_care.send(gp, r.id)
        clock.now += timedelta(hours=rng.randrange(2, 24 * 4))
        if goal == "refused":
            home_care.refuse(gp, r.id, "Tournée complète")
        elif goal != "sent":
            home_care.accept(gp, r.id, "Cabinet de soins")
            if goal in ("in_progress", "finished"):
                clock.now += timedelta(days=2)
                home_care.start(gp, r.id)
            if goal == "finished":
                clock.now += timedelta(days=rng.randrange(10, 40))
                home_care.finish(gp, r.id)
    except RelaisError:
        return 0
    return 1
