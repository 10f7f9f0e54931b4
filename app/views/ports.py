"""What the views need from the services, as structural types.

Each feature states its own ports beside its views (``app/views/<feature>/ports.py``) and its
views receive only those (a frozen bundle such as ``HomeCarePorts``). ``ServicesPort`` is the
whole container as the window shell sees it, to build those bundles; the views never import
``app.container`` (the layering contract forbids reaching SQLAlchemy even indirectly). The
protocols still here await their feature's move; the names are re-exported for the callers.
``tests/unit/test_ports_typecheck.py`` proves with mypy that the real services satisfy every
port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from app.models.enums import Compartment
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInfo, ClinicInput, ClinicPublic, SetupResult
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument, PatientSummary
from app.services.patient_file.records import (
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentStatus,
    ConsentSummary,
    DocumentInfo,
    HistoryItem,
    NoteView,
    PatientExport,
    PatientInput,
    PatientRecord,
    RetentionCandidate,
    SearchResult,
)
from app.views.admin.ports import (
    AccountsPort,
    AuditLogPort,
    AuditStatePort,
    BackupInfoLike,
    BackupsPort,
    PartnersPort,
)
from app.views.agenda.ports import SchedulingPort
from app.views.home_care.ports import DischargePort, HomeCareDocumentsPort, HomeCarePort
from app.views.referrals.ports import ReferralDocumentsPort, ReferralsPort
from app.views.social.ports import ConsultationsPort
from app.views.statistics.ports import StatisticsPort


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


class DocumentsPort(Protocol):
    def recovery_key_sheet(self, clinic: ClinicInfo, recovery_key: str) -> bytes: ...
    def recovery_codes_sheet(self, actor: Actor, codes: list[str]) -> bytes: ...
    def access_report(self, actor: Actor, patient_id: int) -> GeneratedDocument: ...
    def export_patient(self, actor: Actor, patient_id: int, password: str) -> PatientExport: ...
    def list_documents(self, actor: Actor, patient_id: int) -> list[DocumentInfo]: ...
    def open_document(self, actor: Actor, document_id: int) -> bytes: ...


class RetentionPort(Protocol):
    def candidates(self, actor: Actor, *, limit: int = 500) -> list[RetentionCandidate]: ...
    def archive(self, actor: Actor, patient_ids: list[int]) -> int: ...
    def unarchive(self, actor: Actor, patient_id: int) -> None: ...
    def archived(self, actor: Actor, limit: int = 500) -> list[RetentionCandidate]: ...


class InboxPort(Protocol):
    def items(
        self, actor: Actor, *, unread_only: bool = False, offset: int = 0, limit: int = 500
    ) -> list[InboxItem]: ...
    def unread_count(self, actor: Actor) -> int: ...
    def mark_read(self, actor: Actor, items: Iterable[int | InboxItem]) -> int: ...


class ConsentsPort(Protocol):
    def record(
        self,
        actor: Actor,
        patient_id: int,
        scope: ConsentScope | str,
        status: ConsentStatus | str,
        *,
        method: ConsentMethod | str = ...,
        decided_on: date | str | None = None,
        partner_id: int | None = None,
        document_id: int | None = None,
    ) -> ConsentRecord: ...
    def current(self, actor: Actor, patient_id: int) -> ConsentSummary: ...
    def history(self, actor: Actor, patient_id: int) -> list[ConsentRecord]: ...


class ExceptionalAccessLike(Protocol):
    @property
    def compartment(self) -> Compartment: ...
    @property
    def expires_at(self) -> datetime: ...


class ExceptionalPort(Protocol):
    def offered(self, actor: Actor) -> list[Compartment]: ...
    def start(
        self, actor: Actor, patient_id: int, compartment: Compartment | str, justification: str
    ) -> ExceptionalAccessLike: ...
    def active(self, actor: Actor, patient_id: int) -> Sequence[ExceptionalAccessLike]: ...


class ServicesPort(Protocol):
    @property
    def auth(self) -> AuthPort: ...
    @property
    def accounts(self) -> AccountsPort: ...
    @property
    def clinic(self) -> ClinicPort: ...
    @property
    def patients(self) -> PatientsPort: ...
    @property
    def notes(self) -> NotesPort: ...
    @property
    def audit_log(self) -> AuditLogPort: ...
    @property
    def documents(self) -> DocumentsPort: ...
    @property
    def retention(self) -> RetentionPort: ...
    @property
    def inbox(self) -> InboxPort: ...
    @property
    def exceptional(self) -> ExceptionalPort: ...
    @property
    def backups(self) -> BackupsPort: ...
    @property
    def audit(self) -> AuditStatePort: ...
    @property
    def consents(self) -> ConsentsPort: ...
    @property
    def partners(self) -> PartnersPort: ...
    @property
    def referrals(self) -> ReferralsPort: ...
    @property
    def referral_documents(self) -> ReferralDocumentsPort: ...
    @property
    def consultations(self) -> ConsultationsPort: ...
    @property
    def scheduling(self) -> SchedulingPort: ...
    @property
    def home_care(self) -> HomeCarePort: ...
    @property
    def discharge(self) -> DischargePort: ...
    @property
    def home_care_documents(self) -> HomeCareDocumentsPort: ...
    @property
    def changes(self) -> Any: ...  # app.views.common.data_changed.ChangesPort
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def statistics(self) -> StatisticsPort: ...
    def user_action(self) -> AbstractContextManager[None]: ...  # one commit for one action


__all__ = [
    "AuditLogPort",
    "AuditStatePort",
    "AuthPort",
    "BackupInfoLike",
    "BackupsPort",
    "ClinicPort",
    "ConsentsPort",
    "ConsultationsPort",
    "DischargePort",
    "DocumentsPort",
    "ExceptionalPort",
    "HomeCareDocumentsPort",
    "HomeCarePort",
    "InboxPort",
    "NotesPort",
    "PartnersPort",
    "PatientSummary",
    "PatientsPort",
    "ReferralDocumentsPort",
    "ReferralsPort",
    "RetentionPort",
    "SchedulingPort",
    "ServicesPort",
    "StatisticsPort",
]
