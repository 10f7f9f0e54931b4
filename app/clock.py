"""The one application clock.

Relais reads the wall clock here and nowhere else. Everything that needs "now" or "today"
receives a :data:`Clock` (the services get it from ``Services.build``, the views from the
services they are given) and asks these helpers, so that:

- a test, or a demo, can run the whole application at any chosen instant;
- a screen never offers a day that the services would refuse as « dans le futur » (both use
  the same instant and the same time zone: the clinic's, never the workstation's).

A clock returns an aware UTC ``datetime``. This module imports neither Qt nor SQLAlchemy, so
models, services and views can all use it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

# Every date a user sees or types is a day in the clinic's time zone.
CLINIC_TZ = ZoneInfo("Europe/Paris")


def system_clock() -> datetime:
    """The real clock (UTC): the only wall-clock read of the application."""
    return datetime.now(UTC)


def clinic_now(clock: Clock) -> datetime:
    """Now, in the clinic's time zone (aware)."""
    return clock().astimezone(CLINIC_TZ)


def clinic_today(clock: Clock) -> date:
    """Today, in the clinic's time zone: the day every date field starts on."""
    return clinic_now(clock).date()
