"""Build (or reuse) the reference database: ``relais-admin demo`` with 100,000 patients, then
ten years of history (200,000 referrals, 300,000 appointments; ``reference_history.py``).

Usage: ``.venv/bin/python benchmarks/make_reference.py [--patients N] [--force]``.
The file lives in ``benchmarks/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import REFERENCE, REFERENCE_PATIENTS, fr_int, print_table, reference_url
from reference_history import add_history

from app.container import Services
from app.demo.files import built_aside
from app.demo.generator import create_demo


def _progress(done: int, total: int) -> None:
    percent = 100 if total == 0 else done * 100 // total
    sys.stderr.write(f"\rGénération : {percent:3d} %")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Base de référence des mesures de Relais.")
    parser.add_argument("--patients", type=int, default=REFERENCE_PATIENTS)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--appointments", type=int, default=300_000)
    parser.add_argument("--force", action="store_true", help="reconstruire même si elle existe")
    args = parser.parse_args(argv)
    if REFERENCE.exists() and not args.force:
        services = Services.open(reference_url())
        count = services.patients.count()
        services.db.dispose()
        print(f"Base de référence réutilisée : {REFERENCE} ({fr_int(count)} patients).")
        return 0
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        REFERENCE.with_name(REFERENCE.name + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    # Built as reference.sqlite.partial, renamed once complete: an interrupted build is never
    # reused as if it were the reference set.
    with built_aside(REFERENCE) as partial:
        services = Services.open(reference_url(partial))
        try:
            summary = create_demo(services, patients=args.patients, progress=_progress)
            history = add_history(
                services,
                referrals=args.referrals,
                appointments=args.appointments,
                progress=_progress,
            )
        finally:
            services.db.dispose()
    size_mb = REFERENCE.stat().st_size / 1e6
    print_table(
        [
            "Base de référence",
            "patients",
            "notes",
            "orientations",
            "rendez-vous",
            "comptes",
            "durée (s)",
            "taille (Mo)",
        ],
        [
            [
                str(REFERENCE),
                fr_int(summary.patients),
                fr_int(summary.notes),
                fr_int(history.referrals),
                fr_int(history.appointments),
                str(summary.users),
                f"{time.perf_counter() - started:.1f}",
                f"{size_mb:.0f}",
            ]
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
