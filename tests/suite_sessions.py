"""The social worker's weekly session (« Permanence CARSAT », Tuesday 9:00–12:00, 30-minute
slots) that scheduling tests set up, in one place."""

from __future__ import annotations

from datetime import date, time

from suite_clock import working_tuesday

from app.services.scheduling.records import SessionInput


def weekly_session(
    services, team, first_date: date | None = None, *, room: str = "2", every_weeks: int = 1
):
    """The social worker's Tuesday session from ``first_date`` (a working Tuesday), every
    ``every_weeks`` weeks."""
    return services.scheduling.create_session(
        team.coordinator,
        SessionInput(
            professional_id=team.social_worker.user_id,
            label="Permanence CARSAT",
            place="MSP des Tilleuls",
            room=room,
            weekday=1,
            opens=time(9),
            closes=time(12),
            slot_minutes=30,
            every_weeks=every_weeks,
            first_date=first_date or working_tuesday(),
        ),
    )
