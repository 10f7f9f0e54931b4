"""Consultation sessions (*permanences*), their exceptions, appointments and the waiting list.

A session is a rule (weekday, every N weeks, opening hours, slot length, room) interpreted by
``app.services.scheduling.recurrence``; its exceptions (dates cancelled or added by hand) are rows.

Double booking is impossible at the database level: ``appointment.slot_key`` holds the start
time while the appointment occupies its slot (booked, confirmed, seen, no-show) and NULL once
cancelled, and ``(professional_id, slot_key)`` is unique — NULLs never collide, on SQLite and
PostgreSQL alike — so two workstations racing for one slot get one booking and one refusal.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class ConsultationSession(Base):
    __tablename__ = "consultation_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(60), default="")
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    every_weeks: Mapped[int] = mapped_column(Integer, default=1)
    first_date: Mapped[date] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class SessionException(Base):
    """A date cancelled (``kind='cancelled'``) or added (``kind='added'``) by hand."""

    __tablename__ = "session_exception"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_session.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("session_id", "day", name="uq_session_exception_session_day"),
    )


class Appointment(Base):
    """One booked slot. ``status``: booked, confirmed, seen, no_show, cancelled_patient,
    cancelled_clinic; ``status_reason`` says why (cancellation, no-show call…), never the
    medical or social reason. The appointment's reason is the referral's reason code
    (``reason``), shown to the appointment's professional only (policy: appointment reason)."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    professional_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_session.id", ondelete="SET NULL"), nullable=True
    )
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), nullable=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The start time while the slot is occupied, NULL once cancelled (see module docstring).
    slot_key: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(60), default="")
    # Legacy (before 0005): the referral's reason copied in clear; now read from the referral.
    reason: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="booked")
    # Legacy (before 0005): the reason in clear; now sealed under the administrative key.
    status_reason: Mapped[str] = mapped_column(String(200), default="")
    sealed_status_reason: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # The professional read the inbox notice « créneau libéré » of this cancelled appointment.
    freed_notice_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("professional_id", "slot_key", name="uq_appointment_slot"),
        Index("ix_appointment_professional_start", "professional_id", "starts_at"),
        Index("ix_appointment_patient_start", "patient_id", "starts_at", "id"),
        Index("ix_appointment_start", "starts_at"),
        # Appointments still held over a moment (``status IN … AND ends_at > ? AND starts_at
        # < ?``): the waiting list's candidates for a freed slot read the future only;
        # ``starts_at`` lets a status's rows be filtered on the index alone.
        Index("ix_appointment_status_end", "status", "ends_at", "starts_at"),
        # A referral's appointments by status: « has it one to come? » on the index alone.
        Index("ix_appointment_referral_status", "referral_id", "status"),
    )


class WaitingListEntry(Base):
    """A patient waiting for a slot with a professional. ``status``: waiting, booked, removed."""

    __tablename__ = "waiting_list_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    professional_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), nullable=True
    )
    urgency: Mapped[str] = mapped_column(String(12), default="normal")
    # Legacy (before 0005): the wishes in clear; now sealed in ``sealed_preferences``.
    preferences: Mapped[str] = mapped_column(String(200), default="")
    # When the patient can come (« mardi matin », « pas avant 10 h »), sealed under the
    # administrative data key.
    sealed_preferences: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), nullable=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_waiting_list_professional_status", "professional_id", "status", "created_at"),
    )
