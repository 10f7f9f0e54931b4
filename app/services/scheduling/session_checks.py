"""Checking a session before it is saved: its fields (French messages per field), its rule,
and no overlap with another active session of the same professional."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import User
from app.models.enums import Role
from app.models.scheduling import ConsultationSession
from app.services.kernel.errors import ValidationError
from app.services.kernel.text import clean_line
from app.services.scheduling.base import _summary_of
from app.services.scheduling.records import SessionInput
from app.services.scheduling.recurrence import SessionRule, regular_dates


def validate_session(
    session: Session, data: SessionInput, *, exclude_id: int | None = None
) -> dict:
    errors: dict[str, str] = {}
    label = clean_line(data.label or "") or _("Permanence")
    place = clean_line(data.place or "")
    room = clean_line(data.room or "")
    for key, value, limit in (("label", label, 120), ("place", place, 200), ("room", room, 60)):
        if len(value) > limit:
            errors[key] = _("Ce champ est trop long ({limit} caractères au plus).").format(
                limit=limit
            )
    user = session.get(User, data.professional_id)
    if user is None or not user.active or user.role != str(Role.SOCIAL_WORKER):
        errors["professional_id"] = _(
            "Les permanences sont celles d'une assistante sociale active de la maison de santé."
        )
    rule = SessionRule(
        weekday=data.weekday,
        opens=data.opens,
        closes=data.closes,
        slot_minutes=data.slot_minutes,
        first_date=data.first_date,
        every_weeks=data.every_weeks,
        last_date=data.last_date,
    )
    try:
        rule.validate()
    except ValidationError as exc:
        errors.update(exc.fields)
    if not errors:
        clash = _overlap(session, data, rule, exclude_id)
        if clash is not None:
            errors["opens"] = _(
                "Ces horaires chevauchent la permanence « {label} » ({clash})."
            ).format(label=clash.label, clash=_summary_of(clash))
    if errors:
        raise ValidationError(errors)
    return {
        "professional_id": data.professional_id,
        "label": label,
        "place": place,
        "room": room,
        "weekday": data.weekday,
        "opens": data.opens,
        "closes": data.closes,
        "slot_minutes": data.slot_minutes,
        "every_weeks": data.every_weeks,
        "first_date": data.first_date,
        "last_date": data.last_date,
    }


def _overlap(
    session: Session,
    data: SessionInput,
    rule: SessionRule,
    exclude_id: int | None,
) -> ConsultationSession | None:
    """Another active session of the professional held on a same date at overlapping
    hours (regular dates over two years; holidays ignored)."""
    others = session.scalars(
        select(ConsultationSession).where(
            ConsultationSession.professional_id == data.professional_id,
            ConsultationSession.active.is_(True),
            ConsultationSession.weekday == data.weekday,
        )
    ).all()
    for other in others:
        if other.id == exclude_id:
            continue
        if not (data.opens < other.closes and other.opens < data.closes):
            continue
        start = max(data.first_date, other.first_date)
        end = start + timedelta(days=730)
        for last in (data.last_date, other.last_date):
            if last is not None:
                end = min(end, last)
        if end < start:
            continue
        mine = set(regular_dates(rule.first_date, rule.every_weeks, start, end))
        theirs = set(regular_dates(other.first_date, other.every_weeks, start, end))
        if mine & theirs:
            return other
    return None
