"""The clinic (one row): identity printed on documents, and clinic-wide settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Clinic(Base):
    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    finess: Mapped[str] = mapped_column(String(9), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    inactivity_minutes: Mapped[int] = mapped_column(Integer, default=5)
    # Identifies this installation (scopes the workstation secrets in the OS keyring).
    installation_id: Mapped[str] = mapped_column(String(36), default="")
    require_totp: Mapped[bool] = mapped_column(Boolean, default=True)
    session_hours: Mapped[int] = mapped_column(Integer, default=12)
    break_glass_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    break_glass_minutes: Mapped[int] = mapped_column(Integer, default=60)
    retention_years: Mapped[int] = mapped_column(Integer, default=5)
    backup_dir: Mapped[str] = mapped_column(String(500), default="")
    backup_keep: Mapped[int] = mapped_column(Integer, default=14)
    # The language of printed documents ("fr" or "en"; the interface's is each user's choice).
    language: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    # A referral not acknowledged/answered within this many days is shown as overdue.
    referral_overdue_days: Mapped[int] = mapped_column(Integer, default=7)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
