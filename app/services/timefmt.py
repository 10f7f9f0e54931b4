"""Dates shown to users: stored in UTC, displayed in the clinic's time zone (French format)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CLINIC_TZ = ZoneInfo("Europe/Paris")


def local(value: datetime) -> datetime:
    return value.astimezone(CLINIC_TZ)


def fmt_datetime(value: datetime | None) -> str:
    return local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")
