"""What the coordination screens need of the services: accounts, the partners directory, the
audit journal, backups and the audit writer's key. The audit screen receives ``AuditPorts``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.clock import Clock
from app.models.enums import Role
from app.services.accounts.records import UserInfo, UserInput
from app.services.audit.records import AuditPage, VerifyReport
from app.services.kernel.actor import Actor
from app.services.partners.records import (
    PartnerContactInfo,
    PartnerContactInput,
    PartnerInfo,
    PartnerInput,
)
from app.services.patient_file.records import SearchResult
from app.services.security.passwords import PasswordContext
from app.views.common.ports import PartnerListPort

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class AccountsPort(Protocol):
    def can_manage(self, actor: Actor) -> bool: ...
    def remove_second_factor(self, actor: Actor, user_id: int) -> None: ...
    def own_account(self, actor: Actor) -> UserInfo: ...
    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None: ...
    def password_context(
        self,
        actor: Actor | None = None,
        *,
        username: str = "",
        first_name: str = "",
        last_name: str = "",
    ) -> PasswordContext: ...
    def get_user(self, actor: Actor, user_id: int) -> UserInfo: ...
    def find_user(self, actor: Actor, username: str) -> UserInfo: ...
    def list_users(self, actor: Actor, *, include_inactive: bool = True) -> list[UserInfo]: ...
    def professionals(self, actor: Actor, role: Role) -> list[UserInfo]: ...
    def create_user(
        self, actor: Actor, data: UserInput, password: str, *, must_change: bool = True
    ) -> UserInfo: ...
    def set_active(self, actor: Actor, user_id: int, active: bool) -> UserInfo: ...
    def reset_password(
        self, actor: Actor, user_id: int, new_password: str, *, must_change: bool = True
    ) -> UserInfo: ...


class AuditLogPort(Protocol):
    def search(
        self,
        actor: Actor,
        *,
        user_id: int | None = None,
        patient_id: int | None = None,
        action: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> AuditPage: ...
    def actions(self) -> list[tuple[str, str]]: ...
    def users(self, actor: Actor) -> list[tuple[int, str]]: ...
    def verify(
        self,
        actor: Actor,
        *,
        expected_head: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> VerifyReport: ...
    def head(self, actor: Actor) -> str: ...


class PatientFinderPort(Protocol):
    """The audit screen's « Patient » filter (``services.patients``)."""

    def search(
        self, actor: Actor, query: str, *, limit: int = ..., offset: int = 0
    ) -> SearchResult: ...


class PartnersPort(PartnerListPort, Protocol):
    def can_read(self, actor: Actor) -> bool: ...
    def can_write(self, actor: Actor) -> bool: ...
    def get(self, actor: Actor, partner_id: int) -> PartnerInfo: ...
    def create(self, actor: Actor, data: PartnerInput) -> PartnerInfo: ...
    def update(
        self, actor: Actor, partner_id: int, data: PartnerInput, expected_version: int
    ) -> PartnerInfo: ...
    def set_active(self, actor: Actor, partner_id: int, active: bool) -> PartnerInfo: ...
    def add_contact(
        self, actor: Actor, partner_id: int, data: PartnerContactInput
    ) -> PartnerContactInfo: ...
    def update_contact(
        self, actor: Actor, contact_id: int, data: PartnerContactInput, expected_version: int
    ) -> PartnerContactInfo: ...
    def set_contact_active(
        self, actor: Actor, contact_id: int, active: bool
    ) -> PartnerContactInfo: ...
    def ensure_defaults(self, actor: Actor) -> int: ...


class BackupInfoLike(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def size(self) -> int: ...


class BackupsPort(Protocol):
    def default_folder(self) -> Path: ...
    def create(
        self,
        actor: Actor | None,
        progress: Callable[[int, int], None] | None = None,
        *,
        cancelled: Callable[[], bool] | None = None,
    ) -> BackupInfoLike: ...
    def run_scheduled(self, actor: Actor | None = None) -> BackupInfoLike | None: ...


class AuditStatePort(Protocol):
    """The audit writer: ``key`` None means entries are written unsealed."""

    key: bytes | None


@dataclass(frozen=True)
class AuditPorts:
    """Everything the audit screen reaches."""

    audit_log: AuditLogPort
    patients: PatientFinderPort
    clock: Clock

    @classmethod
    def of(cls, services: ServicesPort | AuditPorts) -> AuditPorts:
        """The ports taken from the services (given ports pass through)."""
        if isinstance(services, AuditPorts):
            return services
        return cls(audit_log=services.audit_log, patients=services.patients, clock=services.clock)
