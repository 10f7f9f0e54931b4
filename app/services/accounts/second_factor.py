"""TOTP second factor (pyotp): enrolment, verification with replay protection, one-time
recovery codes.

The TOTP secret is sealed under the user's password-derived key (see ``keys``), so a copy of
the database does not reveal it; recovery codes are stored as Argon2id hashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models.enums import Role
from app.models.security import RecoveryCode, SecondFactor
from app.services.security import crypto
from app.services.security.keys import SessionKeys

ISSUER = "Relais"
RECOVERY_CODES = 10
# Health and social professionals must use a second factor when the clinic requires it.
TOTP_ROLES = (Role.GP, Role.SOCIAL_WORKER, Role.PARAMEDICAL)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str


def _secret_aad(user_id: int) -> bytes:
    return f"relais-totp:{user_id}".encode()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


class SecondFactorService:
    def __init__(self, clock: Clock, hasher: PasswordHasher) -> None:
        self._clock = clock
        self._hasher = hasher

    def new_enrolment(self, username: str, clinic_name: str) -> Enrolment:
        secret = pyotp.random_base32()
        uri = pyotp.TOTP(secret).provisioning_uri(
            name=username, issuer_name=f"{ISSUER} – {clinic_name}"
        )
        return Enrolment(secret, uri)

    @staticmethod
    def enrolled(session: Session, user_id: int) -> bool:
        return session.get(SecondFactor, user_id) is not None

    def _matching_counter(self, secret: str, code: str, after: int) -> int | None:
        totp = pyotp.TOTP(secret)
        now = self._clock()
        current = totp.timecode(now)
        for counter in (current - 1, current, current + 1):
            if counter > after and secrets.compare_digest(totp.generate_otp(counter), code):
                return counter
        return None

    def verify_new(self, secret: str, code: str) -> int | None:
        code = _normalise(code)
        return self._matching_counter(secret, code, -1) if code.isdigit() else None

    def enrol(
        self, session: Session, user_id: int, keys: SessionKeys, secret: str, counter: int
    ) -> list[str]:
        """Store the secret (sealed) and return fresh one-time recovery codes (shown once)."""
        session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        session.add(
            SecondFactor(
                user_id=user_id,
                sealed_secret=crypto.seal(keys.password_key, secret.encode(), _secret_aad(user_id)),
                enrolled_at=self._clock(),
                last_counter=counter,
            )
        )
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        for code in codes:
            session.add(
                RecoveryCode(user_id=user_id, code_hash=self._hasher.hash(_normalise(code)))
            )
        session.flush()
        return codes

    def check(self, session: Session, user_id: int, keys: SessionKeys, code: str) -> str | None:
        """None when ``code`` is a valid TOTP code or an unused recovery code; otherwise the
        reason (for the audit detail). A TOTP code is accepted once only."""
        factor = session.get(SecondFactor, user_id)
        if factor is None:
            return None
        code = _normalise(code)
        if code.isdigit() and len(code) == 6:
            try:
                secret = crypto.unseal(
                    keys.password_key, factor.sealed_secret, _secret_aad(user_id)
                ).decode()
            except crypto.CryptoError:
                return "secret TOTP illisible"
            counter = self._matching_counter(secret, code, factor.last_counter)
            if counter is None:
                return "code TOTP incorrect ou déjà utilisé"
            factor.last_counter = counter
            return None
        for row in session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
            )
        ):
            try:
                if self._hasher.verify(row.code_hash, code):
                    row.used_at = self._clock()
                    return None
            except (VerificationError, InvalidHashError):
                continue
        return "code de secours incorrect ou déjà utilisé"

    def reseal(self, session: Session, user_id: int, old_key: bytes, new_key: bytes) -> None:
        factor = session.get(SecondFactor, user_id)
        if factor is None:
            return
        secret = crypto.unseal(old_key, factor.sealed_secret, _secret_aad(user_id))
        factor.sealed_secret = crypto.seal(new_key, secret, _secret_aad(user_id))

    @staticmethod
    def remove(session: Session, user_id: int) -> None:
        session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))

    @staticmethod
    def remaining_codes(session: Session, user_id: int) -> int:
        return len(
            session.scalars(
                select(RecoveryCode.id).where(
                    RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
                )
            ).all()
        )
