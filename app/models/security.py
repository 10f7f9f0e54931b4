"""Key material for per-compartment encryption, second factor, exceptional access, inbox.

Nothing here is usable without a password or the recovery key: private keys are stored
encrypted under a key derived from the owner's password; compartment data keys are stored only
as sealed boxes addressed to users' public keys and to the clinic's recovery public key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class UserKey(Base):
    """A user's X25519 key pair; the private half sealed under their password-derived key."""

    __tablename__ = "user_key"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_params: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CompartmentKey(Base):
    """One data key per compartment, kept only sealed to the recovery public key here."""

    __tablename__ = "compartment_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    compartment: Mapped[str] = mapped_column(String(20), unique=True)
    recovery_wrap: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class KeyGrant(Base):
    """A compartment data key sealed to one user's public key.

    ``kind`` is ``role`` (the user's role grants the compartment) or ``break_glass`` (escrow
    usable only through a recorded, time-limited exceptional access).
    """

    __tablename__ = "key_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    compartment_key_id: Mapped[int] = mapped_column(ForeignKey("compartment_key.id"))
    kind: Mapped[str] = mapped_column(String(20), default="role")
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("user_id", "compartment_key_id", "kind"),)


class RecordKey(Base):
    """A data key of one record (a referral): its content is sealed under it, and it is
    handed only to that record's parties (``RecordKeyGrant``) and to the recovery key.

    ``scope`` names the kind of record (``referral``), ``record_id`` its id.
    """

    __tablename__ = "record_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    recovery_wrap: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("scope", "record_id"),)


class RecordKeyGrant(Base):
    """A record's data key sealed to one user's public key."""

    __tablename__ = "record_key_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_key_id: Mapped[int] = mapped_column(ForeignKey("record_key.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("record_key_id", "user_id"),
        Index("ix_record_key_grant_user", "user_id", "record_key_id"),
    )


class RecoveryKey(Base):
    """The clinic's recovery public key (its private half is printed once, kept offline)."""

    __tablename__ = "recovery_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SecondFactor(Base):
    """TOTP enrolment; the secret is sealed under the user's password-derived key."""

    __tablename__ = "second_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_counter: Mapped[int] = mapped_column(Integer, default=0)


class RecoveryCode(Base):
    """One-time codes printed at TOTP enrolment (stored as Argon2id hashes)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ExceptionalAccess(Base):
    """An *accès exceptionnel* (break-glass): justified, time-limited, audited, notified."""

    __tablename__ = "exceptional_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    compartment: Mapped[str] = mapped_column(String(20))
    # Legacy (before 0005): the justification in clear; now sealed (administrative key).
    justification: Mapped[str] = mapped_column(Text, default="")
    sealed_justification: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_exceptional_access_user_patient", "user_id", "patient_id"),)


class Notification(Base):
    """An inbox item for one user (exceptional access on their compartment, key grants…)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), nullable=True
    )
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # A user's unread notices counted, and listed newest first, on the index alone.
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at", "created_at"),)
