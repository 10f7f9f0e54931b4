"""What the shell's screens need of the services (login, lock, header, inbox, search screen).

The real services satisfy these structurally (``tests/unit/test_ports_typecheck.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.services.accounts.capabilities import Capabilities
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInfo, ClinicInput, ClinicPublic, SetupResult
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.records import PatientSummary


class AuthPort(Protocol):
    def login(
        self,
        username: str,
        password: str,
        workstation: str | None = None,
        *,
        totp_code: str | None = None,
    ) -> Actor: ...
    def new_second_factor(self, username: str) -> tuple[str, str]: ...
    def enrol_second_factor(
        self,
        username: str,
        password: str,
        secret: str,
        code: str,
        workstation: str | None = None,
        *,
        actor: Actor | None = None,
    ) -> tuple[Actor, list[str]]: ...
    def second_factor_status(self, actor: Actor) -> tuple[bool, int]: ...
    def reauthenticate(self, actor: Actor, password: str) -> None: ...
    def session_expired(self, actor: Actor) -> bool: ...
    def grant_pending(self, actor: Actor) -> int: ...
    def unlock(self, actor: Actor, password: str) -> Actor: ...
    def logout(self, actor: Actor) -> None: ...


class ClinicPort(Protocol):
    def public(self) -> ClinicPublic | None: ...
    def settings(self, actor: Actor) -> ClinicInfo | None: ...
    def is_set_up(self) -> bool: ...
    def setup(
        self, clinic: ClinicInput, coordinator: UserInput, password: str, *, demo: bool = False
    ) -> SetupResult: ...
    def update(self, actor: Actor, data: ClinicInput, expected_version: int) -> ClinicInfo: ...


class InboxPort(Protocol):
    def items(
        self, actor: Actor, *, unread_only: bool = False, offset: int = 0, limit: int = 500
    ) -> list[InboxItem]: ...
    def unread_count(self, actor: Actor) -> int: ...
    def mark_read(self, actor: Actor, items: Iterable[int | InboxItem]) -> int: ...


class CapabilitiesPort(Protocol):
    def of(self, actor: Actor) -> Capabilities: ...


class RecentPatientsPort(Protocol):
    def recent(self, actor: Actor, limit: int = 10) -> list[PatientSummary]: ...
