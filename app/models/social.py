"""The social worker's consultation records: the structured social assessment (kept as a
history, one row per update) and the action plan (*démarches*).

Everything that says something about the patient's situation is sealed in the social
compartment through the content codec (``content``, ``detail``); plain columns carry only what
scheduling the reminders needs (kind code, status, dates, partner).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class SocialAssessment(Base):
    """One version of the patient's social assessment (sections sealed as one JSON document)."""

    __tablename__ = "social_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_social_assessment_patient", "patient_id", "created_at", "id"),)


class SocialAction(Base):
    """One step of the action plan. ``status``: planned, in_progress, waiting, done, cancelled."""

    __tablename__ = "social_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Legacy (before 0005): the kind and the partner in clear; both are now inside ``detail``.
    kind: Mapped[str] = mapped_column(String(40), default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    # Sealed in the social compartment: the free detail…
    detail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # …and the kind and partner (one JSON document, see services.sealed_fields).
    sealed_details: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    remind_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_social_action_owner_status", "owner_id", "status", "due_on"),
        Index("ix_social_action_patient", "patient_id", "created_at"),
    )
