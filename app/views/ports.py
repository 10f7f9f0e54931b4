"""What the views need from the services, as structural types.

The views receive the real ``app.services.container.Services`` through their constructors but
must not import it: the layering contract forbids reaching SQLAlchemy even indirectly. These
protocols name the calls the views make; the real services satisfy them structurally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.models.enums import Compartment, Role
from app.services.actor import Actor
from app.services.records import (
    ClinicInfo,
    ClinicInput,
    HistoryItem,
    NoteView,
    PatientInput,
    PatientRecord,
    PatientSummary,
    SearchResult,
    SetupResult,
    UserInfo,
    UserInput,
)


class AuthPort(Protocol):
    def login(self, username: str, password: str, workstation: str | None = None) -> Actor: ...
    def unlock(self, actor: Actor, password: str) -> Actor: ...
    def logout(self, actor: Actor) -> None: ...
    def own_account(self, actor: Actor) -> UserInfo: ...
    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None: ...
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


class ClinicPort(Protocol):
    def get(self) -> ClinicInfo | None: ...
    def is_set_up(self) -> bool: ...
    def setup(
        self, clinic: ClinicInput, coordinator: UserInput, password: str, *, demo: bool = False
    ) -> SetupResult: ...
    def update(self, actor: Actor, data: ClinicInput, expected_version: int) -> ClinicInfo: ...


class PatientsPort(Protocol):
    def search(
        self, actor: Actor, query: str, *, limit: int = ..., offset: int = 0
    ) -> SearchResult: ...
    def get(self, actor: Actor, patient_id: int, *, audit_open: bool = True) -> PatientRecord: ...
    def create(
        self, actor: Actor, data: PatientInput, *, confirm_duplicate: bool = False
    ) -> PatientRecord: ...
    def update(
        self,
        actor: Actor,
        patient_id: int,
        data: PatientInput,
        expected_version: int,
        *,
        confirm_duplicate: bool = False,
    ) -> PatientRecord: ...
    def history(self, actor: Actor, patient_id: int) -> list[HistoryItem]: ...


class NotesPort(Protocol):
    def list(
        self, actor: Actor, patient_id: int, compartment: Compartment | str
    ) -> Sequence[NoteView]: ...
    def add(
        self, actor: Actor, patient_id: int, compartment: Compartment | str, text: str
    ) -> NoteView: ...
    def edit(self, actor: Actor, note_id: int, text: str, expected_version: int) -> NoteView: ...


class ServicesPort(Protocol):
    @property
    def auth(self) -> AuthPort: ...
    @property
    def clinic(self) -> ClinicPort: ...
    @property
    def patients(self) -> PatientsPort: ...
    @property
    def notes(self) -> NotesPort: ...


__all__ = [
    "AuthPort",
    "ClinicPort",
    "NotesPort",
    "PatientSummary",
    "PatientsPort",
    "ServicesPort",
]
