"""Recurring consultation sessions (*permanences*): which days they fall on and their slots.

Pure logic, no database: a session rule (weekday, every N weeks from a first date, opening
hours, slot length, dates cancelled or added by hand) gives the dates of the sessions between
two days, skipping French public holidays (``holidays`` library, metropolitan France), and each
session's slots as times in the clinic's time zone (daylight saving handled by ``zoneinfo``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays

from app.clock import CLINIC_TZ
from app.i18n import _
from app.services.kernel.errors import ValidationError
from app.services.scheduling.records import weekday_name

MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 10, 240
WEEKDAY_LABELS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def french_holiday(day: date) -> str | None:
    """The French public holiday on ``day`` (its French name), or None."""
    return holidays.France(years=day.year, language="fr").get(day)


@dataclass(frozen=True)
class SessionRule:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time
    slot_minutes: int
    first_date: date
    every_weeks: int = 1
    last_date: date | None = None
    cancelled: frozenset[date] = field(default_factory=frozenset)
    added: frozenset[date] = field(default_factory=frozenset)

    def validate(self) -> SessionRule:
        errors: dict[str, str] = {}
        if not 0 <= self.weekday <= 6:
            errors["weekday"] = _("Jour de la semaine inconnu.")
        if self.first_date.weekday() != self.weekday:
            errors["first_date"] = _("La première permanence doit tomber un {value}.").format(
                value=weekday_name(self.weekday)
            )
        if self.closes <= self.opens:
            errors["closes"] = _("L'heure de fin doit suivre l'heure de début.")
        if not MIN_SLOT_MINUTES <= self.slot_minutes <= MAX_SLOT_MINUTES:
            errors["slot_minutes"] = _(
                "Un créneau dure entre {MIN_SLOT_MINUTES} et {MAX_SLOT_MINUTES} minutes."
            ).format(MIN_SLOT_MINUTES=MIN_SLOT_MINUTES, MAX_SLOT_MINUTES=MAX_SLOT_MINUTES)
        elif not errors.get("closes") and self.slot_minutes > _minutes(self.opens, self.closes):
            errors["slot_minutes"] = _("Le créneau est plus long que la permanence.")
        if not 1 <= self.every_weeks <= 8:
            errors["every_weeks"] = _("La périodicité va d'une semaine sur une à une sur huit.")
        if self.last_date is not None and self.last_date < self.first_date:
            errors["last_date"] = _("La dernière date précède la première.")
        if errors:
            raise ValidationError(errors)
        return self


@dataclass(frozen=True)
class SessionDay:
    day: date
    added_by_hand: bool = False


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str  # French: the holiday's name, or « annulée »


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def session_days(
    rule: SessionRule, start: date, end: date
) -> tuple[list[SessionDay], list[SkippedDay]]:
    """The session dates in ``[start, end]`` and the regular dates that were skipped (public
    holidays, cancellations). Dates added by hand are kept even on a holiday."""
    rule.validate()
    days: list[SessionDay] = []
    skipped: list[SkippedDay] = []
    step = timedelta(weeks=rule.every_weeks)
    current = rule.first_date
    if current < start:
        periods = (start - current).days // step.days
        current += step * periods
        if current < start:
            current += step
    last = min(end, rule.last_date) if rule.last_date else end
    while current <= last:
        holiday = french_holiday(current)
        if current in rule.cancelled:
            skipped.append(SkippedDay(current, _("annulée")))
        elif holiday:
            skipped.append(SkippedDay(current, holiday))
        else:
            days.append(SessionDay(current))
        current += step
    for extra in sorted(rule.added):
        if start <= extra <= end and all(d.day != extra for d in days):
            days.append(SessionDay(extra, added_by_hand=True))
    days.sort(key=lambda d: d.day)
    return days, skipped


def slots(rule: SessionRule, day: date) -> list[tuple[datetime, datetime]]:
    """The slots of the session on ``day`` as clinic-time-zone datetimes; a last slot that
    would end after closing time is not offered."""
    opens = datetime.combine(day, rule.opens, tzinfo=CLINIC_TZ)
    closes = datetime.combine(day, rule.closes, tzinfo=CLINIC_TZ)
    length = timedelta(minutes=rule.slot_minutes)
    out: list[tuple[datetime, datetime]] = []
    begin = opens
    while begin + length <= closes:
        out.append((begin, begin + length))
        begin += length
    return out
