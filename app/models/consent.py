"""The patient's word on sharing: consent records, kept as a history (never overwritten)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Consent(Base):
    """One decision. The current consent for a (patient, scope, partner) is the latest record.

    ``scope``: ``liaison`` (GP ↔ social worker liaison notes), ``referral_carsat`` (being
    referred to the CARSAT social worker), ``partner`` (sharing with the named ``partner_id``).
    ``status``: ``given``, ``refused``, ``withdrawn``. ``method``: ``oral`` or ``signed_form``
    (then ``document_id`` is the printed consent form it was signed on).
    """

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    decided_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(12))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_consent_patient_scope", "patient_id", "scope", "recorded_at", "id"),
        Index("ix_consent_status_decided", "status", "decided_on"),
    )
