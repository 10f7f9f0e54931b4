"""Recurring consultation sessions (*permanences*): which days they fall on and their slots.

Pure logic, no database: a session rule (weekday, every N weeks from a first date, opening
hours, slot length, dates cancelled or added by hand) gives the dates of the sessions between
two days, skipping French public holidays (``holidays`` library, metropolitan France), and each
session's slots as times in the clinic's time zone (daylight saving handled by ``zoneinfo``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dateutil.rrule import WEEKLY, rrule, rruleset

from app.clock import CLINIC_TZ
from app.i18n import _
from app.lazy import on_first_use
from app.services.kernel.errors import ValidationError
from app.services.scheduling.records import weekday_name

if TYPE_CHECKING:
    import holidays

    from app.models.scheduling import ConsultationSession, SessionException
else:
    holidays = on_first_use("holidays")  # loaded with the first session date

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

    @classmethod
    def of(cls, s: ConsultationSession, exceptions: Iterable[SessionException]) -> SessionRule:
        """The rule of a stored session and its cancelled or added dates."""
        exceptions = list(exceptions)
        return cls(
            weekday=s.weekday,
            opens=s.opens,
            closes=s.closes,
            slot_minutes=s.slot_minutes,
            first_date=s.first_date,
            every_weeks=s.every_weeks,
            last_date=s.last_date,
            cancelled=frozenset(e.day for e in exceptions if e.kind == "cancelled"),
            added=frozenset(e.day for e in exceptions if e.kind == "added"),
        )

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


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0))


def regular_rule(first_date: date, every_weeks: int, last_date: date | None = None) -> rrule:
    """The session's regular dates (every ``every_weeks`` weeks from ``first_date``), as a
    ``dateutil`` rule over naive midnights."""
    until = _midnight(last_date) if last_date is not None else None
    return rrule(WEEKLY, interval=every_weeks, dtstart=_midnight(first_date), until=until)


def regular_dates(
    first_date: date, every_weeks: int, start: date, end: date, last_date: date | None = None
) -> list[date]:
    """The regular dates in ``[start, end]``, holidays and exceptions not considered."""
    rule = regular_rule(first_date, every_weeks, last_date)
    return [d.date() for d in rule.between(_midnight(start), _midnight(end), inc=True)]


def _skip_reason(rule: SessionRule, day: date) -> str | None:
    if day in rule.cancelled:
        return _("annulée")
    return french_holiday(day)


def rule_set(rule: SessionRule, start: date, end: date) -> tuple[rruleset, list[SkippedDay]]:
    """The dates the session is held, as a ``dateutil`` rule set: its regular rule, the
    skipped regular dates of ``[start, end]`` as exclusions (cancelled, public holidays) and
    the dates added by hand as inclusions (kept even on a holiday); and the skipped dates
    with why."""
    regular = regular_rule(rule.first_date, rule.every_weeks, rule.last_date)
    held = rruleset()
    held.rrule(regular)
    skipped: list[SkippedDay] = []
    for day in regular_dates(rule.first_date, rule.every_weeks, start, end, rule.last_date):
        reason = _skip_reason(rule, day)
        if reason:
            skipped.append(SkippedDay(day, reason))
            if day not in rule.added:
                held.exdate(_midnight(day))
    for day in sorted(rule.added):
        held.rdate(_midnight(day))
    return held, skipped


def session_days(
    rule: SessionRule, start: date, end: date
) -> tuple[list[SessionDay], list[SkippedDay]]:
    """The session dates in ``[start, end]`` and the regular dates that were skipped (public
    holidays, cancellations). Dates added by hand are kept even on a holiday."""
    rule.validate()
    held, skipped = rule_set(rule, start, end)
    regular = set(regular_dates(rule.first_date, rule.every_weeks, start, end, rule.last_date))
    regular -= {s.day for s in skipped}
    days = [
        SessionDay(d.date(), added_by_hand=d.date() not in regular)
        for d in held.between(_midnight(start), _midnight(end), inc=True)
    ]
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
