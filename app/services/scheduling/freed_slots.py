"""The freed slots a professional is told about (inbox « Créneau libéré »): her cancelled
appointments to come, each with whether the slot was booked again and how many waiting patients
could take it — one statement, built once."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from app.models.scheduling import Appointment, WaitingListEntry
from app.services.scheduling.base import MAX_LIST
from app.services.scheduling.records import CANCELLED, PENDING, WaitingStatus


@lru_cache(maxsize=1)
def freed_slots_statement() -> Select:
    """The freed slots of a professional (parameters ``professional``, ``now``, ``since``),
    read by ``WaitingAndCalls._freed_slots``."""
    professional: Any = bindparam("professional")
    booked, held = aliased(Appointment), aliased(Appointment)
    rebooked = (
        select(booked.id)
        .where(
            booked.professional_id == Appointment.professional_id,
            booked.slot_key == Appointment.starts_at,
        )
        .exists()
    )
    waiting = (
        select(WaitingListEntry.patient_id)
        .where(
            WaitingListEntry.professional_id == professional,
            WaitingListEntry.status == str(WaitingStatus.WAITING),
        )
        .order_by(WaitingListEntry.created_at, WaitingListEntry.id)
        .limit(MAX_LIST)
        .subquery("waiting")
    )
    busy = (
        select(held.id)
        .where(
            held.patient_id == waiting.c.patient_id,
            held.status.in_([str(x) for x in PENDING]),
            held.starts_at < Appointment.ends_at,
            held.ends_at > Appointment.starts_at,
        )
        .correlate(Appointment, waiting)  # the freed appointment is two levels up
        .exists()
    )
    candidates = select(func.count()).select_from(waiting).where(~busy).scalar_subquery()
    return (
        select(
            Appointment.id,
            Appointment.starts_at,
            Appointment.status_at,
            Appointment.booked_at,
            Appointment.freed_notice_read_at,
            rebooked.label("rebooked"),
            candidates.label("candidates"),
        )
        .where(
            Appointment.professional_id == professional,
            Appointment.status.in_([str(x) for x in CANCELLED]),
            Appointment.starts_at > bindparam("now"),
            Appointment.status_at >= bindparam("since"),
        )
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(MAX_LIST)
    )
