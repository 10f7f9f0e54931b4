"""Scheduling screens on the reference database (200,000 referrals, 300,000 appointments).

Times what the agenda, the call list, the « Rendez-vous » tab and the secretariat's
« Orientations à planifier » ask the scheduling service: the social worker's week and day
(weeks spread over ten years, and the coming ones), her next free slots, tomorrow's call list,
a patient's appointments and no-show count, the referrals to schedule, a year's iCalendar export.
The agenda's budget is the file-opening budget of issue 2 (100 ms: a screen that opens); the
others have none of their own and are shown for information.

Usage: ``.venv/bin/python benchmarks/bench_scheduling.py [--database URL] [--runs N]``. When the
social worker has no consultation session yet (a reference database built before scheduling),
two are created first (every Tuesday morning and every Thursday afternoon).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from datetime import time as clock_time

from _common import (
    REFERENCE,
    TIMING_HEADERS,
    fr_int,
    print_table,
    reference_url,
    timed,
    timing_row,
)
from sqlalchemy import func, select

from app.container import Services
from app.demo.generator import DEMO_PASSWORD
from app.models import Appointment, Referral
from app.services.scheduling.records import SessionInput

SCREEN_BUDGET_MS = 100


def _ensure_sessions(services: Services, coordinator, social_worker_id: int) -> None:
    if services.scheduling.sessions(coordinator, professional_id=social_worker_id):
        return
    monday = date.today() - timedelta(days=date.today().weekday())
    for weekday, opens, closes in ((1, (9, 0), (12, 30)), (3, (14, 0), (17, 30))):
        services.scheduling.create_session(
            coordinator,
            SessionInput(
                professional_id=social_worker_id,
                label="Permanence CARSAT",
                place="Maison de santé",
                room="Bureau 2",
                weekday=weekday,
                opens=clock_time(*opens),
                closes=clock_time(*closes),
                slot_minutes=30,
                every_weeks=1,
                first_date=monday - timedelta(weeks=520) + timedelta(days=weekday),
            ),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure de l'agenda et des rendez-vous.")
    parser.add_argument("--database", default=reference_url())
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    if args.database == reference_url() and not REFERENCE.exists():
        print("Base de référence absente : lancez d'abord benchmarks/make_reference.py.")
        return 1
    services = Services.open(args.database)
    try:
        coordinator = services.auth.login("coord.martin", DEMO_PASSWORD)
        social = services.auth.login("as.moreau", DEMO_PASSWORD)
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        assert social.user_id is not None
        _ensure_sessions(services, coordinator, social.user_id)
        with services.db.session(write=False) as session:
            appointments = session.scalar(select(func.count()).select_from(Appointment))
            referrals = session.scalar(select(func.count()).select_from(Referral))
            patients = list(
                session.scalars(
                    select(Appointment.patient_id)
                    .where(Appointment.professional_id == social.user_id)
                    .distinct()
                    .limit(2_000)
                )
            )
        print(
            f"Base : {args.database} — {fr_int(appointments or 0)} rendez-vous, "
            f"{fr_int(referrals or 0)} orientations"
        )
        rng = random.Random(5)
        today = date.today()
        weeks = [today - timedelta(weeks=rng.randrange(-6, 520)) for _ in range(args.runs)]
        weeks = [w - timedelta(days=w.weekday()) for w in weeks]
        sample = rng.sample(patients, min(args.runs, len(patients)))
        scheduling = services.scheduling
        uid = social.user_id

        def week(i: int, actor=social) -> None:
            scheduling.agenda(actor, weeks[i], weeks[i] + timedelta(days=6), professional_id=uid)

        week(0)  # warm-up
        rows = [
            timing_row("semaine (assistante sociale)", timed(week, args.runs), SCREEN_BUDGET_MS),
            timing_row(
                "semaine (secrétariat)",
                timed(lambda i: week(i, secretary), args.runs),
                SCREEN_BUDGET_MS,
            ),
            timing_row(
                "journée",
                timed(
                    lambda i: scheduling.agenda(
                        social,
                        weeks[i] + timedelta(days=1),
                        weeks[i] + timedelta(days=1),
                        professional_id=uid,
                    ),
                    args.runs,
                ),
                SCREEN_BUDGET_MS,
            ),
            timing_row(
                "prochains créneaux libres (6 semaines)",
                timed(lambda i: scheduling.free_slots(secretary, uid, start=today), args.runs),
                SCREEN_BUDGET_MS,
            ),
            timing_row(
                "appels de la veille",
                timed(
                    lambda i: scheduling.call_list(secretary, today + timedelta(days=1 + i % 7)),
                    args.runs,
                ),
                None,
            ),
            timing_row(
                "rendez-vous d'un patient",
                timed(
                    lambda i: scheduling.patient_appointments(secretary, sample[i % len(sample)]),
                    args.runs,
                ),
                None,
            ),
            timing_row(
                "absences d'un patient",
                timed(
                    lambda i: scheduling.no_show_count(social, sample[i % len(sample)]), args.runs
                ),
                None,
            ),
            timing_row(
                "orientations à planifier (secrétariat)",
                timed(
                    lambda i: scheduling.referrals_to_schedule(secretary).items,
                    max(5, args.runs // 4),
                ),
                None,
            ),
            timing_row(
                "export iCalendar (un an)",
                timed(
                    lambda i: scheduling.icalendar(social, uid, today - timedelta(days=365), today),
                    5,
                ),
                None,
            ),
        ]
        print_table(TIMING_HEADERS, rows)
    finally:
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
