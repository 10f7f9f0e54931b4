"""Recurring consultation sessions: weekdays, periodicity, French public holidays, exceptions,
slots (issue 5 groundwork)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.services.kernel.errors import ValidationError
from app.services.scheduling.recurrence import SessionRule, french_holiday, session_days, slots


def tuesdays_every_other_week(**changes) -> SessionRule:
    values = {
        "weekday": 1,
        "opens": time(9, 0),
        "closes": time(12, 30),
        "slot_minutes": 45,
        "first_date": date(2027, 1, 5),
        "every_weeks": 2,
    }
    values.update(changes)
    return SessionRule(**values)


def test_every_other_tuesday_from_the_first_date():
    days, skipped = session_days(tuesdays_every_other_week(), date(2027, 1, 1), date(2027, 2, 28))
    assert [d.day for d in days] == [
        date(2027, 1, 5),
        date(2027, 1, 19),
        date(2027, 2, 2),
        date(2027, 2, 16),
    ]
    assert skipped == []


def test_window_starting_between_two_sessions_keeps_the_fortnight_rhythm():
    days, _ = session_days(tuesdays_every_other_week(), date(2027, 1, 10), date(2027, 1, 31))
    assert [d.day for d in days] == [date(2027, 1, 19)]


@pytest.mark.parametrize(
    ("weekday", "first", "holiday", "name"),
    [
        (0, date(2027, 3, 1), date(2027, 3, 29), "Lundi de Pâques"),
        (3, date(2027, 4, 1), date(2027, 5, 6), "Ascension"),
        (0, date(2027, 5, 3), date(2027, 5, 17), "Lundi de Pentecôte"),
        (2, date(2027, 7, 7), date(2027, 7, 14), "Fête nationale"),
    ],
)
def test_french_public_holidays_are_skipped_and_named(weekday, first, holiday, name):
    rule = SessionRule(weekday, time(14, 0), time(17, 0), 30, first)
    days, skipped = session_days(rule, first, holiday + timedelta(days=7))
    assert holiday not in [d.day for d in days]
    assert [(s.day, s.reason) for s in skipped] == [(holiday, french_holiday(holiday))]
    assert name.lower() in skipped[0].reason.lower()


def test_cancelled_and_added_dates():
    rule = tuesdays_every_other_week(
        cancelled=frozenset({date(2027, 1, 19)}),
        added=frozenset({date(2027, 1, 21), date(2027, 5, 6)}),  # a Thursday, and Ascension
    )
    days, skipped = session_days(rule, date(2027, 1, 1), date(2027, 5, 31))
    listed = {d.day: d.added_by_hand for d in days}
    assert date(2027, 1, 19) not in listed
    assert listed[date(2027, 1, 21)] is True
    assert listed[date(2027, 5, 6)] is True  # added on purpose: kept even on a holiday
    assert (date(2027, 1, 19), "annulée") in [(s.day, s.reason) for s in skipped]


def test_last_date_ends_the_series():
    rule = tuesdays_every_other_week(last_date=date(2027, 1, 19))
    days, _ = session_days(rule, date(2027, 1, 1), date(2027, 12, 31))
    assert [d.day for d in days] == [date(2027, 1, 5), date(2027, 1, 19)]


def test_slots_fit_in_the_opening_hours_in_the_clinic_time_zone():
    found = slots(tuesdays_every_other_week(), date(2027, 1, 5))
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in found] == [
        ("09:00", "09:45"),
        ("09:45", "10:30"),
        ("10:30", "11:15"),
        ("11:15", "12:00"),
    ]
    assert all(a.utcoffset() == timedelta(hours=1) for a, _ in found)  # winter time
    summer = slots(tuesdays_every_other_week(first_date=date(2027, 6, 1)), date(2027, 6, 1))
    assert summer[0][0].utcoffset() == timedelta(hours=2)  # summer time


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes": time(8, 0)}, "closes"),
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"slot_minutes": 240, "closes": time(10, 0)}, "slot_minutes"),
        ({"first_date": date(2027, 1, 6)}, "first_date"),
        ({"every_weeks": 0}, "every_weeks"),
        ({"last_date": date(2026, 12, 1)}, "last_date"),
    ],
)
def test_impossible_rules_are_refused_in_french(changes, field):
    with pytest.raises(ValidationError) as error:
        tuesdays_every_other_week(**changes).validate()
    assert field in error.value.fields
    assert error.value.fields[field][0].isupper()
