"""Periods in the clinic's time zone: months, their UTC edges, default and annual periods.

A month is a month at the clinic (Europe/Paris): the referral sent on 31 January at 23:30 in
Rouen (22:30 UTC) counts in January, the one sent on 1 February at 00:30 (23:30 UTC the day
before) in February. Stored instants are UTC; each month's edges are computed here once, and
the SQL compares the stored instants with them (``app.services.statistics.sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.clock import CLINIC_TZ, Clock, clinic_today
from app.i18n import _
from app.services.kernel.timefmt import fmt_date, start_of_day

MONTH_ABBREVIATIONS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
DEFAULT_MONTHS = 12
MAX_DAYS = 366 * 20


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months(start: date, end: date) -> list[date]:
    """The first day of every month that ``[start, end]`` touches."""
    out, current = [], month_start(start)
    while current <= end:
        out.append(current)
        current = next_month(current)
    return out


def month_label(first: date) -> str:
    """« janv. 2026 »."""
    return f"{MONTH_ABBREVIATIONS[first.month - 1]} {first.year}"


@dataclass(frozen=True)
class Period:
    """Clinic days ``start`` to ``end`` included, and their instants in UTC."""

    start: date
    end: date

    @property
    def begins(self) -> datetime:
        return start_of_day(self.start)

    @property
    def ends(self) -> datetime:
        """The first instant after the period (midnight after ``end``, in UTC)."""
        return start_of_day(self.end + timedelta(days=1))

    def months(self) -> list[date]:
        return months(self.start, self.end)

    def edges(self) -> list[datetime]:
        """UTC instants where each month starts (the first clipped to the period's start),
        then the period's end: month ``i`` is ``[edges[i], edges[i + 1])``."""
        starts = [max(self.begins, start_of_day(m)) for m in self.months()]
        return [*starts, self.ends]

    def clipped(self, clock: Clock) -> Period:
        """The part of the period that has happened (up to today)."""
        return Period(self.start, min(self.end, clinic_today(clock)))

    def label(self) -> str:
        if (
            self.start.month == 1
            and self.start.day == 1
            and self.end == date(self.start.year, 12, 31)
        ):
            return _("année {year}").format(year=self.start.year)
        return _("du {start} au {end}").format(start=fmt_date(self.start), end=fmt_date(self.end))


def default_period(clock: Clock) -> Period:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = clinic_today(clock)
    first = month_start(today)
    for _month in range(DEFAULT_MONTHS - 1):
        first = month_start(first - timedelta(days=1))
    return Period(first, today)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def offsets(begins: datetime, ends: datetime) -> list[tuple[datetime, int]]:
    """The clinic's UTC offset (hours) from each instant on, between two instants: the first
    entry is at ``begins``; one entry more at each change of summer time."""
    out: list[tuple[datetime, int]] = []

    def hours(at: datetime) -> int:
        offset = at.astimezone(CLINIC_TZ).utcoffset() or timedelta()
        return int(offset.total_seconds() // 3600)

    at = begins.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    current = hours(at)
    out.append((begins, current))
    day = timedelta(days=1)
    while at < ends:
        following = at + day
        if hours(following) != current:
            step = at
            while hours(step) == current:
                step += timedelta(hours=1)
            current = hours(step)
            out.append((step, current))
            following = step
        at = following
    return out
