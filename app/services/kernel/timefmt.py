"""Dates shown to users: stored in UTC, displayed in the clinic's time zone (French format)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app.clock import CLINIC_TZ

__all__ = ["CLINIC_TZ", "aware", "fmt_date", "fmt_datetime", "local", "start_of_day"]


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
