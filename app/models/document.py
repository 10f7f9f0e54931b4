"""Printed documents archived in the patient file (content through the content codec)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Legacy (before 0005): the title in clear; now sealed with the content's key.
    title: Mapped[str] = mapped_column(String(200), default="")
    sealed_title: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), nullable=True
    )
    # The compartment whose readers may open the archived copy; its content is sealed with
    # that compartment's key (administrative documents are stored as they are).
    compartment: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # Referral forms and feedback letters: only the referral's sender and receiver open them.
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_document_patient_created", "patient_id", "created_at", "id"),)
