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
from app.services.referrals.records import (
    ReferralSummary,
)
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    SessionInput,
    SessionRecord,
    SlotRecord,
    WaitingEntryRecord,
)
from app.views.admin.ports import (
    AccountsPort,
    AuditLogPort,
    AuditStatePort,
    BackupInfoLike,
    BackupsPort,
    PartnersPort,
)
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
    def items(self, actor: Actor, *, unread_only: bool = False) -> list[InboxItem]: ...
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


class SchedulingPort(Protocol):
    """Consultation sessions, the agenda, appointments, the waiting list and the call list."""

    def sessions(
        self, actor: Actor, *, professional_id: int | None = None, include_inactive: bool = False
    ) -> list[SessionRecord]: ...
    def professionals(self, actor: Actor) -> list[tuple[int, str]]: ...
    def create_session(self, actor: Actor, data: SessionInput) -> SessionRecord: ...
    def update_session(
        self, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int
    ) -> SessionRecord: ...
    def deactivate_session(
        self, actor: Actor, session_id: int, *, expected_version: int
    ) -> SessionRecord: ...
    def cancel_day(
        self,
        actor: Actor,
        session_id: int,
        day: date,
        reason: str,
        *,
        cancel_appointments: bool = False,
    ) -> SessionRecord: ...
    def add_day(
        self, actor: Actor, session_id: int, day: date, reason: str = ""
    ) -> SessionRecord: ...
    def remove_exception(self, actor: Actor, session_id: int, day: date) -> SessionRecord: ...
    def agenda(
        self, actor: Actor, start: date, end: date, *, professional_id: int | None = None
    ) -> list[AgendaDay]: ...
    def free_slots(
        self, actor: Actor, professional_id: int, *, start: date, days: int = 42, limit: int = 50
    ) -> list[SlotRecord]: ...
    def book(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        starts_at: datetime,
        referral_id: int | None = None,
        waiting_entry_id: int | None = None,
    ) -> AppointmentRecord: ...
    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord: ...
    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord: ...
    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord: ...
    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord: ...
    def appointment(self, actor: Actor, appointment_id: int) -> AppointmentRecord: ...
    def patient_appointments(self, actor: Actor, patient_id: int) -> list[AppointmentRecord]: ...
    def no_show_count(self, actor: Actor, patient_id: int) -> int: ...
    def referrals_to_schedule(self, actor: Actor) -> list[ReferralSummary]: ...
    def papers(self, actor: Actor, appointment_id: int) -> tuple[str, ...]: ...
    def add_to_waiting_list(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        referral_id: int | None = None,
        urgency: str = "normal",
        preferences: str = "",
    ) -> WaitingEntryRecord: ...
    def waiting_list(self, actor: Actor, professional_id: int) -> list[WaitingEntryRecord]: ...
    def remove_from_waiting_list(
        self, actor: Actor, entry_id: int, *, expected_version: int | None = None
    ) -> None: ...
    def candidates_for(
        self, actor: Actor, professional_id: int, starts_at: datetime
    ) -> list[WaitingEntryRecord]: ...
    def call_list(self, actor: Actor, day: date) -> list[AppointmentRecord]: ...
    def to_notify(self, actor: Actor) -> list[AppointmentRecord]: ...
    def mark_called(
        self, actor: Actor, appointment_id: int, *, confirmed: bool
    ) -> AppointmentRecord: ...
    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes: ...
    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument: ...


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
