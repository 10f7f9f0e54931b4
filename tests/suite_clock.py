"""The test suite's clock: the instant the whole suite runs at, and day arithmetic around it.

Nothing in Relais reads the wall clock outside ``app/clock.py``, so the suite passes whatever
the real date. By default it runs at a fixed instant; ``RELAIS_TEST_NOW`` (ISO 8601 with a UTC
offset) runs it at any other one: ``.ci/run`` uses it for the edge dates (a change of summer
time in Paris, New Year's Eve late in the evening, 29 February). Tests derive every date from
:func:`suite_now` (or from the ``clock`` fixture), never write a calendar date that must lie in
the future or the past, and pin their own instant only where a test is about one calendar
(public holidays, the French way of writing a date).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

from app.clock import CLINIC_TZ, clinic_today
from app.services.scheduling.recurrence import french_holiday

DEFAULT_TEST_NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
EDGE_DATES = {
    "summer-time": "2027-03-28T03:30+02:00",  # an hour after Paris moved to summer time
    "new-year-eve": "2026-12-31T23:30+01:00",  # late evening at the clinic, still 31 in UTC
    "leap-day": "2028-02-29T10:00+01:00",
}


def suite_now() -> datetime:
    text = os.environ.get("RELAIS_TEST_NOW", "").strip()
    if not text:
        return DEFAULT_TEST_NOW
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"RELAIS_TEST_NOW needs a UTC offset: {text!r}")
    return value.astimezone(UTC)


class FakeClock:
    """A controllable UTC clock handed to services (throttling, inactivity, expiry)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or suite_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


TODAY = clinic_today(suite_now)  # the clinic's day the suite runs on


def days(n: int) -> date:
    """The clinic day ``n`` days from the suite's today (negative: in the past)."""
    return TODAY + timedelta(days=n)


def next_weekday(weekday: int, after: date | None = None, *, gap: int = 1) -> date:
    """The first ``weekday`` (0 = Monday) at least ``gap`` days after ``after`` (today)."""
    start = (after or TODAY) + timedelta(days=gap)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A clinic time (Europe/Paris) on ``day``, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=CLINIC_TZ)


def dmy(day: date) -> str:
    """``day`` as typed and printed in French: jj/mm/aaaa."""
    return day.strftime("%d/%m/%Y")


def working_tuesday(*, gap: int = 2, weeks: int = 5) -> date:
    """The first Tuesday at least ``gap`` days after the suite's today from which ``weeks``
    Tuesdays in a row are no French public holiday (a session falls on every other one)."""
    day = next_weekday(1, gap=gap)
    while any(french_holiday(day + timedelta(weeks=k)) for k in range(weeks)):
        day += timedelta(weeks=1)
    return day


def next_christmas(*, gap: int = 7) -> date:
    """The first 25 December at least ``gap`` days after the suite's today."""
    christmas = date(TODAY.year, 12, 25)
    return christmas if (christmas - TODAY).days >= gap else date(TODAY.year + 1, 12, 25)
