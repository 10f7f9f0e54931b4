"""The clinic's identity (letterhead) and settings; first-run setup."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Clinic
from app.models.db import Database
from app.models.enums import Role
from app.services import policy
from app.services.actor import Actor
from app.services.audit import AuditAction, AuditWriter, Clock
from app.services.auth import AuthService, UserInfo, UserInput
from app.services.errors import ConflictError, PermissionDenied, ValidationError
from app.services.policy import Action, Resource
from app.services.records import MAX_INACTIVITY, MIN_INACTIVITY, ClinicInfo, ClinicInput
from app.services.text import clean_line
from app.services.validation import finess_error, phone_error


def _info(c: Clinic) -> ClinicInfo:
    return ClinicInfo(c.name, c.address, c.finess, c.phone, c.demo, c.inactivity_minutes, c.version)


def _validate(data: ClinicInput) -> ClinicInput:
    errors: dict[str, str] = {}
    name = clean_line(data.name)[:200]
    address = clean_line(data.address)[:500]
    finess = clean_line(data.finess).replace(" ", "").upper()
    phone = clean_line(data.phone)[:30]
    if not name:
        errors["name"] = "Le nom de la maison de santé est obligatoire."
    if message := finess_error(finess):
        errors["finess"] = message
    if message := phone_error(phone):
        errors["phone"] = message
    if not MIN_INACTIVITY <= int(data.inactivity_minutes) <= MAX_INACTIVITY:
        errors["inactivity_minutes"] = (
            f"Le délai de verrouillage doit être compris entre {MIN_INACTIVITY} et "
            f"{MAX_INACTIVITY} minutes."
        )
    if errors:
        raise ValidationError(errors)
    return ClinicInput(name, address, finess, phone, int(data.inactivity_minutes))


class ClinicService:
    def __init__(self, db: Database, audit: AuditWriter, auth: AuthService, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._auth = auth
        self._clock = clock

    def get(self) -> ClinicInfo | None:
        """The clinic's public identity (shown on the login screen); None before setup."""
        with self._db.session(write=False) as session:
            clinic = session.scalar(select(Clinic).limit(1))
            return _info(clinic) if clinic else None

    def is_set_up(self) -> bool:
        return self.get() is not None and self._auth.has_accounts()

    def setup(
        self,
        clinic: ClinicInput,
        coordinator: UserInput,
        password: str,
        *,
        demo: bool = False,
    ) -> tuple[ClinicInfo, UserInfo]:
        """First run: the clinic and its first coordinator. Refused once set up."""
        if self._auth.has_accounts():
            self._audit.refused(
                None, AuditAction.CLINIC_SETUP, username=coordinator.username, object_type="clinic"
            )
            raise PermissionDenied("Relais est déjà installé pour cette maison de santé.")
        if coordinator.role != Role.COORDINATOR:
            raise ValidationError(
                {"role": "Le premier compte doit être un compte de coordination."}
            )
        data = _validate(clinic)
        with self._db.session() as session:  # one unit of work: all or nothing
            row = session.scalar(select(Clinic).limit(1))
            if row is None:
                row = Clinic(created_at=self._clock())
                session.add(row)
            row.name, row.address, row.finess, row.phone = (
                data.name,
                data.address,
                data.finess,
                data.phone,
            )
            row.inactivity_minutes = data.inactivity_minutes
            row.demo = demo
            user = self._auth.add_user(session, None, coordinator, password, must_change=False)
            self._audit.add(
                session,
                None,
                AuditAction.CLINIC_SETUP,
                username=user.username,
                user_id=user.id,
                object_type="clinic",
            )
            session.flush()
            return _info(row), user

    def update(self, actor: Actor, data: ClinicInput, expected_version: int) -> ClinicInfo:
        if not policy.allows(actor.role, Resource.SETTINGS, Action.WRITE):
            self._audit.refused(actor, AuditAction.CLINIC_UPDATE, object_type="clinic")
            raise PermissionDenied("Seule la coordination modifie les paramètres.")
        data = _validate(data)
        with self._db.session() as session:
            row = session.scalar(select(Clinic).limit(1))
            if row is None:
                raise PermissionDenied("La maison de santé n'est pas encore configurée.")
            if row.version != expected_version:
                raise ConflictError("Les paramètres", mine=data, theirs=_info(row))
            row.name, row.address, row.finess, row.phone = (
                data.name,
                data.address,
                data.finess,
                data.phone,
            )
            row.inactivity_minutes = data.inactivity_minutes
            session.flush()
            self._audit.add(session, actor, AuditAction.CLINIC_UPDATE, object_type="clinic")
            return _info(row)
