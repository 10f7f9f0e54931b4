"""Demo home care: for a few of the oldest demo patients, discharge plans (ARDH eligible, to
check, not eligible) and home-care requests by nurses, physiotherapists and a midwife in every
status (to send, sent, accepted, in progress, finished, refused and sent to another partner,
cancelled) — made through the real services, then a few dated back so that the inbox shows
requests waiting too long and follow-up dates due."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from app.clock import clinic_today
from app.models import HomeCareEvent, HomeCareRequest, Partner, Patient, User
from app.services.home_care.records import DischargePlanInput, HomeCareInput
from app.services.home_care.rules import (
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

# (care, acts, frequency, how far it goes)
SHOWCASE = (
    (CareKind.NURSE, ("dressing", "injection"), Frequency(2, FrequencyPeriod.DAY), "in_progress"),
    (CareKind.PHYSIOTHERAPIST, ("walking",), Frequency(3, FrequencyPeriod.WEEK), "accepted"),
    (CareKind.NURSE, ("hygiene", "medication"), Frequency(1, FrequencyPeriod.DAY), "sent"),
    (CareKind.NURSE, ("blood_test",), Frequency(1, FrequencyPeriod.WEEK), "refused"),
    (
        CareKind.MIDWIFE,
        ("postnatal", "breastfeeding"),
        Frequency(2, FrequencyPeriod.WEEK),
        "to_send",
    ),
    (CareKind.NURSE, ("dressing",), Frequency(1, FrequencyPeriod.DAY), "finished"),
    (
        CareKind.PHYSIOTHERAPIST,
        ("rehabilitation",),
        Frequency(2, FrequencyPeriod.WEEK),
        "cancelled",
    ),
)
PLANS = (
    dict(destination=Destination.HOME, retired=True, gir=5, aids=("ardh", "meals", "telecare")),
    dict(destination=Destination.HOME, retired=None, gir=None, aids=("household_help",)),
    dict(destination=Destination.SMR, retired=True, gir=3, aids=("apa",)),
)
HOSPITALS = (("CHU de Rouen", "Orthopédie"), ("Clinique de l'Europe", "Chirurgie digestive"))
WINDOWS = (
    {0: [("08:00", "10:00"), ("17:00", "19:00")], 2: [("08:00", "10:00")], 4: [("09:00", "11:00")]},
    {1: [("14:00", "17:00")], 3: [("14:00", "17:00")]},
    {},
)


@dataclass(frozen=True)
class _Cast:
    """The demo patients, partners and prescribers the showcase draws from."""

    patients: list[int]
    mother: int | None  # a young mother, for the post-natal care
    partners: dict[str, list[int]]  # by partner kind
    rpps: dict[int, str]  # by GP user id


def _load_cast(services: Services, gps: list[Actor]) -> _Cast:
    with services.db.session(write=False) as session:
        patients = session.scalars(
            select(Patient.id)
            .where(Patient.archived_at.is_(None))
            .order_by(Patient.birth_date, Patient.id)
            .limit(len(SHOWCASE))
        ).all()
        # Post-natal care for a young mother, not for the oldest patients.
        mother = session.scalar(
            select(Patient.id)
            .where(Patient.archived_at.is_(None), Patient.sex == "F")
            .order_by(Patient.birth_date.desc(), Patient.id)
            .limit(1)
        )
        partners: dict[str, list[int]] = {}
        for kind in CARE_PARTNER_KIND.values():
            partners[kind] = list(
                session.scalars(
                    select(Partner.id)
                    .where(Partner.kind == kind, Partner.active.is_(True))
                    .order_by(Partner.id)
                )
            )
        rpps = {
            u.id: u.rpps or ""
            for u in session.scalars(select(User).where(User.id.in_([g.user_id for g in gps])))
        }
    return _Cast(list(patients), mother, partners, rpps)


def _create_plans(
    services: Services, cast: _Cast, social_worker: Actor, gps: list[Actor], today: date
) -> list[int]:
    """The discharge plans of the first patients (ids of those made)."""
    plans: list[int] = []
    for index, patient_id in enumerate(cast.patients[: len(PLANS)]):
        hospital, ward = HOSPITALS[index % len(HOSPITALS)]
        owner = social_worker if index % 2 == 0 else gps[index % len(gps)]
        try:
            plan = services.discharge.create(
                owner,
                DischargePlanInput(
                    patient_id=patient_id,
                    target_date=today + timedelta(days=(-8, 2, 5)[index]),
                    hospital=hospital,
                    ward=ward,
                    admitted_on=today - timedelta(days=12),
                    child_care="" if index else "Sans objet",
                    equipment=("Lit médicalisé", "Déambulateur") if index == 0 else (),
                    **PLANS[index],
                ),
            )
        except RelaisError:
            continue
        plans.append(plan.id)
    return plans


def _request_input(
    services: Services,
    rng: random.Random,
    gp: Actor,
    index: int,
    patient_id: int,
    plan_id: int | None,
    partner_id: int,
    rpps: dict[int, str],
    today: date,
) -> HomeCareInput:
    """The request form of showcase entry ``index``, prefilled as the GP would see it."""
    kind, acts, frequency, goal = SHOWCASE[index]
    base = (
        services.discharge.request_defaults(gp, plan_id)
        if plan_id is not None
        else services.home_care.prefill(gp, patient_id)
    )
    start = base.start_date or today + timedelta(days=3)
    if goal in ("in_progress", "finished"):
        start = today - timedelta(days=10)
    return replace(
        base,
        care_kind=kind,
        acts=acts,
        frequency=frequency,
        start_date=max(start, base.discharge_date or start),
        duration_days=rng.choice((15, 30, 60)),
        prescriber_name=gp.display_name.replace(" (démo)", ""),
        prescriber_rpps=rpps.get(gp.user_id, ""),
        door_code=rng.choice(("", "A1234", "4521B")),
        floor=rng.choice(("RDC", "2e avec ascenseur", "3e sans ascenseur")),
        availability=WINDOWS[index % len(WINDOWS)],
        partner_id=partner_id,
    )


def _advance(
    services: Services,
    rng: random.Random,
    gp: Actor,
    request_id: int,
    goal: str,
    others: list[int],
) -> int:
    """Take a new request as far as ``goal``; returns how many more requests that made (a
    refused request sent to another partner)."""
    made = 0
    if goal != "to_send" and goal != "cancelled":
        services.home_care.send(gp, request_id)
    if goal in ("accepted", "in_progress", "finished"):
        services.home_care.accept(gp, request_id, rng.choice(("Mme Leroy", "M. Leclerc")))
    if goal in ("in_progress", "finished"):
        services.home_care.start(gp, request_id)
    if goal == "finished":
        services.home_care.finish(gp, request_id)
    if goal == "cancelled":
        services.home_care.cancel(gp, request_id, "Patient hospitalisé à nouveau")
    if goal == "refused":
        services.home_care.refuse(gp, request_id, "Tournée complète")
        if others:
            services.home_care.readdress(gp, request_id, others[0])
            made += 1
    if goal in ("sent", "to_send"):
        _date_back(services, request_id, days=3)
    return made


def create_demo_home_care(services: Services, actors: dict[str, Actor], *, seed: int = 2026) -> int:
    """A handful of plans and requests; returns how many requests were made."""
    rng = random.Random(f"relais-demo-home-care:{seed}")
    gps = [a for a in actors.values() if a.role == "gp"]
    social_worker = next((a for a in actors.values() if a.role == "social_worker"), None)
    if not gps or social_worker is None:
        return 0
    today = clinic_today(services.clock)
    cast = _load_cast(services, gps)
    patients = cast.patients
    plans = _create_plans(services, cast, social_worker, gps, today)
    made = 0
    for index, (kind, _acts, _frequency, goal) in enumerate(SHOWCASE):
        if index >= len(patients):
            break
        gp = gps[index % len(gps)]
        choices = cast.partners.get(CARE_PARTNER_KIND[kind], [])
        if not choices:
            continue
        patient_id = patients[index]
        plan_id = plans[index] if index < len(plans) else None
        if kind is CareKind.MIDWIFE:
            if cast.mother is None:
                continue
            patient_id, plan_id = cast.mother, None
        partner_id = choices[index % len(choices)]
        try:
            data = _request_input(
                services, rng, gp, index, patient_id, plan_id, partner_id, cast.rpps, today
            )
            r = services.home_care.create(gp, data)
            made += 1
            others = [p for p in choices if p != data.partner_id]
            made += _advance(services, rng, gp, r.id, goal, others)
        except RelaisError:
            continue
    return made


def _date_back(services: Services, request_id: int, *, days: int) -> None:
    """Make a request look older (its inbox reminder is then due)."""
    delta = timedelta(days=days)
    with services.db.session() as session:
        row = session.get(HomeCareRequest, request_id)
        row_values = {"created_at": row.created_at - delta}
        if row.sent_at is not None:
            row_values["sent_at"] = row.sent_at - delta
        session.execute(
            update(HomeCareRequest)
            .where(HomeCareRequest.id == request_id)
            .values(**row_values)
            .execution_options(synchronize_session=False)
        )
        for event in session.scalars(
            select(HomeCareEvent).where(HomeCareEvent.request_id == request_id)
        ):
            event.at = event.at - delta
