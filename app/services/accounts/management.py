"""Account management (coordination): accounts created, edited, disabled and enabled,
passwords reset, and each user's own account and password.

Every call but the user's own goes through the policy row « accounts »; a refusal is audited.
A new account, or a reset password, gets a new key pair at once; the compartment keys follow
from the colleagues' sessions that hold them."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import _
from app.models import User
from app.models.db import Database
from app.models.enums import Profession, Role
from app.services.accounts.credentials import (
    PasswordHashes,
    break_glass_enabled,
    new_password_problem,
    password_context,
    user_info,
)
from app.services.accounts.records import ROLE_PROFESSIONS, RPPS_PROFESSIONS, UserInfo, UserInput
from app.services.accounts.second_factor import SecondFactorService
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.kernel.guard import Conflict, Guard
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import ROLE_LABELS
from app.services.kernel.text import clean_line
from app.services.kernel.validation import rpps_error, unencodable_error
from app.services.security.keys import KeyService
from app.services.security.passwords import PasswordContext, password_problem

REFUSED = "Seule la coordination gère les comptes."
LAST_COORDINATOR = "Il doit rester au moins un compte de coordination actif."
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountService:
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
        self._guard = Guard(db, audit)

    def can_manage(self, actor: Actor) -> bool:
        """Whether the actor manages the accounts (the views show the menu)."""
        return self._guard.allows(actor, Resource.ACCOUNTS, Action.WRITE)

    def hash_password(self, password: str) -> str:
        return self._passwords.hash(password)

    def password_context(
        self,
        actor: Actor | None = None,
        *,
        username: str = "",
        first_name: str = "",
        last_name: str = "",
    ) -> PasswordContext:
        """What a new password must not be built from (for the strength bar of a view, which
        rates it with ``app.services.security.passwords.assess``): the clinic's name, and the
        account's username and names — the given ones, or the actor's own account's."""
        with self._db.session(write=False) as session:
            if actor is not None and actor.user_id is not None and not username:
                user = session.get(User, actor.user_id)
                if user is not None:
                    return password_context(session, user.username, user.first_name, user.last_name)
            return password_context(session, username, first_name, last_name)

    def _require(self, actor: Actor, action: Action, what: str) -> None:
        self._guard.require(
            actor, Resource.ACCOUNTS, action, what, message=REFUSED, object_type="account"
        )

    def _validate(self, data: UserInput) -> tuple[UserInput, dict[str, str]]:
        errors: dict[str, str] = {}
        username = data.username.strip().lower()
        first = clean_line(data.first_name)[:100]
        last = clean_line(data.last_name)[:100]
        rpps = re.sub(r"\s", "", data.rpps or "")
        if not _USERNAME_RE.match(username):
            errors["username"] = _(
                "L'identifiant doit comporter 2 à 64 caractères : lettres minuscules sans accent, "
                "chiffres, point, tiret."
            )
        if message := unencodable_error(data.first_name, _("Le prénom")):
            errors["first_name"] = message
        elif not first:
            errors["first_name"] = _("Le prénom est obligatoire.")
        if message := unencodable_error(data.last_name, _("Le nom")):
            errors["last_name"] = message
        elif not last:
            errors["last_name"] = _("Le nom est obligatoire.")
        try:
            role = Role(data.role)
            profession = Profession(data.profession)
        except ValueError:
            errors["role"] = _("Rôle ou profession inconnus.")
        else:
            if profession not in ROLE_PROFESSIONS[role]:
                errors["profession"] = _("Cette profession ne correspond pas au rôle choisi.")
            if profession in RPPS_PROFESSIONS and not rpps:
                errors["rpps"] = _("Le numéro RPPS est obligatoire pour un professionnel de santé.")
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
            raise ValidationError({"username": _("Cet identifiant est déjà utilisé.")}) from exc

    def add_user(
        self, session, actor: Actor | None, data: UserInput, password: str, *, must_change: bool
    ) -> UserInfo:
        """Validate and add an account inside the caller's unit of work."""
        data, errors = self._validate(data)
        context = password_context(session, data.username, data.first_name, data.last_name)
        if message := password_problem(password, context):
            errors["password"] = message
        if errors:
            raise ValidationError(errors)
        exists = session.scalar(
            select(func.count()).select_from(User).where(User.username == data.username)
        )
        if exists:
            raise ValidationError({"username": _("Cet identifiant est déjà utilisé.")})
        user = User(
            username=data.username,
            first_name=data.first_name,
            last_name=data.last_name,
            role=str(data.role),
            profession=str(data.profession),
            rpps=data.rpps or None,
            password_hash=self._passwords.hash(password),
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
            detail=_("rôle {role}").format(role=ROLE_LABELS[Role(data.role)]),
        )
        return user_info(user)

    def create_first_coordinator(self, data: UserInput, password: str) -> UserInfo:
        """Only while the database has no account at all (setup wizard, relais-admin init)."""
        if self.has_accounts():
            self._audit.refused(
                None, AuditAction.ACCOUNT_CREATE, username=data.username, object_type="account"
            )
            raise PermissionDenied(_("Un premier compte existe déjà : connectez-vous."))
        if data.role != Role.COORDINATOR:
            raise ValidationError(
                {"role": _("Le premier compte doit être un compte de coordination.")}
            )
        return self._create(None, data, password, must_change=False)

    def has_accounts(self) -> bool:
        with self._db.session(write=False) as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    def own_account(self, actor: Actor) -> UserInfo:
        """The logged-in user's own account (e.g. must they choose a new password now?)."""
        if actor.user_id is None:
            raise NotFound(_("Ce compte n'existe pas."))
        with self._db.session(write=False) as session:
            user = session.get(User, actor.user_id)
            if user is None:
                raise NotFound(_("Ce compte n'existe pas."))
            return user_info(user)

    def list_users(self, actor: Actor, *, include_inactive: bool = True) -> list[UserInfo]:
        self._require(actor, Action.READ, "account_list")
        with self._db.session(write=False) as session:
            query = select(User).order_by(User.last_name, User.first_name)
            if not include_inactive:
                query = query.where(User.active.is_(True))
            return [user_info(u) for u in session.scalars(query)]

    def professionals(self, actor: Actor, role: Role) -> list[UserInfo]:
        """Active colleagues of a role (to choose a médecin traitant or a référent social)."""
        if not self._guard.allows(actor, Resource.ADMINISTRATIVE, Action.READ):
            raise PermissionDenied()
        with self._db.session(write=False) as session:
            query = (
                select(User)
                .where(User.role == str(role), User.active.is_(True))
                .order_by(User.last_name, User.first_name)
            )
            return [user_info(u) for u in session.scalars(query)]

    def get_user(self, actor: Actor, user_id: int) -> UserInfo:
        self._require(actor, Action.READ, "account_read")
        with self._db.session(write=False) as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound(_("Ce compte n'existe pas."))
            return user_info(user)

    def find_user(self, actor: Actor, username: str) -> UserInfo:
        self._require(actor, Action.READ, "account_read")
        with self._db.session(write=False) as session:
            username = clean_line(username).lower()
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(_("Aucun compte « {username} ».").format(username=username))
            return user_info(user)

    def update_user(
        self, actor: Actor, user_id: int, data: UserInput, expected_version: int
    ) -> UserInfo:
        self._require(actor, Action.WRITE, AuditAction.ACCOUNT_CREATE)
        data, errors = self._validate(data)
        if errors:
            raise ValidationError(errors)

        def work(session: Session) -> UserInfo:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound(_("Ce compte n'existe pas."))
            if user.version != expected_version:
                error = ConflictError(_("Ce compte"), mine=data, theirs=user_info(user))
                raise Conflict(error, object_type="account", object_id=user.id)
            if data.username != user.username:
                raise ValidationError({"username": _("L'identifiant d'un compte ne change pas.")})
            if data.role != Role.COORDINATOR and _last_coordinator(session, user):
                raise ValidationError({"role": LAST_COORDINATOR})
            user.first_name, user.last_name = data.first_name, data.last_name
            user.role, user.profession = str(data.role), str(data.profession)
            # A new role keeps only the compartment keys it is entitled to.
            self._keys.revoke_unentitled(session, user.id, Role(data.role))
            user.rpps = data.rpps or None
            session.flush()
            self._audit.add(
                session, actor, AuditAction.ACCOUNT_UPDATE, object_type="account", object_id=user.id
            )
            return user_info(user)

        return self._guard.run(actor, work)

    def set_active(self, actor: Actor, user_id: int, active: bool) -> UserInfo:
        action = AuditAction.ACCOUNT_ENABLE if active else AuditAction.ACCOUNT_DISABLE
        self._require(actor, Action.WRITE, action)
        if not active and actor.user_id == user_id:
            raise ValidationError(
                {"active": _("Vous ne pouvez pas désactiver votre propre compte.")}
            )
        with self._db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound(_("Ce compte n'existe pas."))
            if not active and _last_coordinator(session, user):
                raise ValidationError({"active": LAST_COORDINATOR})
            user.active = active
            if not active:
                # Its key pair and every compartment key sealed to it go: a disabled account
                # can read nothing, even from a copy of the database made afterwards.
                self._keys.revoke_user(session, user.id)
            session.flush()
            self._audit.add(session, actor, action, object_type="account", object_id=user.id)
            return user_info(user)

    def reset_password(
        self, actor: Actor, user_id: int, new_password: str, *, must_change: bool = True
    ) -> UserInfo:
        self._require(actor, Action.WRITE, AuditAction.PASSWORD_RESET)
        with self._db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound(_("Ce compte n'existe pas."))
            if message := new_password_problem(session, user, new_password):
                raise ValidationError({"password": message})
            user.password_hash = self._passwords.hash(new_password)
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
            return user_info(user)

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        if actor.user_id is None:
            raise PermissionDenied()
        with self._db.session() as session:
            user = session.get(User, actor.user_id)
            if user is None or not self._passwords.verify(user.password_hash, old_password):
                raise ValidationError({"old_password": _("Le mot de passe actuel est incorrect.")})
            if message := new_password_problem(session, user, new_password):
                raise ValidationError({"password": message})
            if new_password == old_password:
                raise ValidationError(
                    {"password": _("Le nouveau mot de passe doit être différent de l'actuel.")}
                )
            user.password_hash = self._passwords.hash(new_password)
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

    def remove_second_factor(self, actor: Actor, user_id: int) -> None:
        """Coordination: a user lost their phone and their recovery codes."""
        self._require(actor, Action.WRITE, AuditAction.SECOND_FACTOR_REMOVE)
        with self._db.session() as session:
            if session.get(User, user_id) is None:
                raise NotFound(_("Ce compte n'existe pas."))
            self._second.remove(session, user_id)
            self._audit.add(
                session,
                actor,
                AuditAction.SECOND_FACTOR_REMOVE,
                object_type="account",
                object_id=user_id,
            )

    def _share_keys(self, session, actor: Actor | None) -> None:
        """The keys the acting session holds (the coordinator's: administrative papers, home
        care) go at once to the account just created or reset; the other keys follow at the
        next login of a colleague who holds them."""
        if actor is not None and actor.keys is not None:
            self._keys.grant_pending(
                session, actor, actor.keys, break_glass_enabled=break_glass_enabled(session)
            )


def _last_coordinator(session: Session, user: User) -> bool:
    """Whether ``user`` is the clinic's last active coordination account."""
    if user.role != Role.COORDINATOR or not user.active:
        return False
    count = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == str(Role.COORDINATOR), User.active.is_(True))
    )
    return (count or 0) <= 1
