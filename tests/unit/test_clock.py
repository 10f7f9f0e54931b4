"""One clock for the whole application (app/clock.py): no wall-clock read anywhere else.

A screen that takes "today" from the workstation while the services take it from their clock
offers days that the services refuse (« dans le futur ») around midnight, across time zones,
and in every test run on another day than the one it was written.
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.clock import CLINIC_TZ, clinic_now, clinic_today, system_clock

APP = Path(__file__).resolve().parents[2] / "app"

# Calls that read the wall clock as a date or an instant, by their last two name parts
# (``datetime.now``, ``dt.datetime.now`` and ``QDate.currentDate`` alike).
WALL_CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("QDate", "currentDate"),
    ("QTime", "currentTime"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "strftime"),
}
# Names that read the wall clock when imported bare (``from time import time``).
WALL_CLOCK_IMPORTS = {("time", name) for name in ("time", "time_ns", "localtime", "ctime")}

# The legitimate wall-clock reads, each with its reason. Durations and timeouts use
# time.monotonic() / time.perf_counter(), which are not wall-clock dates and need no entry.
ALLOWED = {
    ("clock.py", "datetime.now"): "the one application clock (system_clock)",
}


def _dotted(node: ast.AST) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return parts[::-1]


def wall_clock_reads(root: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        # ``import time as t`` / ``from datetime import datetime as dt``: back to real names.
        aliases = {
            alias.asname: alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
            if alias.asname
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                parts = _dotted(node.func)
                if parts:
                    parts = aliases.get(parts[0], parts[0]).split(".") + parts[1:]
                if len(parts) >= 2 and tuple(parts[-2:]) in WALL_CLOCK_CALLS:
                    what = ".".join(parts[-2:])
                    if (relative, what) not in ALLOWED:
                        found.append(f"app/{relative}:{node.lineno}: {what}()")
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if (node.module, alias.name) in WALL_CLOCK_IMPORTS:
                        found.append(
                            f"app/{relative}:{node.lineno}: from {node.module} import {alias.name}"
                        )
    return found


def test_no_wall_clock_read_outside_the_clock_module():
    assert wall_clock_reads(APP) == []


def test_every_allowed_read_still_exists():
    """An allowance whose read went away is removed, so that the list stays the truth."""
    for relative, what in ALLOWED:
        text = (APP / relative).read_text(encoding="utf-8")
        assert what.split(".")[-1] in text, (relative, what)


def test_the_scan_finds_each_kind_of_read(tmp_path):
    """The scanner itself: each forbidden form in a throw-away tree is reported."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(
        "import datetime as dt\n"
        "from datetime import date, datetime\n"
        "from time import time\n"
        "import time as t\n"
        "from PySide6.QtCore import QDate, QDateTime\n"
        "a = date.today()\n"
        "b = datetime.now()\n"
        "c = dt.datetime.now(dt.UTC)\n"
        "d = QDate.currentDate()\n"
        "e = QDateTime.currentDateTime()\n"
        "f = t.time()\n"
        "g = t.monotonic()\n"  # a duration: allowed
    )
    found = wall_clock_reads(tmp_path)
    assert [line.split(": ", 1)[1] for line in found] == [
        "from time import time",
        "date.today()",
        "datetime.now()",
        "datetime.now()",
        "QDate.currentDate()",
        "QDateTime.currentDateTime()",
        "time.time()",
    ]


def test_the_system_clock_is_aware_utc():
    now = system_clock()
    assert now.tzinfo is not None and now.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        # New Year's Eve: 23:30 UTC is already 1 January at the clinic.
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), date(2026, 12, 31)),
        # Summer time: 22:30 UTC is past midnight in Paris (UTC+2).
        (datetime(2027, 7, 14, 22, 30, tzinfo=UTC), date(2027, 7, 15)),
        (datetime(2028, 2, 29, 23, 0, tzinfo=UTC), date(2028, 3, 1)),
        (datetime(2028, 2, 28, 23, 0, tzinfo=UTC), date(2028, 2, 29)),
    ],
)
def test_today_is_the_clinic_day(instant, day):
    assert clinic_today(lambda: instant) == day
    now = clinic_now(lambda: instant)
    assert now.tzinfo is CLINIC_TZ and now == instant


def test_the_summer_time_change_is_one_clinic_day():
    """28 March 2027, 01:00 UTC: Paris jumps from 02:00 to 03:00; the day stays the 28th."""
    before = datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    after = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert clinic_now(lambda: before).hour == 1 and clinic_now(lambda: after).hour == 3
    assert clinic_today(lambda: before) == clinic_today(lambda: after) == date(2027, 3, 28)
