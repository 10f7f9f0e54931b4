"""The clinic's settings as the views and the setup see them."""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.services.accounts.records import UserInfo

MIN_INACTIVITY, MAX_INACTIVITY = 1, 60


@dataclass(frozen=True)
class ClinicPublic:
    """What start-up and the login screen need before anyone logs in, readable without an
    actor: the clinic's name, demo mode and the session rules every workstation applies.
    The full settings (``ClinicInfo``) are the coordinator's (policy row "settings")."""

    name: str
    demo: bool
    inactivity_minutes: int
    session_hours: int
    require_totp: bool


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str
    finess: str
    phone: str
    demo: bool
    inactivity_minutes: int
    version: int
    installation_id: str = ""
    require_totp: bool = True
    session_hours: int = 12
    break_glass_enabled: bool = False
    break_glass_minutes: int = 60
    retention_years: int = 5
    backup_dir: str = ""
    backup_keep: int = 14
    language: str = "fr"  # printed documents

    def as_input(self) -> ClinicInput:
        """The settings as the form edits them (every field of :class:`ClinicInput`)."""
        return ClinicInput(**{f.name: getattr(self, f.name) for f in fields(ClinicInput)})


@dataclass(frozen=True)
class ClinicInput:
    name: str
    address: str = ""
    finess: str = ""
    phone: str = ""
    inactivity_minutes: int = 5
    require_totp: bool = True
    session_hours: int = 12
    break_glass_enabled: bool = False
    break_glass_minutes: int = 60
    retention_years: int = 5
    backup_dir: str = ""
    backup_keep: int = 14
    language: str = "fr"  # printed documents


@dataclass(frozen=True)
class SetupResult:
    """What the first run produced. ``recovery_key`` is shown (and printed) once, never
    stored; ``audit_key`` is set only when no OS keyring could keep it (write it down)."""

    clinic: ClinicInfo
    coordinator: UserInfo
    recovery_key: str
    audit_key: str | None = None
