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
