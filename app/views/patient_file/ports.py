"""What the patient file's views need of the services (the real services satisfy these
protocols structurally; views never import the services themselves)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol

from app.models.enums import Compartment
from app.services.clinic.records import ClinicInfo
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument, Page
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
    PatientFileCapabilities,
    PatientInput,
    PatientRecord,
    RetentionCandidate,
    SearchResult,
)


class IdentityWriterPort(Protocol):
    """Creating and editing a patient's identity (``services.patients``)."""

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


class PatientsPort(IdentityWriterPort, Protocol):
    def search(
        self, actor: Actor, query: str, *, limit: int = ..., offset: int = 0
    ) -> SearchResult: ...
    def get(self, actor: Actor, patient_id: int, *, audit_open: bool = True) -> PatientRecord: ...
    def history(self, actor: Actor, patient_id: int) -> list[HistoryItem]: ...


class NotesPort(Protocol):
    def list(
        self, actor: Actor, patient_id: int, compartment: Compartment | str
    ) -> Sequence[NoteView]: ...
    def add(
        self, actor: Actor, patient_id: int, compartment: Compartment | str, text: str
    ) -> NoteView: ...
    def edit(self, actor: Actor, note_id: int, text: str, expected_version: int) -> NoteView: ...
    def page(
        self,
        actor: Actor,
        patient_id: int,
        compartment: Compartment | str,
        *,
        offset: int = 0,
        limit: int | None = ...,
    ) -> Page[NoteView]: ...


class DocumentsPort(Protocol):
    def recovery_key_sheet(self, clinic: ClinicInfo, recovery_key: str) -> bytes: ...
    def recovery_codes_sheet(self, actor: Actor, codes: list[str]) -> bytes: ...
    def access_report(self, actor: Actor, patient_id: int) -> GeneratedDocument: ...
    def export_patient(
        self,
        actor: Actor,
        patient_id: int,
        password: str,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> PatientExport: ...
    def list_documents(self, actor: Actor, patient_id: int) -> list[DocumentInfo]: ...
    def documents_page(
        self, actor: Actor, patient_id: int, *, offset: int = 0, limit: int | None = ...
    ) -> Page[DocumentInfo]: ...
    def open_document(self, actor: Actor, document_id: int) -> bytes: ...


class RetentionPort(Protocol):
    def candidates(self, actor: Actor, *, limit: int = 500) -> list[RetentionCandidate]: ...
    def archive(self, actor: Actor, patient_ids: list[int]) -> int: ...
    def unarchive(self, actor: Actor, patient_id: int) -> None: ...
    def archived(self, actor: Actor, limit: int = 500) -> list[RetentionCandidate]: ...


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


class PatientFilePort(Protocol):
    """The file screen's own questions: its capabilities and its history, by page."""

    def capabilities(self, actor: Actor, record: PatientRecord) -> PatientFileCapabilities: ...
    def history_page(
        self, actor: Actor, patient_id: int, *, offset: int = 0, limit: int = ...
    ) -> Page[HistoryItem]: ...
