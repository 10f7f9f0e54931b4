"""Dates shown to users: stored in UTC, displayed in the clinic's time zone (French format)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app.clock import CLINIC_TZ
from app.i18n import N_, _

__all__ = [
    "CLINIC_TZ",
    "MONTHS",
    "WEEKDAYS",
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


# Day and month names, marked for the message catalogue (French source, translated on read).
WEEKDAYS = (
    N_("lundi"),
    N_("mardi"),
    N_("mercredi"),
    N_("jeudi"),
    N_("vendredi"),
    N_("samedi"),
    N_("dimanche"),
)
MONTHS = (
    N_("janvier"),
    N_("février"),
    N_("mars"),
    N_("avril"),
    N_("mai"),
    N_("juin"),
    N_("juillet"),
    N_("août"),
    N_("septembre"),
    N_("octobre"),
    N_("novembre"),
    N_("décembre"),
)


def weekday_name(weekday: int) -> str:
    """« lundi » (Monday = 0) in the active language."""
    return _(WEEKDAYS[weekday % 7])


def month_name(month: int) -> str:
    """« janvier » (January = 1) in the active language."""
    return _(MONTHS[month - 1])
