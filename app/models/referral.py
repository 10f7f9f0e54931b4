"""Referrals (*orientations*) and their timestamped transitions.

Who, when, status, urgency and destination are plain columns (visible to the roles of the
policy table). The reason, the message, the items shared by the sender and the feedback are
sealed under the referral's own data key (``record_key``, scope ``referral``), which only its
sender, its receiver and the recovery key hold (``content``, ``feedback``). A coarse reason
category (rights and care / employment / living conditions) stays readable for the
statistics; ``docs/security.md`` says why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Referral(Base):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Receiver: a colleague of the clinic (the social worker) or a partner (and its contact).
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    partner_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_contact.id"), nullable=True
    )
    # Legacy: the reason in clear, from before 0005; emptied by ``keys encrypt-existing``.
    reason: Mapped[str] = mapped_column(String(40), default="")
    reason_category: Mapped[str] = mapped_column(String(20), default="")
    urgency: Mapped[str] = mapped_column(String(12), default="normal")
    status: Mapped[str] = mapped_column(String(24), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    feedback: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # What the sender learns when consent does not allow the feedback itself.
    feedback_summary: Mapped[str] = mapped_column(String(30), default="")
    outcome: Mapped[str] = mapped_column(String(40), default="")
    reoriented_to_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    orientation_error_rule: Mapped[str] = mapped_column(String(10), default="")
    # Written from the orientation guide's proposal (statistics; NULL before 0007).
    from_guide: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sender_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    receiver_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_referral_patient", "patient_id", "created_at", "id"),
        # A receiver's referrals by status, with what their inbox items and « orientations à
        # planifier » read (kind, unread, urgency, order): both are read on the index alone
        # (the pending ones of a receiver are a few thousand at 100 %, among 200,000).
        Index(
            "ix_referral_receiver_queue",
            "receiver_id",
            "status",
            "urgency",
            "sent_at",
            "received_at",
            "updated_at",
            "receiver_seen_at",
            "sender_id",
        ),
        Index("ix_referral_sender_status", "sender_id", "status"),
        Index("ix_referral_sent", "sent_at"),
    )


class ReferralEvent(Base):
    """One transition: from which state to which, when, by whom (no content)."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(24), default="")
    to_status: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # Legacy (before 0005): the detail in clear; now sealed under the referral's key.
    detail: Mapped[str] = mapped_column(String(200), default="")
    sealed_detail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
