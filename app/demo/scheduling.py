"""Demo consultation sessions and appointments, made through the real scheduling service.

For the demo social worker: « Permanence CARSAT » every other Tuesday morning and a session
every Thursday afternoon; appointments in every state on past and coming dates (some booked
from the demo referrals sent or received), a waiting list with a freed slot waiting for it,
and a cancelled Thursday whose patients the secretariat must call.

Past appointments are booked through a scheduling service whose clock is set back in time (a
booking must be for a slot to come); every rule of the service applies all the same.
Deterministic for a given clock and seed, and small (a showcase: a few dozen service calls).
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.clock import CLINIC_TZ
from app.models import Patient, Referral
from app.models.scheduling import ConsultationSession
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local
from app.services.referrals.records import ReferralStatus
from app.services.scheduling.records import SessionInput, SessionRecord
from app.services.scheduling.service import SchedulingService

if TYPE_CHECKING:
    from app.container import Services

PLACE = "Maison de santé — 1er étage"


@dataclass
class _Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CLINIC_TZ).astimezone(UTC)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass
class _Booker:
    """Books demo appointments for the social worker, counting those that went through."""

    sched: SchedulingService
    secretary: Actor
    sw: Actor
    rng: random.Random
    pool: list[int]
    patient_ids: list[int]
    booked: int = 0

    def patient(self) -> int:
        return self.pool.pop() if self.pool else self.rng.choice(self.patient_ids)

    def book(self, when: datetime, patient_id: int | None = None, **kw) -> int | None:
        try:
            a = self.sched.book(
                self.secretary,
                patient_id=patient_id or self.patient(),
                professional_id=self.sw.user_id,
                starts_at=when,
                **kw,
            )
        except RelaisError:
            return None  # a holiday, a busy patient: skip it
        self.booked += 1
        return a.id


def _demo_patients(
    services: Services, sw: Actor
) -> tuple[list[int], dict[str, list[tuple[int, int]]]] | None:
    """Patients to book and the referrals waiting for the social worker (referral id, patient
    id) by status; None when her sessions exist already."""
    with services.db.session(write=False) as session:
        if session.scalar(
            select(ConsultationSession.id).where(ConsultationSession.professional_id == sw.user_id)
        ):
            return None
        patient_ids = list(
            session.scalars(
                select(Patient.id)
                .where(Patient.archived_at.is_(None))
                .order_by(Patient.id)
                .limit(40)
            )
        )
        waiting_referrals: dict[str, list[tuple[int, int]]] = {"sent": [], "received": []}
        for rid, pid, status in session.execute(
            select(Referral.id, Referral.patient_id, Referral.status)
            .where(
                Referral.receiver_id == sw.user_id,
                Referral.status.in_([str(ReferralStatus.SENT), str(ReferralStatus.RECEIVED)]),
            )
            .order_by(Referral.id)
        ):
            waiting_referrals[status].append((rid, pid))
    return patient_ids, waiting_referrals


def _create_sessions(
    sched: SchedulingService,
    coordinator: Actor,
    sw: Actor,
    first_tuesday: date,
    first_thursday: date,
) -> SessionRecord:
    """The fortnightly Tuesday « Permanence CARSAT » and the weekly Thursday session (returned)."""
    sched.create_session(
        coordinator,
        SessionInput(
            professional_id=sw.user_id,
            label="Permanence CARSAT",
            place=PLACE,
            room="Salle 2",
            weekday=1,
            opens=time(9),
            closes=time(12, 30),
            slot_minutes=30,
            every_weeks=2,
            first_date=first_tuesday,
        ),
    )
    return sched.create_session(
        sw,
        SessionInput(
            professional_id=sw.user_id,
            label="Permanence de l'après-midi",
            place=PLACE,
            room="Salle 4",
            weekday=3,
            opens=time(14),
            closes=time(17),
            slot_minutes=45,
            every_weeks=1,
            first_date=first_thursday,
        ),
    )


def _book_past_weeks(booker: _Booker, clock: _Clock, first_tuesday: date, today: date) -> None:
    """The past weeks: seen, missed, cancelled (booked with the clock set back in time)."""
    sched, sw, secretary, book = booker.sched, booker.sw, booker.secretary, booker.book
    now = clock.now
    past_days = [
        d.day for d in sched.agenda(sw, first_tuesday, today - timedelta(days=1)) if d.slots
    ]
    for day in past_days[-6:]:
        opens = 9 if day.weekday() == 1 else 14
        clock.now = _at(day, 8) - timedelta(days=2)
        ids = [book(_at(day, opens, 0)), book(_at(day, opens + 1, 30))]
        cancel = book(_at(day, opens + 2, 0 if opens == 9 else 15))
        if cancel is not None:
            sched.cancel(secretary, cancel, by_patient=True, reason="Empêchement (travail)")
        clock.now = _at(day, 17, 30)
        for index, aid in enumerate(i for i in ids if i is not None):
            if index == 1 and booker.rng.random() < 0.5:
                sched.record_no_show(secretary, aid, reason="Pas venu(e), pas prévenu")
            else:
                sched.record_seen(sw, aid)
    clock.now = now


def _fill_waiting_list(booker: _Booker) -> None:
    """A waiting list of three patients (one urgent)."""
    for urgency, prefs in (
        ("urgent", "le plus tôt possible"),
        ("normal", "mardi matin"),
        ("normal", ""),
    ):
        try:
            booker.sched.add_to_waiting_list(
                booker.secretary,
                patient_id=booker.patient(),
                professional_id=booker.sw.user_id,
                urgency=urgency,
                preferences=prefs,
            )
        except RelaisError:
            continue


def _book_coming_weeks(
    booker: _Booker,
    coming: list[date],
    received: list[tuple[int, int]],
    thursday: SessionRecord,
) -> None:
    """The coming weeks: referred patients, patients to call, a waiting list with a freed slot
    and a cancelled Thursday whose patients the secretariat must call."""
    sched, sw, secretary, book = booker.sched, booker.sw, booker.secretary, booker.book
    # From referrals sent or received: the secretariat books them (sent ones are recorded
    # as received on the way).
    for (rid, pid), day in zip(received, coming, strict=False):
        opens = 9 if day.weekday() == 1 else 14
        book(_at(day, opens, 30 if opens == 9 else 45), patient_id=pid, referral_id=rid)
    first, rest = coming[0], coming[1:]
    opens = 9 if first.weekday() == 1 else 14
    call_ids = [
        book(_at(first, opens + 1, 30)),
        book(_at(first, opens + 2, 15 if opens == 14 else 0)),
    ]
    for aid in [i for i in call_ids if i is not None][:1]:
        sched.mark_called(secretary, aid, confirmed=True)
    # A waiting list, and a slot freed for it.
    _fill_waiting_list(booker)
    for day in rest[:3]:
        opens = 9 if day.weekday() == 1 else 14
        book(_at(day, opens + 1, 30))
    if rest:
        day = rest[0]
        opens = 9 if day.weekday() == 1 else 14
        freed = book(_at(day, opens + 2, 15 if opens == 14 else 0))
        if freed is not None:
            sched.cancel(secretary, freed, by_patient=True, reason="Rendez-vous à l'hôpital")
    # A Thursday cancelled (training day) with its appointments: patients to call.
    thursdays = [d for d in coming if d.weekday() == 3]
    if thursdays:
        day = thursdays[-1]
        book(_at(day, 14))
        book(_at(day, 15, 30))
        with contextlib.suppress(RelaisError):
            sched.cancel_day(sw, thursday.id, day, "Formation CARSAT", cancel_appointments=True)


def create_demo_scheduling(
    services: Services, actors: dict[str, Actor], *, seed: int = 2026
) -> int:
    """Sessions, appointments and a waiting list for the demo social worker; returns how many
    appointments were booked (0 when her sessions exist already: run once per database)."""
    rng = random.Random(f"relais-demo-scheduling:{seed}")
    sw = next(a for a in actors.values() if a.role == "social_worker")
    coordinator = next(a for a in actors.values() if a.role == "coordinator")
    secretary = next(a for a in actors.values() if a.role == "secretary")
    now = services.clock()
    today = local(now).date()
    found = _demo_patients(services, sw)
    if found is None:
        return 0
    patient_ids, waiting_referrals = found
    # Referrals to book from: all but one of each state (the demo keeps one of each to show).
    received = (waiting_referrals["received"][1:] + waiting_referrals["sent"][1:])[:3]
    if len(patient_ids) < 4:
        return 0
    referred = {pid for _rid, pid in received}
    pool = [p for p in patient_ids if p not in referred]
    rng.shuffle(pool)

    clock = _Clock(now)
    # The same service, with a clock that can go back in time (bookings of the past weeks).
    sched = SchedulingService(
        services.db, services.audit, clock, services.referrals, services.documents, services.codec
    )
    first_tuesday = _on_or_after(today - timedelta(weeks=8), 1)
    first_thursday = _on_or_after(today - timedelta(weeks=8), 3)
    thursday = _create_sessions(sched, coordinator, sw, first_tuesday, first_thursday)
    booker = _Booker(sched, secretary, sw, rng, pool, patient_ids)
    _book_past_weeks(booker, clock, first_tuesday, today)
    coming = [
        d.day
        for d in sched.agenda(sw, today + timedelta(days=1), today + timedelta(weeks=4))
        if d.slots
    ]
    if coming:
        _book_coming_weeks(booker, coming, received, thursday)
    return booker.booked
