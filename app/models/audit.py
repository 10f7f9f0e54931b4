"""Append-only audit trail (database triggers refuse UPDATE and DELETE). Never any content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10))
    patient_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    compartment: Mapped[str | None] = mapped_column(String(20), nullable=True)
    object_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    workstation: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    # Keyed hash chain (app.services.audit.chain): position in the chain and HMAC over the
    # entry and the previous MAC. ``mac`` is NULL for entries written without the audit key.
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), unique=True)
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_audit_entry_patient_at", "patient_id", "at", "id"),
        Index("ix_audit_entry_user_at", "user_id", "at"),
        # A user's actions of one kind, newest first (the recent patients: their openings).
        Index("ix_audit_entry_user_action_at", "user_id", "action", "object_type", "at", "seq"),
        Index("ix_audit_entry_at", "at"),
    )


class AuditHead(Base):
    """The chain's last position and MAC (one row): appends lock it, truncation shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    mac: Mapped[str] = mapped_column(String(64))
