"""The slots of the active sessions (``recurrence``) between two clinic days, and finding
the slot an appointment takes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models.scheduling import (
    ConsultationSession,
    SessionException,
)
from app.services.kernel.errors import (
    ValidationError,
)
from app.services.kernel.timefmt import local
from app.services.scheduling.base import SchedulingCore, _Slot
from app.services.scheduling.recurrence import SessionRule, session_days, slots


class SlotCalendar:
    """The sessions' slots, day by day, and why regular dates were skipped."""

    def __init__(self, core: SchedulingCore) -> None:
        self._core = core

    def active_sessions(
        self, session: Session, professional_id: int | None
    ) -> list[tuple[ConsultationSession, SessionRule]]:
        query = select(ConsultationSession).where(ConsultationSession.active.is_(True))
        if professional_id is not None:
            query = query.where(ConsultationSession.professional_id == professional_id)
        rows = list(session.scalars(query.order_by(ConsultationSession.id)))
        exceptions = self._core.exceptions(session, [s.id for s in rows])
        return [(s, SessionRule.of(s, exceptions[s.id])) for s in rows]

    def slots(
        self,
        session: Session,
        professional_id: int | None,
        start: date,
        end: date,
    ) -> tuple[dict[date, list[_Slot]], dict[date, list[str]]]:
        """The slots of the active sessions between two clinic days, and why regular dates
        were skipped."""
        out: dict[date, list[_Slot]] = {}
        skipped: dict[date, list[str]] = {}
        for s, rule in self.active_sessions(session, professional_id):
            held, missed = session_days(rule, start, end)
            for d in held:
                for begin, finish in slots(rule, d.day):
                    out.setdefault(d.day, []).append(
                        _Slot(s, begin.astimezone(UTC), finish.astimezone(UTC))
                    )
            for m in missed:
                label = s.label or _("Permanence")
                why = (
                    _("annulée")
                    if m.reason == "annulée"
                    else _("jour férié : {reason}").format(reason=m.reason)
                )
                cancelled = self.cancel_reason(session, s.id, m.day)
                if cancelled:
                    why = _("annulée : {cancelled}").format(cancelled=cancelled)
                skipped.setdefault(m.day, []).append(f"{label} {why}")
        for day_slots in out.values():
            day_slots.sort(key=lambda x: (x.starts_at, x.session.professional_id))
        return out, skipped

    @staticmethod
    def cancel_reason(session: Session, session_id: int, day: date) -> str:
        row = session.scalar(
            select(SessionException.reason).where(
                SessionException.session_id == session_id,
                SessionException.day == day,
                SessionException.kind == "cancelled",
            )
        )
        return row or ""

    def find_slot(self, session: Session, professional_id: int, starts_at: datetime) -> _Slot:
        day = local(starts_at).date()
        by_day, _skipped = self.slots(session, professional_id, day, day)
        for slot in by_day.get(day, []):
            if slot.starts_at == starts_at:
                return slot
        raise ValidationError(
            {
                "starts_at": _(
                    "Ce créneau ne correspond à aucune permanence de ce professionnel "
                    "(jour férié, date annulée ou horaire hors permanence)."
                )
            }
        )
