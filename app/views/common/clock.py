""" "Now" and "today" for the views, read from the services' clock (never the wall clock).

Every screen receives the services' :data:`~app.clock.Clock` with its ports and asks these
helpers, so a date field starts on the same day the services would accept.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate

from app.clock import Clock, clinic_now, clinic_today


def now(clock: Clock) -> datetime:
    """Now, in the clinic's time zone."""
    return clinic_now(clock)


def today(clock: Clock) -> date:
    """Today, in the clinic's time zone."""
    return clinic_today(clock)


def today_qdate(clock: Clock) -> QDate:
    """Today, for a ``QDateEdit``."""
    day = clinic_today(clock)
    return QDate(day.year, day.month, day.day)
