"""Patients: INS identity traits, contact, and the search tokens that make typing fast."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # INS identity traits
    birth_name: Mapped[str] = mapped_column(String(100))
    used_name: Mapped[str] = mapped_column(String(100), default="")
    first_names: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    birth_place_code: Mapped[str] = mapped_column(String(5), default="")
    identity_status: Mapped[str] = mapped_column(String(20), default="provisional")
    identity_document: Mapped[str | None] = mapped_column(String(30), nullable=True)
    nir: Mapped[str | None] = mapped_column(String(15), nullable=True, index=True)
    # contact
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    # care team
    attending_gp_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    attending_gp_other: Mapped[str] = mapped_column(String(200), default="")
    social_referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    # Or a named social worker outside the clinic (partners directory).
    social_referent_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_contact.id"), nullable=True
    )
    # bookkeeping
    sort_key: Mapped[str] = mapped_column(String(400), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Last change anywhere in the file (identity, notes, documents): drives retention.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    tokens: Mapped[list[PatientToken]] = relationship(
        back_populates="patient", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class PatientToken(Base):
    """One normalised word of a patient's names (lower case, no accents): prefix search index."""

    __tablename__ = "patient_token"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(100), primary_key=True)

    patient: Mapped[Patient] = relationship(back_populates="tokens")

    __table_args__ = (Index("ix_patient_token_token_patient", "token", "patient_id"),)


class PatientNamePrefix(Base):
    """Every prefix of every word of a patient's names (as :class:`PatientToken` holds them),
    beside the patient's ``sort_key``: the search as you type reads the primary key in order
    (``prefix = ?`` then ``sort_key``) and stops at the page, however common the prefix.
    ``words`` is all of the patient's words, each after a space (`` dupre marie``): a search
    of several words checks the others on the row it walks (``words LIKE '% ma%'``), with no
    look-up. Rewritten with the tokens on every save of the identity."""

    __tablename__ = "patient_name_prefix"

    prefix: Mapped[str] = mapped_column(String(100), primary_key=True)
    sort_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    words: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_patient_name_prefix_patient", "patient_id"),
        {"sqlite_with_rowid": False},
    )


class PatientNamePrefixCount(Base):
    """How many patients have a name word starting with ``prefix`` (the rows of
    :class:`PatientNamePrefix` with it): a search of several words walks the rarest one. Kept
    by the identity service with the prefixes; a count that drifted (an interrupted demo)
    only makes a search walk a longer list, never changes what it finds."""

    __tablename__ = "patient_name_prefix_count"

    prefix: Mapped[str] = mapped_column(String(100), primary_key=True)
    patients: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)
