"""``relais-admin report``: the annual activity report, headless (PDF and CSV tables).

``relais-admin report --year 2026 --pdf rapport-2026.pdf --csv tableaux-2026/`` computes the
whole clinic's figures for the calendar year (in the clinic's time zone) as the coordinator
would see them in the dashboard — masked, no name — and writes the PDF report and one CSV
file per table. It acts as the system actor ``relais-admin`` (coordinator rights, audited).

``app.admin.cli`` registers it with :func:`add_parser`; its handler is :func:`run`, which
opens the database like every other command (``app.admin.common.open_services``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from app.admin.common import Progress
from app.clock import clinic_today
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import RelaisError

HELP = "rapport d'activité annuel (PDF) et ses tableaux (CSV), sans nom de patient"


def add_parser(subparsers, parents: Sequence[argparse.ArgumentParser] = ()):  # type: ignore[no-untyped-def]
    """Add ``report`` to relais-admin's sub-commands; returns its parser (its handler is
    :func:`run`)."""
    parser = subparsers.add_parser("report", help=HELP, description=HELP, parents=list(parents))
    parser.add_argument(
        "--year",
        type=int,
        metavar="ANNÉE",
        help="année civile du rapport (défaut : l'année dernière)",
    )
    parser.add_argument("--pdf", metavar="FICHIER", help="enregistrer le rapport PDF ici")
    parser.add_argument(
        "--csv",
        metavar="DOSSIER",
        help="enregistrer un fichier CSV par tableau dans ce dossier (créé au besoin)",
    )
    parser.set_defaults(handler=run)
    return parser


def run(
    args: argparse.Namespace,
    services=None,  # type: ignore[no-untyped-def]
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    open_services: Callable[[str | None], object] | None = None,
) -> int:
    """Write the report; 0 on success. ``services``: the open services (else opened from
    ``args.database`` by ``open_services``, or directly)."""
    out, err = out or sys.stdout, err or sys.stderr
    if not args.pdf and not args.csv:
        raise RelaisError("Indiquez --pdf FICHIER, --csv DOSSIER, ou les deux.")
    owned = services is None
    if owned:
        services = (open_services or _open)(getattr(args, "database", None))
    try:
        year = args.year or clinic_today(services.clock).year - 1
        actor = system_actor()
        progress = Progress("Calcul des statistiques", stream=err)
        try:
            dashboard = services.statistics.annual(actor, year, progress=progress)
        finally:
            progress.finish()
        if args.pdf:
            target = Path(args.pdf)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(services.statistics.report_pdf(actor, dashboard))
            out.write(f"Rapport d'activité {year} enregistré : {target}\n")
        if args.csv:
            paths = services.statistics.export_csv(actor, dashboard, Path(args.csv))
            out.write(f"{len(paths)} tableaux CSV enregistrés dans {args.csv}\n")
    except OSError as exc:
        raise RelaisError(f"Impossible d'écrire le rapport : {exc.strerror or exc}.") from exc
    finally:
        if owned:
            services.db.dispose()
    return 0


def _open(url: str | None):  # type: ignore[no-untyped-def]
    from app.admin.common import open_services
    from app.models.db import resolve_url

    return open_services(resolve_url(url))
