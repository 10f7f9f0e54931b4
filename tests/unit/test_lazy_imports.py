"""Starting Relais loads no heavy library (issue 16: start → login window ≤ 1 s).

Each is loaded at its first use through ``app.lazy.on_first_use``; the second test shows the
stand-ins do load them when a document, an agenda export or a contact check needs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "reportlab",
    "icalendar",
    "holidays",
    "pypdfium2",
    "phonenumbers",
    "email_validator",
    "babel",
    "alembic",
    "zxcvbn",
    "pypdf",
    "keyring",
    "segno",
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_start_up_path_loads_no_heavy_library():
    loaded = _run(
        "import sys\n"
        "import app.main, app.container\n"
        "from app.views.shell.main_window import MainWindow\n"
        "from app.views.shell.startup import Startup\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert loaded == "[]"


def test_the_stand_ins_load_their_library_at_first_use():
    loaded = _run(
        "import sys\n"
        "from datetime import date\n"
        "from app.services.kernel import timefmt, validation\n"
        "from app.services.scheduling import exports, recurrence\n"
        "from app.services.patient_file import documents\n"
        "assert recurrence.french_holiday(date(2027, 7, 14))\n"
        "assert timefmt.WEEKDAYS[0] == 'lundi' and timefmt.MONTHS[0] == 'janvier'\n"
        "assert validation.phone_error('02 35 12 34 56') is None\n"
        "assert validation.phone_error('+33 0 00') and validation.email_error('a@')\n"
        "assert validation.email_error('prenom.nom@exemple.fr') is None\n"
        "exports.icalendar.Calendar()\n"
        "documents.pdf.styles()\n"
        "print(sorted(m for m in ('reportlab', 'icalendar', 'holidays', 'babel', "
        "'phonenumbers', 'email_validator') "
        "if m in sys.modules))\n"
    )
    assert loaded == (
        "['babel', 'email_validator', 'holidays', 'icalendar', 'phonenumbers', 'reportlab']"
    )


def test_pyside_does_not_read_the_source_of_every_module_at_start_up():
    """PySide6's ``__feature__`` scan read each module's source after PySide6 was imported
    (``inspect.getsource``: about a second of the start); ``app.views`` turns it off."""
    counted = _run(
        "import inspect\n"
        "calls = []\n"
        "real = inspect.getsource\n"
        "inspect.getsource = lambda obj: calls.append(obj.__name__) or real(obj)\n"
        "import app.main\n"
        "from app.views.shell.main_window import MainWindow\n"
        "print(sorted(calls))\n"
    )
    # Only PySide6's own first imports, read before the switch can be turned off.
    assert counted == "['PySide6', 'enum', 'shiboken6']"


# What the warm-up must not load either: the heavy libraries but alembic (the test's database
# is new: ``Database.open`` has just created it by its migrations).
WARM_UP_NEVER = tuple(m for m in HEAVY if m != "alembic")
# The features' screens and services: imported by the warm-up, not by the start.
FEATURES = (
    "app.views.shell.workspace",
    "app.views.patient_file.file_view",
    "app.views.referrals.referrals_view",
    "app.views.agenda.booking_dialog",
    "app.views.home_care.home_care_tab",
    "app.views.admin.audit_dialog",
    "app.services.inbox.service",
    "app.services.scheduling.service",
    "app.services.statistics.service",
    "app.services.home_care.requests",
)


def test_the_login_screen_is_shown_before_the_features_load_then_they_load_while_it_waits(
    tmp_path,
):
    """Relais shows its login screen with the accounts, clinic and security services only;
    the features' modules and services come while the user types (the warm-up, one module per
    turn of the event loop), so that neither the start nor the login pays for them."""
    url = f"sqlite:///{tmp_path / 'relais.sqlite'}"
    found = _run(
        "import sys, time\n"
        "import app.views\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from app.container import Services\n"
        "from app.models.db import Database\n"
        "from app.views.shell.main_window import MainWindow\n"
        "qapp = QApplication([])\n"
        f"services = Services.build(Database.open({url!r}))\n"
        "window = MainWindow(services)\n"
        "window.show()\n"
        "qapp.processEvents()\n"
        f"features = {FEATURES!r}\n"
        "print(sorted(m for m in features if m in sys.modules))\n"
        "print(sorted(n for n in ('inbox', 'referrals', 'scheduling') if n in vars(services)))\n"
        "deadline = time.monotonic() + 60\n"
        "while window.warm_up.left or 'statistics' not in vars(services):\n"
        "    assert time.monotonic() < deadline, 'the warm-up never ended'\n"
        "    qapp.processEvents()\n"
        "    time.sleep(0.01)\n"
        "print(sorted(m for m in features if m not in sys.modules))\n"
        "print(window.current is None and window.stack.currentWidget() is window.login)\n"
        f"print(sorted(m for m in {WARM_UP_NEVER!r} if m in sys.modules))\n"
    )
    # The warm-up loads the features' modules, never a heavy library (each at its first use).
    assert found.splitlines() == ["[]", "[]", "[]", "True", "[]"]
