"""Half-days of permanence held and slots offered, month by month.

From the sessions' rules (weekday, every N weeks, hours, slot length, first and last dates,
dates cancelled or added by hand: the clinic's organisation, about no patient), expanded by
``app.services.scheduling.recurrence`` like the agenda does, up to today. A stopped session
(« arrêtée ») keeps no stop date: it counts up to its last appointment.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Appointment
from app.models.scheduling import ConsultationSession, SessionException
from app.services.kernel.timefmt import local
from app.services.scheduling.recurrence import SessionRule, session_days, slots
from app.services.statistics.periods import Period


def _last_days(session: Session, stopped: list[int]) -> dict[int, date]:
    """The day of the last appointment of each stopped session."""
    if not stopped:
        return {}
    rows = session.execute(
        select(Appointment.session_id, func.max(Appointment.starts_at))
        .where(Appointment.session_id.in_(stopped))
        .group_by(Appointment.session_id)
    )
    return {sid: local(at).date() for sid, at in rows if at is not None}


def held_by_month(
    session: Session, period: Period, workers: list[int]
) -> dict[int, tuple[int, int]]:
    """Month index → (half-days held, slots offered) by the sessions of ``workers``, within
    ``period`` (the caller clips it to today)."""
    if not workers or period.end < period.start:
        return {}
    rows = list(
        session.scalars(
            select(ConsultationSession).where(ConsultationSession.professional_id.in_(workers))
        )
    )
    exceptions: dict[int, list[SessionException]] = {s.id: [] for s in rows}
    if rows:
        for e in session.scalars(
            select(SessionException).where(SessionException.session_id.in_(list(exceptions)))
        ):
            exceptions[e.session_id].append(e)
    last = _last_days(session, [s.id for s in rows if not s.active])
    firsts = period.months()
    out: dict[int, tuple[int, int]] = {}
    for s in rows:
        end = period.end if s.active else min(period.end, last.get(s.id, date.min))
        if end < period.start:
            continue
        rule = SessionRule.of(s, exceptions[s.id])
        held, _skipped = session_days(rule, period.start, end)
        per_day = len(slots(rule, period.start))
        for day in held:
            index = (day.day.year - firsts[0].year) * 12 + day.day.month - firsts[0].month
            days, offered = out.get(index, (0, 0))
            out[index] = (days + 1, offered + per_day)
    return out
