"""``relais --self-test``: is this installation whole? (also inside the PyInstaller bundle)

It works in a temporary folder, with an in-memory keyring: the user's data folder, log folder
and OS keyring are never touched. In order: the files Relais ships (fonts, icons, migrations,
Qt's French translation), the back ends loaded by name (keyring backends, psycopg, SQLAlchemy
dialects, holidays' French names), a temporary database brought to the last migration, a
clinic with two accounts, one sealed note written and read back, a PDF written and rendered,
the main window shown (offscreen, or on the real display: ``--platform xcb``) and a login into
it, a crash report that must not carry the note's text, and last a scan of every file written
for that text. Exit code 0 when every check passed.

With ``--demo`` it fills the temporary database with the demo data instead (a few fictitious
patients) and checks that the login window lists the demo accounts, as ``relais --demo`` does.
"""

from __future__ import annotations

import platform as platform_module
import sys
import time
from typing import TextIO

from app import __version__
from app.selftest.environment import (
    DEMO_PATIENTS,
    Outcome,
    _fail,
    check_back_ends,
    check_shipped_files,
    choose_platform,
    files_holding,
    sandbox,
)
from app.selftest.steps import Run

__all__ = ["files_holding", "run"]


def run(
    *,
    demo: bool = False,
    demo_patients: int | None = None,
    platform: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    from app.main import make_application

    out = sys.stdout if out is None else out
    started = time.monotonic()
    app = make_application(choose_platform(platform))
    outcome = Outcome(out)
    frozen = " (application autonome)" if getattr(sys, "frozen", False) else ""
    outcome.say(
        f"Relais {__version__}{frozen} — autotest, Python {platform_module.python_version()}, "
        f"plateforme Qt {app.platformName()}"
    )
    french = bool(app.property("relais_french"))
    with sandbox() as folder:
        checks = Run(folder, outcome, demo=demo, demo_patients=demo_patients or DEMO_PATIENTS)
        outcome.say(f"  Témoin : {checks.marker} (ne doit apparaître dans aucun fichier écrit)")
        try:
            outcome.check("Fichiers fournis", check_shipped_files)
            outcome.check(
                "Traduction française de Qt",
                lambda: "chargée" if french else _fail("qtbase_fr.qm introuvable"),
            )
            outcome.check("Modules chargés à la demande", check_back_ends)
            if outcome.check("Base temporaire et migrations", checks.open_database):
                if demo:
                    outcome.check(
                        "Fenêtre principale (démonstration)", lambda: checks.main_window(app)
                    )
                    outcome.check("Comptes de démonstration", checks.use_demo_accounts)
                else:
                    outcome.check("Clinique et comptes", checks.set_up_clinic)
                    outcome.check("Fenêtre principale", lambda: checks.main_window(app))
                outcome.check("Note scellée", checks.sealed_note)
                outcome.check("Document PDF", checks.pdf)
                outcome.check("Connexion", lambda: checks.log_in(app))
                outcome.check("Rapport d'erreur", checks.crash_report)
                outcome.check("Traces sur le disque", checks.traces)
        finally:
            checks.close()
    took = time.monotonic() - started
    if outcome.failed:
        outcome.say(
            f"Autotest en échec : {len(outcome.failed)} vérification(s) sur "
            f"{len(outcome.failed) + outcome.passed} ({took:.1f} s)."
        )
        return 1
    outcome.say(f"Autotest réussi : {outcome.passed} vérifications ({took:.1f} s).")
    return 0
