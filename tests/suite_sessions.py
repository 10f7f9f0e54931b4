"""The social worker's weekly session (« Permanence CARSAT », Tuesday 9:00–12:00, 30-minute
slots) that scheduling tests set up, in one place."""

from __future__ import annotations

from datetime import date, time

from suite_clock import working_tuesday

from app.services.scheduling.records import SessionInput


def weekly_session(services, team, first_date: date | None = None):
    """The social worker's weekly Tuesday session from ``first_date`` (a working Tuesday)."""
    return services.scheduling.create_session(
        team.coordinator,
        SessionInput(
            professional_id=team.social_worker.user_id,
            label="Permanence CARSAT",
            place="MSP des Tilleuls",
            room="2",
            weekday=1,
            opens=time(9),
            closes=time(12),
            slot_minutes=30,
            every_weeks=1,
            first_date=first_date or working_tuesday(),
        ),
    )
