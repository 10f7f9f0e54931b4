"""Dates shown to users: stored in UTC, displayed in the clinic's time zone (French format)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache

from app.clock import CLINIC_TZ
from app.i18n import language

__all__ = [
    "CLINIC_TZ",
    "aware",
    "fmt_date",
    "fmt_datetime",
    "local",
    "month_name",
    "start_of_day",
    "weekday_name",
]


def local(value: datetime) -> datetime:
    return value.astimezone(CLINIC_TZ)


def aware(value: datetime | None) -> datetime | None:
    """A stored datetime as UTC-aware (older rows or drivers may hand naive UTC back)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def start_of_day(day: date) -> datetime:
    """Midnight of a clinic day (Europe/Paris), as a UTC-aware datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=CLINIC_TZ).astimezone(UTC)


def fmt_datetime(value: datetime | None) -> str:
    return local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


# Day and month names come from the CLDR (Babel), in the language of the interface; the French
# tuples stay for code that keys on the French name (forms of the patient's availability).
@lru_cache(maxsize=8)
def _names(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from babel.dates import get_day_names, get_month_names

    days = get_day_names("wide", locale=language)
    months = get_month_names("wide", locale=language)
    return tuple(days[i] for i in range(7)), tuple(months[i] for i in range(1, 13))


def __getattr__(name: str) -> tuple[str, ...]:
    """``WEEKDAYS`` and ``MONTHS``, the French names, computed on first use (Babel's data takes
    ~30 ms to load: not at start-up)."""
    if name == "WEEKDAYS":
        return _names("fr")[0]
    if name == "MONTHS":
        return _names("fr")[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def weekday_name(weekday: int) -> str:
    """« lundi » (Monday = 0) in the active language."""
    return _names(language())[0][weekday % 7]


def month_name(month: int) -> str:
    """« janvier » (January = 1) in the active language."""
    return _names(language())[1][month - 1]
