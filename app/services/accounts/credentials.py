"""What login and account management share: Argon2id password hashes, the account as a
record and as the acting user, and what a new password must not be built from."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Clinic, User
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.security.keys import SessionKeys
from app.services.security.passwords import PasswordContext, password_problem

# Argon2id, RFC 9106 "second recommended option" (64 MiB, t=3, p=4): above OWASP's minimums.
DEFAULT_HASHER_PARAMS = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}


# What an unknown username's password is checked against, so that it costs a real check. Made
# once with the default parameters (hashing it at each start would cost a start-up ~0.15 s of
# Argon2); a hasher with other parameters (a test's lighter one) makes its own.
DUMMY_PASSWORD = "relais-dummy-password-for-timing"
DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$BnSSATjqHd2g/jPoqLuwFw"
    "$h+X/xrtEBqq6YvMv+2TmBPDyw+IyCiMQNik06EE08Cg"
)


class PasswordHashes:
    """Argon2id hashes of the account passwords (one hasher for the whole application)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher(**DEFAULT_HASHER_PARAMS)
        same = not self.hasher.check_needs_rehash(DUMMY_HASH)  # made with these parameters
        self._dummy = DUMMY_HASH if same else self.hasher.hash(DUMMY_PASSWORD)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError, UnicodeEncodeError):
            return False  # a password no account can have (app.services.kernel.text) is wrong

    def verify_dummy(self, password: str) -> None:
        """Spend the time of a real check (an unknown username must not answer faster)."""
        self.verify(self._dummy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


def clinic_of(session: Session) -> Clinic | None:
    return session.scalar(select(Clinic).limit(1))


def session_hours(session: Session) -> int:
    """The clinic's absolute session lifetime, in hours (12 before the clinic is set up)."""
    clinic = clinic_of(session)
    return clinic.session_hours if clinic else 12


def break_glass_enabled(session: Session) -> bool:
    clinic = clinic_of(session)
    return bool(clinic and clinic.break_glass_enabled)


def password_context(
    session: Session, username: str, first_name: str = "", last_name: str = ""
) -> PasswordContext:
    clinic = clinic_of(session)
    return PasswordContext(username, first_name, last_name, clinic.name if clinic else "")


def new_password_problem(session: Session, user: User, password: str) -> str | None:
    """Why ``password`` may not become this account's (French), or None."""
    context = password_context(session, user.username, user.first_name, user.last_name)
    return password_problem(password, context)


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        role=Role(user.role),
        profession=Profession(user.profession),
        rpps=user.rpps,
        active=user.active,
        must_change_password=user.must_change_password,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def session_actor(
    user: User, workstation: str, at: datetime, keys: SessionKeys | None = None
) -> Actor:
    """The account as the acting user of a session opened at ``at`` on ``workstation``."""
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        profession=Profession(user.profession),
        workstation=workstation,
        logged_in_at=at,
        keys=keys,
    )
