"""Login (Argon2id, per-account throttling, TOTP second factor), unlocking the session's
compartment keys, screen unlock, re-authentication, the session's lifetime and logout.

Account management (coordination) is ``management.AccountService``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.clock import Clock
from app.i18n import N_, _
from app.models import User
from app.models.db import Database
from app.models.enums import AuditOutcome, Role
from app.services.accounts.credentials import (
    PasswordHashes,
    break_glass_enabled,
    clinic_of,
    session_actor,
    session_hours,
)
from app.services.accounts.second_factor import TOTP_ROLES, SecondFactorService
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor, workstation_name
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    AccountLocked,
    AuthenticationError,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
    SessionExpired,
)
from app.services.kernel.text import clean_line
from app.services.security.keys import KeyService, SessionKeys

FREE_ATTEMPTS = 3
BASE_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60
BAD_CREDENTIALS = N_("Identifiant ou mot de passe incorrect.")
BAD_CODE = "Code de double authentification incorrect ou déjà utilisé."
ALREADY_ENROLLED = N_(
    "Une double authentification est déjà enregistrée pour ce compte : connectez-vous avec "
    "votre code pour changer de téléphone, ou demandez à la coordination de la retirer."
)
CODE_MISMATCH = N_(
    "Le code saisi ne correspond pas : vérifiez que l'heure du téléphone est juste et "
    "saisissez le code affiché en ce moment."
)


def throttle_delay(failures: int) -> int:
    """Seconds an account waits after ``failures`` consecutive failures (0 for the first ones)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(BASE_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


class AuthService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        keys: KeyService,
        passwords: PasswordHashes,
        second: SecondFactorService,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._keys = keys
        self._passwords = passwords
        self._second = second

    # ---- login and unlock ------------------------------------------------------------
    def login(
        self,
        username: str,
        password: str,
        workstation: str | None = None,
        *,
        totp_code: str | None = None,
    ) -> Actor:
        """Check credentials (and the second factor); unlock the session's keys.

        Raises AuthenticationError (AccountLocked, SecondFactorRequired,
        SecondFactorEnrolmentRequired) with a French message.
        """
        workstation = workstation or workstation_name()
        now = self._clock()
        with self._db.session() as session:
            user, error = self._password_step(session, username, password, workstation, now)
            if user is not None and error is None:
                keys = self._keys.unlock_user_key(session, user.id, password)
                error = self._check_second_factor(session, user, keys, totp_code, workstation, now)
                if error is None:
                    return self._open_session(session, user, password, keys, workstation, now)
        assert error is not None
        raise error

    def _password_step(
        self, session, username: str, password: str, workstation: str, now: datetime
    ) -> tuple[User | None, AuthenticationError | None]:
        """Find the account and check throttling, password and state (all audited)."""
        # Storable as typed (no account has a « � » or a control character in its name).
        username = clean_line(username).lower()
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            self._unknown_user(session, username, password)
            return None, AuthenticationError(_(BAD_CREDENTIALS))
        return user, self._check_user(session, user, password, workstation, now)

    def _unknown_user(self, session, username: str, password: str) -> None:
        self._passwords.verify_dummy(password)
        self._audit.add(
            session,
            None,
            AuditAction.LOGIN_FAILED,
            outcome=AuditOutcome.FAILED,
            username=username,
            detail="identifiant inconnu",
        )

    def _check_second_factor(
        self,
        session,
        user: User,
        keys: SessionKeys,
        code: str | None,
        workstation: str,
        now: datetime,
    ) -> AuthenticationError | None:
        if self._second.enrolled(session, user.id):
            if not code:
                return SecondFactorRequired()
            reason = self._second.check(session, user.id, keys, code)
            if reason is None:
                return None
            return self._failed(session, user, workstation, now, reason, BAD_CODE)
        clinic = clinic_of(session)
        if clinic and clinic.require_totp and not clinic.demo and Role(user.role) in TOTP_ROLES:
            enrolment = self._second.new_enrolment(user.username, clinic.name)
            return SecondFactorEnrolmentRequired(enrolment.secret, enrolment.uri)
        return None

    def _open_session(
        self, session, user: User, password: str, keys: SessionKeys, workstation: str, now
    ) -> Actor:
        values: dict = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if self._passwords.needs_rehash(user.password_hash):
            values["password_hash"] = self._passwords.hash(password)
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        actor = session_actor(user, workstation, now, keys)
        self._keys.open_session(session, actor, keys)
        self._keys.grant_pending(
            session, actor, keys, break_glass_enabled=break_glass_enabled(session)
        )
        self._audit.add(session, actor, AuditAction.LOGIN)
        return actor

    def new_second_factor(self, username: str) -> tuple[str, str]:
        """(secret, otpauth URI) for a voluntary enrolment from the login screen."""
        with self._db.session(write=False) as session:
            clinic = clinic_of(session)
        enrolment = self._second.new_enrolment(username, clinic.name if clinic else "")
        return enrolment.secret, enrolment.uri

    def enrol_second_factor(
        self,
        username: str,
        password: str,
        secret: str,
        code: str,
        workstation: str | None = None,
        *,
        actor: Actor | None = None,
    ) -> tuple[Actor, list[str]]:
        """Confirm a TOTP enrolment with a first code; log in. Returns the actor and the
        one-time recovery codes (to show and print once).

        An account that already has a second factor changes phone only from a session of its
        own (``actor``, which passed the second factor at login): the password alone must not
        replace the owner's phone."""
        workstation = workstation or workstation_name()
        now = self._clock()
        with self._db.session() as session:
            user, error = self._password_step(session, username, password, workstation, now)
            if user is not None and error is None:
                error = self._refuse_replacement(session, user, actor, workstation, now)
            if user is not None and error is None:
                counter = self._second.verify_new(secret, code)
                if counter is None:
                    error = AuthenticationError(_(CODE_MISMATCH))
                else:
                    keys = self._keys.unlock_user_key(session, user.id, password)
                    codes = self._second.enrol(session, user.id, keys, secret, counter)
                    actor = self._open_session(session, user, password, keys, workstation, now)
                    self._audit.add(
                        session,
                        actor,
                        AuditAction.SECOND_FACTOR_ENROL,
                        object_type="account",
                        object_id=user.id,
                    )
                    return actor, codes
        raise error

    def _refuse_replacement(
        self, session, user: User, actor: Actor | None, workstation: str, now: datetime
    ) -> AuthenticationError | None:
        """An enrolled account changes phone only from a session of its own (audited)."""
        if not self._second.enrolled(session, user.id) or (
            actor is not None and actor.user_id == user.id
        ):
            return None
        self._audit.add(
            session,
            session_actor(user, workstation, now),
            AuditAction.SECOND_FACTOR_ENROL,
            outcome=AuditOutcome.REFUSED,
            object_type="account",
            object_id=user.id,
            detail="double authentification déjà enregistrée",
        )
        return AuthenticationError(_(ALREADY_ENROLLED))

    def second_factor_status(self, actor: Actor) -> tuple[bool, int]:
        """(enrolled, remaining recovery codes) for the logged-in user."""
        with self._db.session(write=False) as session:
            if actor.user_id is None:
                return False, 0
            return (
                self._second.enrolled(session, actor.user_id),
                self._second.remaining_codes(session, actor.user_id),
            )

    def _failed(
        self, session, user: User, workstation: str, now, detail: str, message: str
    ) -> AuthenticationError:
        failures = user.failed_logins + 1
        delay = throttle_delay(failures)
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                failed_logins=User.failed_logins + 1,
                locked_until=now + timedelta(seconds=delay) if delay else None,
            )
            .execution_options(synchronize_session=False)
        )
        self._audit.add(
            session,
            session_actor(user, workstation, now),
            AuditAction.LOGIN_FAILED,
            outcome=AuditOutcome.FAILED,
            detail=f"{detail} ({failures} échec(s) consécutif(s))",
        )
        return AccountLocked(delay) if delay else AuthenticationError(message)

    def _check_user(
        self, session, user: User, password: str, workstation: str, now: datetime
    ) -> AuthenticationError | None:
        """Throttle, password and account state; None when the password is accepted."""
        as_actor = session_actor(user, workstation, now)
        if user.locked_until is not None and user.locked_until > now:
            seconds = max(1, int((user.locked_until - now).total_seconds() + 0.999))
            self._audit.add(
                session, as_actor, AuditAction.LOGIN_THROTTLED, outcome=AuditOutcome.REFUSED
            )
            return AccountLocked(seconds)
        if not self._passwords.verify(user.password_hash, password):
            return self._failed(
                session, user, workstation, now, "mot de passe incorrect", BAD_CREDENTIALS
            )
        if not user.active:
            self._audit.add(
                session,
                as_actor,
                AuditAction.LOGIN_FAILED,
                outcome=AuditOutcome.REFUSED,
                detail="compte désactivé",
            )
            return AuthenticationError(
                _("Ce compte est désactivé. Adressez-vous à la coordination de la maison de santé.")
            )
        return None

    def unlock(self, actor: Actor, password: str) -> Actor:
        """Re-enter the password of the user whose screen is locked (within the session's
        absolute lifetime)."""
        self._confirm_password(actor, password, AuditAction.UNLOCK, within_lifetime=True)
        return actor

    def _confirm_password(
        self, actor: Actor, password: str, audit_action: str, *, within_lifetime: bool = False
    ) -> None:
        """The session's user typed their password again (and, ``within_lifetime``, the
        session is not older than the clinic's absolute lifetime): failures are counted,
        success resets them and is audited as ``audit_action``."""
        if actor.user_id is None:
            raise AuthenticationError(_(BAD_CREDENTIALS))
        now = self._clock()
        with self._db.session() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise AuthenticationError(_(BAD_CREDENTIALS))
            error = self._check_user(session, user, password, actor.workstation, now)
            if error is None and within_lifetime:
                hours = session_hours(session)
                if actor.logged_in_at and now - actor.logged_in_at > timedelta(hours=hours):
                    error = SessionExpired(hours)
            if error is None:
                self._reset_failures(session, user)
                self._audit.add(session, actor, audit_action)
                return
        raise error

    @staticmethod
    def _reset_failures(session, user: User) -> None:
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )

    def grant_pending(self, actor: Actor) -> int:
        """Seal the keys this session holds to entitled colleagues who lack them (called at
        login, and periodically by the application while the user works). Returns how many."""
        if actor.keys is None:
            return 0
        with self._db.session() as session:
            return self._keys.grant_pending(
                session, actor, actor.keys, break_glass_enabled=break_glass_enabled(session)
            )

    def session_expired(self, actor: Actor) -> bool:
        """True once the session is older than the clinic's absolute lifetime."""
        if actor.logged_in_at is None:
            return False
        with self._db.session(write=False) as session:
            hours = session_hours(session)
        return self._clock() - actor.logged_in_at > timedelta(hours=hours)

    def reauthenticate(self, actor: Actor, password: str) -> None:
        """Confirm the password before a sensitive operation (export, restore, recovery…)."""
        self._confirm_password(actor, password, AuditAction.REAUTHENTICATE)

    def logout(self, actor: Actor) -> None:
        self._audit.record(actor, AuditAction.LOGOUT)
