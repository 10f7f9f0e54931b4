"""The clinic's identity (letterhead) and settings; first-run setup.

Anyone (even before login) reads the small public record that start-up and the login screen
need (:meth:`ClinicService.public`); the full settings are read and written by the
coordinator only (policy row "settings"), and a refusal is audited."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import LANGUAGES, N_, _
from app.models import Clinic
from app.models.db import Database
from app.models.enums import Role
from app.services.accounts.management import AccountService
from app.services.accounts.records import UserInfo, UserInput
from app.services.audit.writer import AuditWriter
from app.services.clinic.records import (
    MAX_INACTIVITY,
    MIN_INACTIVITY,
    ClinicInfo,
    ClinicInput,
    ClinicPublic,
    SetupResult,
)
from app.services.demo_keys import DEMO_AUDIT_KEY
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, PermissionDenied, ValidationError
from app.services.kernel.guard import Conflict, Guard
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line
from app.services.kernel.validation import finess_error, phone_error, unencodable_error
from app.services.partners.defaults import insert_defaults as insert_default_partners
from app.services.security.keys import KeyService
from app.services.security.secrets_store import AUDIT_KEY, KeyringUnavailable, SecretStore

SETTINGS_FIELDS = (
    "inactivity_minutes",
    "require_totp",
    "session_hours",
    "break_glass_enabled",
    "break_glass_minutes",
    "retention_years",
    "backup_dir",
    "backup_keep",
    "language",
)


def _info(c: Clinic) -> ClinicInfo:
    values = {f.name: getattr(c, f.name) for f in fields(ClinicInfo)}
    return ClinicInfo(**{**values, "language": c.language or "fr"})


def _public(c: Clinic) -> ClinicPublic:
    return ClinicPublic(
        name=c.name,
        demo=c.demo,
        inactivity_minutes=c.inactivity_minutes,
        session_hours=c.session_hours,
        require_totp=c.require_totp,
    )


def _apply(row: Clinic, data: ClinicInput) -> None:
    row.name, row.address, row.finess, row.phone = data.name, data.address, data.finess, data.phone
    for name in SETTINGS_FIELDS:
        setattr(row, name, getattr(data, name))


def _validate(data: ClinicInput) -> ClinicInput:
    errors: dict[str, str] = {}
    name = clean_line(data.name)[:200]
    address = clean_line(data.address)[:500]
    finess = clean_line(data.finess).replace(" ", "").upper()
    phone = clean_line(data.phone)[:30]
    if not name:
        errors["name"] = _("Le nom de la maison de santé est obligatoire.")
    if message := finess_error(finess):
        errors["finess"] = message
    if message := phone_error(phone):
        errors["phone"] = message
    if not MIN_INACTIVITY <= int(data.inactivity_minutes) <= MAX_INACTIVITY:
        errors["inactivity_minutes"] = _(
            "Le délai de verrouillage doit être compris entre {MIN_INACTIVITY} et "
            "{MAX_INACTIVITY} minutes."
        ).format(MIN_INACTIVITY=MIN_INACTIVITY, MAX_INACTIVITY=MAX_INACTIVITY)
    for field, low, high, label in (
        (
            "session_hours",
            1,
            24,
            N_("La durée maximale d'une session doit être comprise entre 1 et 24 heures."),
        ),
        (
            "break_glass_minutes",
            5,
            240,
            N_("La durée d'un accès exceptionnel doit être comprise entre 5 et 240 minutes."),
        ),
        (
            "retention_years",
            1,
            30,
            N_("La durée de conservation doit être comprise entre 1 et 30 ans."),
        ),
        (
            "backup_keep",
            1,
            365,
            N_("Le nombre de sauvegardes gardées doit être compris entre 1 et 365."),
        ),
    ):
        if not low <= int(getattr(data, field)) <= high:
            errors[field] = _(label)
    backup_dir = clean_line(data.backup_dir)[:500]
    # A folder's name with « � » in it would be another folder: refused, not replaced.
    if message := unencodable_error(data.backup_dir, "Le dossier des sauvegardes"):
        errors["backup_dir"] = message
    if data.language not in LANGUAGES:
        errors["language"] = _("Langue des documents inconnue.")
    if errors:
        raise ValidationError(errors)
    return replace(
        data,
        name=name,
        address=address,
        finess=finess,
        phone=phone,
        inactivity_minutes=int(data.inactivity_minutes),
        session_hours=int(data.session_hours),
        break_glass_minutes=int(data.break_glass_minutes),
        retention_years=int(data.retention_years),
        backup_keep=int(data.backup_keep),
        backup_dir=backup_dir,
        require_totp=bool(data.require_totp),
        break_glass_enabled=bool(data.break_glass_enabled),
    )


class ClinicService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        accounts: AccountService,
        keys: KeyService,
        clock: Clock,
        secret_store: type[SecretStore] = SecretStore,
    ) -> None:
        self._db = db
        self._audit = audit
        self._accounts = accounts
        self._keys = keys
        self._clock = clock
        self._secret_store = secret_store
        self._guard = Guard(db, audit)

    def can_manage(self, actor: Actor) -> bool:
        """Whether the actor reads and changes the settings (the views show the menu)."""
        return self._guard.allows(actor, Resource.SETTINGS, Action.WRITE)

    def public(self) -> ClinicPublic | None:
        """What start-up and the login screen need (name, demo mode, lock and session rules),
        readable without an actor; None before setup."""
        with self._db.session(write=False) as session:
            clinic = session.scalar(select(Clinic).limit(1))
            return _public(clinic) if clinic else None

    def settings(self, actor: Actor) -> ClinicInfo | None:
        """Every setting (coordination only; a refusal is audited); None before setup."""
        self._guard.require(
            actor,
            Resource.SETTINGS,
            Action.READ,
            AuditAction.READ,
            message="Seule la coordination consulte les paramètres.",
            object_type="clinic",
        )
        with self._db.session(write=False) as session:
            clinic = session.scalar(select(Clinic).limit(1))
            return _info(clinic) if clinic else None

    def is_set_up(self) -> bool:
        return self.public() is not None and self._accounts.has_accounts()

    def setup(
        self,
        clinic: ClinicInput,
        coordinator: UserInput,
        password: str,
        *,
        demo: bool = False,
    ) -> SetupResult:
        """First run: the clinic, its first coordinator, the recovery key and the audit key.
        Refused once set up."""
        if self._accounts.has_accounts():
            self._audit.refused(
                None, AuditAction.CLINIC_SETUP, username=coordinator.username, object_type="clinic"
            )
            raise PermissionDenied(_("Relais est déjà installé pour cette maison de santé."))
        if coordinator.role != Role.COORDINATOR:
            raise ValidationError(
                {"role": _("Le premier compte doit être un compte de coordination.")}
            )
        data = _validate(clinic)
        if demo:
            data = replace(data, require_totp=False)
        installation_id = str(uuid.uuid4())
        audit_key = DEMO_AUDIT_KEY if demo else secrets.token_bytes(32)
        previous_key = self._audit.key
        try:
            info, user, recovery_key = self._first_run(
                data, coordinator, password, demo, installation_id, audit_key
            )
        except BaseException:
            self._audit.key = previous_key
            raise
        # The audit key lives outside the database: in the OS keyring, or with the coordinator
        # (the demo's is the fixed demo key: nothing to keep).
        if demo:
            return SetupResult(info, user, recovery_key, None)
        try:
            self._secret_store(installation_id).set(AUDIT_KEY, audit_key.hex())
            shown = None
        except KeyringUnavailable:
            shown = audit_key.hex()
        return SetupResult(info, user, recovery_key, shown)

    def _first_run(
        self,
        data: ClinicInput,
        coordinator: UserInput,
        password: str,
        demo: bool,
        installation_id: str,
        audit_key: bytes,
    ) -> tuple[ClinicInfo, UserInfo, str]:
        with self._db.session() as session:  # one unit of work: all or nothing
            row = session.scalar(select(Clinic).limit(1))
            if row is None:
                row = Clinic(created_at=self._clock())
                session.add(row)
            _apply(row, data)
            row.demo = demo
            row.installation_id = installation_id
            self._audit.key = audit_key
            recovery_key = self._keys.create_recovery_key(session)
            user = self._accounts.add_user(session, None, coordinator, password, must_change=False)
            # The partners directory starts pre-filled with the usual kinds (DESIGN.md §2).
            insert_default_partners(session, self._clock())
            self._audit.add(
                session,
                None,
                AuditAction.CLINIC_SETUP,
                username=user.username,
                user_id=user.id,
                object_type="clinic",
            )
            session.flush()
            return _info(row), user, recovery_key

    def update(self, actor: Actor, data: ClinicInput, expected_version: int) -> ClinicInfo:
        self._guard.require(
            actor,
            Resource.SETTINGS,
            Action.WRITE,
            AuditAction.CLINIC_UPDATE,
            message="Seule la coordination modifie les paramètres.",
            object_type="clinic",
        )
        data = _validate(data)

        def work(session: Session) -> ClinicInfo:
            row = session.scalar(select(Clinic).limit(1))
            if row is None:
                raise PermissionDenied(_("La maison de santé n'est pas encore configurée."))
            if row.version != expected_version:
                error = ConflictError("Les paramètres", mine=data, theirs=_info(row))
                raise Conflict(error, object_type="clinic")
            _apply(row, data)
            if not data.break_glass_enabled:
                self._keys.drop_break_glass(session)
            session.flush()
            self._audit.add(session, actor, AuditAction.CLINIC_UPDATE, object_type="clinic")
            return _info(row)

        return self._guard.run(actor, work)
