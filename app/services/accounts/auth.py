"""Login (Argon2id, per-account throttling, TOTP second factor), unlocking the session's
compartment keys, screen unlock, re-authentication, and account management."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import Clock
from app.models import Clinic, User
from app.models.db import Database
from app.models.enums import AuditOutcome, Profession, Role
from app.services.accounts.records import (
    ROLE_PROFESSIONS,
    RPPS_PROFESSIONS,
    UserInfo,
    UserInput,
)
from app.services.accounts.second_factor import TOTP_ROLES, SecondFactorService
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor, workstation_name
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    AccountLocked,
    AuthenticationError,
    ConflictError,
    NotFound,
    PermissionDenied,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
    SessionExpired,
    ValidationError,
)
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line
from app.services.kernel.validation import rpps_error, unencodable_error
from app.services.security.keys import KeyService, SessionKeys
from app.services.security.passwords import PasswordContext, password_problem

# Argon2id, RFC 9106 "second recommended option" (64 MiB, t=3, p=4): above OWASP's minimums.
DEFAULT_HASHER_PARAMS = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}

FREE_ATTEMPTS = 3
BASE_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60
BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."
BAD_CODE = "Code de double authentification incorrect ou déjà utilisé."
ALREADY_ENROLLED = (
    "Une double authentification est déjà enregistrée pour ce compte : connectez-vous avec "
    "votre code pour changer de téléphone, ou demandez à la coordination de la retirer."
)


_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def throttle_delay(failures: int) -> int:
    """Seconds an account waits after ``failures`` consecutive failures (0 for the first ones)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(BASE_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def _info(user: User) -> UserInfo:
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


def _actor(user: User, workstation: str, at: datetime, keys: SessionKeys | None = None) -> Actor:
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


class AuthService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        keys: KeyService,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._keys = keys
        self._hasher = hasher or PasswordHasher(**DEFAULT_HASHER_PARAMS)
        self._second = SecondFactorService(clock, self._hasher)
        self._dummy_hash = self._hasher.hash("relais-dummy-password-for-timing")

    # ---- passwords -------------------------------------------------------------------
    def hash_password(self, password: str) -> str:
        return self._hasher.hash(password)

    def _password_context(
        self, session, username: str, first_name: str = "", last_name: str = ""
    ) -> PasswordContext:
        clinic = self._clinic(session)
        return PasswordContext(username, first_name, last_name, clinic.name if clinic else "")

    def password_context(
        self,
        actor: Actor | None = None,
        *,
        username: str = "",
        first_name: str = "",
        last_name: str = "",
    ) -> PasswordContext:
        """What a new password must not be built from (for the strength bar of a view, which
        rates it with ``app.services.passwords.assess``): the clinic's name, and the account's
        username and names — the given ones, or the actor's own account's."""
        with self._db.session(write=False) as session:
            if actor is not None and actor.user_id is not None and not username:
                user = session.get(User, actor.user_id)
                if user is not None:
                    return self._password_context(
                        session, user.username, user.first_name, user.last_name
                    )
            return self._password_context(session, username, first_name, last_name)

    def _password_problem(self, session, user: User, password: str) -> str | None:
        context = self._password_context(session, user.username, user.first_name, user.last_name)
        return password_problem(password, context)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError, UnicodeEncodeError):
            return False  # a password no account can have (app.services.kernel.text) is wrong

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
            return None, AuthenticationError(BAD_CREDENTIALS)
        return user, self._check_user(session, user, password, workstation, now)

    def _unknown_user(self, session, username: str, password: str) -> None:
        self._verify(self._dummy_hash, password)  # same time as a real check
        self._audit.add(
            session,
            None,
            AuditAction.LOGIN_FAILED,
            outcome=AuditOutcome.FAILED,
            username=username,
            detail="identifiant inconnu",
        )

    @staticmethod
    def _clinic(session) -> Clinic | None:
        return session.scalar(select(Clinic).limit(1))

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
        clinic = self._clinic(session)
        if clinic and clinic.require_totp and not clinic.demo and Role(user.role) in TOTP_ROLES:
            enrolment = self._second.new_enrolment(user.username, clinic.name)
            return SecondFactorEnrolmentRequired(enrolment.secret, enrolment.uri)
        return None

    def _open_session(
        self, session, user: User, password: str, keys: SessionKeys, workstation: str, now
    ) -> Actor:
        values: dict = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if self._hasher.check_needs_rehash(user.password_hash):
            values["password_hash"] = self._hasher.hash(password)
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        actor = _actor(user, workstation, now, keys)
        self._keys.open_session(session, actor, keys)
        clinic = self._clinic(session)
        self._keys.grant_pending(
            session, actor, keys, break_glass_enabled=bool(clinic and clinic.break_glass_enabled)
        )
        self._audit.add(session, actor, AuditAction.LOGIN)
        return actor

    def new_second_factor(self, username: str) -> tuple[str, str]:
        """(secret, otpauth URI) for a voluntary enrolment from the login screen."""
        with self._db.session(write=False) as session:
            clinic = self._clinic(session)
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
            if user is not None:
                if (
                    error is None
                    and self._second.enrolled(session, user.id)
                    and (actor is None or actor.user_id != user.id)
                ):
                    self._audit.add(
                        session,
                        _actor(user, workstation, now),
                        "second_factor_enrol",
                        outcome=AuditOutcome.REFUSED,
                        object_type="account",
                        object_id=user.id,
                        detail="double authentification déjà enregistrée",
                    )
                    error = AuthenticationError(ALREADY_ENROLLED)
                if error is None:
                    counter = self._second.verify_new(secret, code)
                    if counter is None:
                        error = AuthenticationError(
                            "Le code saisi ne correspond pas : vérifiez que l'heure du téléphone "
                            "est juste et saisissez le code affiché en ce moment."
                        )
                    else:
                        keys = self._keys.unlock_user_key(session, user.id, password)
                        codes = self._second.enrol(session, user.id, keys, secret, counter)
                        actor = self._open_session(session, user, password, keys, workstation, now)
                        self._audit.add(
                            session,
                            actor,
                            "second_factor_enrol",
                            object_type="account",
                            object_id=user.id,
                        )
                        return actor, codes
        raise error

    def remove_second_factor(self, actor: Actor, user_id: int) -> None:
        """Coordination: a user lost their phone and their recovery codes."""
        self._require(actor, Action.WRITE, "second_factor_remove")
        with self._db.session() as session:
            if session.get(User, user_id) is None:
                raise NotFound("Ce compte n'existe pas.")
            self._second.remove(session, user_id)
            self._audit.add(
                session, actor, "second_factor_remove", object_type="account", object_id=user_id
            )

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
            _actor(user, workstation, now),
            AuditAction.LOGIN_FAILED,
            outcome=AuditOutcome.FAILED,
            detail=f"{detail} ({failures} échec(s) consécutif(s))",
        )
        return AccountLocked(delay) if delay else AuthenticationError(message)

    def _check_user(
        self, session, user: User, password: str, workstation: str, now: datetime
    ) -> AuthenticationError | None:
        """Throttle, password and account state; None when the password is accepted."""
        as_actor = _actor(user, workstation, now)
        if user.locked_until is not None and user.locked_until > now:
            seconds = max(1, int((user.locked_until - now).total_seconds() + 0.999))
            self._audit.add(
                session, as_actor, AuditAction.LOGIN_THROTTLED, outcome=AuditOutcome.REFUSED
            )
            return AccountLocked(seconds)
        if not self._verify(user.password_hash, password):
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
                "Ce compte est désactivé. Adressez-vous à la coordination de la maison de santé."
            )
        return None

    def unlock(self, actor: Actor, password: str) -> Actor:
        """Re-enter the password of the user whose screen is locked (within the session's
        absolute lifetime)."""
        if actor.user_id is None:
            raise AuthenticationError(BAD_CREDENTIALS)
        now = self._clock()
        with self._db.session() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise AuthenticationError(BAD_CREDENTIALS)
            error = self._check_user(session, user, password, actor.workstation, now)
            if error is None:
                clinic = self._clinic(session)
                hours = clinic.session_hours if clinic else 12
                if actor.logged_in_at and now - actor.logged_in_at > timedelta(hours=hours):
                    error = SessionExpired(hours)
                else:
                    self._reset_failures(session, user)
                    self._audit.add(session, actor, AuditAction.UNLOCK)
                    return actor
        raise error

    @staticmethod
    def _reset_failures(session, user: User) -> None:
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )

    def _share_keys(self, session, actor: Actor | None) -> None:
        """The keys the acting session holds (the coordinator's: administrative papers, home
        care) go at once to the account just created or reset; the other keys follow at the
        next login of a colleague who holds them."""
        if actor is not None and actor.keys is not None:
            clinic = self._clinic(session)
            self._keys.grant_pending(
                session,
                actor,
                actor.keys,
                break_glass_enabled=bool(clinic and clinic.break_glass_enabled),
            )

    def grant_pending(self, actor: Actor) -> int:
        """Seal the keys this session holds to entitled colleagues who lack them (called at
        login, and periodically by the application while the user works). Returns how many."""
        if actor.keys is None:
            return 0
        with self._db.session() as session:
            clinic = self._clinic(session)
            return self._keys.grant_pending(
                session,
                actor,
                actor.keys,
                break_glass_enabled=bool(clinic and clinic.break_glass_enabled),
            )

    def session_expired(self, actor: Actor) -> bool:
        """True once the session is older than the clinic's absolute lifetime."""
        if actor.logged_in_at is None:
            return False
        with self._db.session(write=False) as session:
            clinic = self._clinic(session)
        hours = clinic.session_hours if clinic else 12
        return self._clock() - actor.logged_in_at > timedelta(hours=hours)

    def reauthenticate(self, actor: Actor, password: str) -> None:
        """Confirm the password before a sensitive operation (export, restore, recovery…)."""
        if actor.user_id is None:
            raise AuthenticationError(BAD_CREDENTIALS)
        now = self._clock()
        with self._db.session() as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise AuthenticationError(BAD_CREDENTIALS)
            error = self._check_user(session, user, password, actor.workstation, now)
            if error is None:
                self._reset_failures(session, user)
                self._audit.add(session, actor, "reauthenticate")
                return
        raise error

    def logout(self, actor: Actor) -> None:
        self._audit.record(actor, AuditAction.LOGOUT)

    # ---- accounts (coordination) -------------------------------------------------------
    def _require(self, actor: Actor, action: Action, what: str) -> None:
        if not policy.allows(actor.role, Resource.ACCOUNTS, action):
            self._audit.refused(actor, what, object_type="account")
            raise PermissionDenied("Seule la coordination gère les comptes.")

    def _validate(self, data: UserInput) -> tuple[UserInput, dict[str, str]]:
        errors: dict[str, str] = {}
        username = data.username.strip().lower()
        first = clean_line(data.first_name)[:100]
        last = clean_line(data.last_name)[:100]
        rpps = re.sub(r"\s", "", data.rpps or "")
        if not _USERNAME_RE.match(username):
            errors["username"] = (
                "L'identifiant doit comporter 2 à 64 caractères : lettres minuscules sans accent, "
                "chiffres, point, tiret."
            )
        if message := unencodable_error(data.first_name, "Le prénom"):
            errors["first_name"] = message
        elif not first:
            errors["first_name"] = "Le prénom est obligatoire."
        if message := unencodable_error(data.last_name, "Le nom"):
            errors["last_name"] = message
        elif not last:
            errors["last_name"] = "Le nom est obligatoire."
        try:
            role = Role(data.role)
            profession = Profession(data.profession)
        except ValueError:
            errors["role"] = "Rôle ou profession inconnus."
        else:
            if profession not in ROLE_PROFESSIONS[role]:
                errors["profession"] = "Cette profession ne correspond pas au rôle choisi."
            if profession in RPPS_PROFESSIONS and not rpps:
                errors["rpps"] = "Le numéro RPPS est obligatoire pour un professionnel de santé."
            elif rpps and (message := rpps_error(rpps)):
                errors["rpps"] = message
        clean = UserInput(username, first, last, data.role, data.profession, rpps)
        return clean, errors

    def create_user(
        self, actor: Actor, data: UserInput, password: str, *, must_change: bool = True
    ) -> UserInfo:
        self._require(actor, Action.WRITE, AuditAction.ACCOUNT_CREATE)
        return self._create(actor, data, password, must_change=must_change)

    def _create(
        self, actor: Actor | None, data: UserInput, password: str, *, must_change: bool
    ) -> UserInfo:
        try:
            with self._db.session() as session:
                return self.add_user(session, actor, data, password, must_change=must_change)
        except IntegrityError as exc:
            raise ValidationError({"username": "Cet identifiant est déjà utilisé."}) from exc

    def add_user(
        self, session, actor: Actor | None, data: UserInput, password: str, *, must_change: bool
    ) -> UserInfo:
        """Validate and add an account inside the caller's unit of work."""
        data, errors = self._validate(data)
        context = self._password_context(session, data.username, data.first_name, data.last_name)
        if message := password_problem(password, context):
            errors["password"] = message
        if errors:
            raise ValidationError(errors)
        exists = session.scalar(
            select(func.count()).select_from(User).where(User.username == data.username)
        )
        if exists:
            raise ValidationError({"username": "Cet identifiant est déjà utilisé."})
        user = User(
            username=data.username,
            first_name=data.first_name,
            last_name=data.last_name,
            role=str(data.role),
            profession=str(data.profession),
            rpps=data.rpps or None,
            password_hash=self.hash_password(password),
            active=True,
            must_change_password=must_change,
            failed_logins=0,
            created_at=self._clock(),
        )
        session.add(user)
        session.flush()
        self._keys.create_user_key(session, user.id, password)
        self._share_keys(session, actor)
        self._audit.add(
            session,
            actor,
            AuditAction.ACCOUNT_CREATE,
            object_type="account",
            object_id=user.id,
            username=data.username if actor is None else None,
            user_id=user.id if actor is None else None,
            detail=f"rôle {data.role}",
        )
        return _info(user)

    def create_first_coordinator(self, data: UserInput, password: str) -> UserInfo:
        """Only while the database has no account at all (setup wizard, relais-admin init)."""
        if self.has_accounts():
            self._audit.refused(
                None, AuditAction.ACCOUNT_CREATE, username=data.username, object_type="account"
            )
            raise PermissionDenied("Un premier compte existe déjà : connectez-vous.")
        if data.role != Role.COORDINATOR:
            raise ValidationError(
                {"role": "Le premier compte doit être un compte de coordination."}
            )
        return self._create(None, data, password, must_change=False)

    def has_accounts(self) -> bool:
        with self._db.session(write=False) as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    def own_account(self, actor: Actor) -> UserInfo:
        """The logged-in user's own account (e.g. must they choose a new password now?)."""
        if actor.user_id is None:
            raise NotFound("Ce compte n'existe pas.")
        with self._db.session(write=False) as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise NotFound("Ce compte n'existe pas.")
            return _info(user)

    def list_users(self, actor: Actor, *, include_inactive: bool = True) -> list[UserInfo]:
        self._require(actor, Action.READ, "account_list")
        with self._db.session(write=False) as session:
            query = select(User).order_by(User.last_name, User.first_name)
            if not include_inactive:
                query = query.where(User.active.is_(True))
            return [_info(u) for u in session.scalars(query)]

    def professionals(self, actor: Actor, role: Role) -> list[UserInfo]:
        """Active colleagues of a role (to choose a médecin traitant or a référent social)."""
        if not policy.allows(actor.role, Resource.ADMINISTRATIVE, Action.READ):
            raise PermissionDenied()
        with self._db.session(write=False) as session:
            query = (
                select(User)
                .where(User.role == str(role), User.active.is_(True))
                .order_by(User.last_name, User.first_name)
            )
            return [_info(u) for u in session.scalars(query)]

    def get_user(self, actor: Actor, user_id: int) -> UserInfo:
        self._require(actor, Action.READ, "account_read")
        with self._db.session(write=False) as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("Ce compte n'existe pas.")
            return _info(user)

    def find_user(self, actor: Actor, username: str) -> UserInfo:
        self._require(actor, Action.READ, "account_read")
        with self._db.session(write=False) as session:
            username = clean_line(username).lower()
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"Aucun compte « {username} ».")
            return _info(user)

    def update_user(
        self, actor: Actor, user_id: int, data: UserInput, expected_version: int
    ) -> UserInfo:
        self._require(actor, Action.WRITE, AuditAction.ACCOUNT_CREATE)
        data, errors = self._validate(data)
        if errors:
            raise ValidationError(errors)
        with self._db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("Ce compte n'existe pas.")
            if user.version != expected_version:
                error = ConflictError("Ce compte", mine=data, theirs=_info(user))
                self._audit.add(
                    session, actor, AuditAction.CONFLICT, object_type="account", object_id=user.id
                )
                session.commit()
                raise error
            if data.username != user.username:
                raise ValidationError({"username": "L'identifiant d'un compte ne change pas."})
            if user.role == Role.COORDINATOR and user.active and data.role != Role.COORDINATOR:
                coordinators = session.scalar(
                    select(func.count())
                    .select_from(User)
                    .where(User.role == str(Role.COORDINATOR), User.active.is_(True))
                )
                if (coordinators or 0) <= 1:
                    raise ValidationError(
                        {"role": "Il doit rester au moins un compte de coordination actif."}
                    )
            user.first_name, user.last_name = data.first_name, data.last_name
            user.role, user.profession = str(data.role), str(data.profession)
            # A new role keeps only the compartment keys it is entitled to.
            self._keys.revoke_unentitled(session, user.id, Role(data.role))
            user.rpps = data.rpps or None
            session.flush()
            self._audit.add(
                session, actor, "account_update", object_type="account", object_id=user.id
            )
            return _info(user)

    def set_active(self, actor: Actor, user_id: int, active: bool) -> UserInfo:
        action = AuditAction.ACCOUNT_ENABLE if active else AuditAction.ACCOUNT_DISABLE
        self._require(actor, Action.WRITE, action)
        if not active and actor.user_id == user_id:
            raise ValidationError({"active": "Vous ne pouvez pas désactiver votre propre compte."})
        with self._db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("Ce compte n'existe pas.")
            if not active and user.role == Role.COORDINATOR and user.active:
                others = session.scalar(
                    select(func.count())
                    .select_from(User)
                    .where(User.role == str(Role.COORDINATOR), User.active.is_(True))
                )
                if (others or 0) <= 1:
                    raise ValidationError(
                        {"active": "Il doit rester au moins un compte de coordination actif."}
                    )
            user.active = active
            if not active:
                # Its key pair and every compartment key sealed to it go: a disabled account
                # can read nothing, even from a copy of the database made afterwards.
                self._keys.revoke_user(session, user.id)
            session.flush()
            self._audit.add(session, actor, action, object_type="account", object_id=user.id)
            return _info(user)

    def reset_password(
        self, actor: Actor, user_id: int, new_password: str, *, must_change: bool = True
    ) -> UserInfo:
        self._require(actor, Action.WRITE, AuditAction.PASSWORD_RESET)
        with self._db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("Ce compte n'existe pas.")
            if message := self._password_problem(session, user, new_password):
                raise ValidationError({"password": message})
            user.password_hash = self.hash_password(new_password)
            user.must_change_password = must_change
            user.failed_logins = 0
            user.locked_until = None
            # The old private key is sealed under a password nobody knows any more: a new key
            # pair replaces it (colleagues' sessions grant the compartment keys again), and the
            # second factor, sealed the same way, must be enrolled again.
            self._keys.create_user_key(session, user.id, new_password)
            self._share_keys(session, actor)
            self._second.remove(session, user.id)
            session.flush()
            self._audit.add(
                session, actor, AuditAction.PASSWORD_RESET, object_type="account", object_id=user.id
            )
            return _info(user)

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        if actor.user_id is None:
            raise PermissionDenied()
        with self._db.session() as session:
            user = session.get(User, actor.user_id)
            if user is None or not self._verify(user.password_hash, old_password):
                raise ValidationError({"old_password": "Le mot de passe actuel est incorrect."})
            if message := self._password_problem(session, user, new_password):
                raise ValidationError({"password": message})
            if new_password == old_password:
                raise ValidationError(
                    {"password": "Le nouveau mot de passe doit être différent de l'actuel."}
                )
            user.password_hash = self.hash_password(new_password)
            user.must_change_password = False
            keys = actor.keys or self._keys.unlock_user_key(session, user.id, old_password)
            old_key = keys.password_key
            new_key = self._keys.rewrap_user_key(session, keys, new_password)
            self._second.reseal(session, user.id, old_key, new_key)
            session.flush()
            self._audit.add(
                session,
                actor,
                AuditAction.PASSWORD_CHANGE,
                object_type="account",
                object_id=user.id,
            )
