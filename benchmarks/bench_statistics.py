"""The activity dashboard and the annual report on the reference database (issue 15).

Times what the « Statistiques » tab and ``relais-admin report`` ask the statistics service, on
200,000 referrals and 300,000 appointments spread over ten years: the whole dashboard (six
sections, every table masked) for the last twelve months — the tab's first screen —, for one
calendar year, for one reason category and for one GP's « mes orientations »; then the annual
report: the year's figures and its PDF (budget 3 s), and its CSV tables.

Budgets (issue 15): the full dashboard under 1 s, the annual report's PDF under 3 s.

Usage: ``.venv/bin/python benchmarks/bench_statistics.py [--database URL] [--runs N]``. A
reference database built before migration 0006 is brought up to date first (its referrals then
have no « written from the guide » answer: they count as « non renseigné »).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

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

from app.clock import clinic_today
from app.container import Services
from app.demo.generator import DEMO_PASSWORD
from app.models import Appointment, Referral

DASHBOARD_BUDGET_MS = 1_000
REPORT_BUDGET_MS = 3_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure du tableau de bord et du rapport.")
    parser.add_argument("--database", default=reference_url())
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    if args.database == reference_url() and not REFERENCE.exists():
        print("Base de référence absente : lancez d'abord benchmarks/make_reference.py.")
        return 1
    started = time.perf_counter()
    services = Services.open(args.database)  # migrates an older reference database
    opened_s = time.perf_counter() - started
    try:
        return _measure(services, args.runs, opened_s)
    finally:
        services.db.dispose()


def _measure(services: Services, runs: int, opened_s: float) -> int:
    stats = services.statistics
    coordinator = services.auth.login("coord.martin", DEMO_PASSWORD)
    gp = services.auth.login("dr.durand", DEMO_PASSWORD)
    with services.db.session(write=False) as session:
        referrals = session.scalar(select(func.count()).select_from(Referral)) or 0
        appointments = session.scalar(select(func.count()).select_from(Appointment)) or 0
    last_months = stats.default_filter(coordinator)
    year = clinic_today(services.clock).year - 1
    year_filter = stats.annual(coordinator, year).filter
    rows = [
        timing_row(
            "tableau de bord, 12 derniers mois",
            timed(lambda _i: stats.dashboard(coordinator, last_months), runs),
            DASHBOARD_BUDGET_MS,
        ),
        timing_row(
            f"tableau de bord, année {year}",
            timed(lambda _i: stats.dashboard(coordinator, year_filter), runs),
            DASHBOARD_BUDGET_MS,
        ),
        timing_row(
            "tableau de bord, un motif",
            timed(
                lambda _i: stats.dashboard(
                    coordinator, replace(last_months, reason_category="rights_and_care")
                ),
                runs,
            ),
            DASHBOARD_BUDGET_MS,
        ),
        timing_row(
            "tableau de bord, « mes orientations » d'un médecin",
            timed(
                lambda _i: stats.dashboard(gp, replace(last_months, professional_id=gp.user_id)),
                runs,
            ),
            DASHBOARD_BUDGET_MS,
        ),
    ]
    board = stats.annual(coordinator, year)
    rows.append(
        timing_row(
            f"rapport annuel {year} : chiffres + PDF",
            timed(lambda _i: stats.report_pdf(coordinator, stats.annual(coordinator, year)), runs),
            REPORT_BUDGET_MS,
        )
    )
    rows.append(
        timing_row(
            "rapport annuel : PDF seul",
            timed(lambda _i: stats.report_pdf(coordinator, board), runs),
            None,
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        rows.append(
            timing_row(
                "tableaux CSV de l'année",
                timed(lambda _i: stats.export_csv(coordinator, board, Path(folder)), runs),
                None,
            )
        )
    print(
        f"Base : {fr_int(referrals)} orientations, {fr_int(appointments)} rendez-vous "
        f"(ouverte en {opened_s:.1f} s, migration comprise) ; {runs} mesures par ligne."
    )
    print_table(TIMING_HEADERS, rows)
    return 0 if all(row[-1] != "DÉPASSÉ" for row in rows) else 2


if __name__ == "__main__":
    raise SystemExit(main())
