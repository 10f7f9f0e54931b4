"""What the views need from the services, as structural types.

Each feature states its own ports beside its views (``app/views/<feature>/ports.py``) and its
views receive only those (a frozen bundle such as ``HomeCarePorts``). ``ServicesPort`` is the
whole container as the window shell sees it, to build those bundles; the views never import
``app.container`` (the layering contract forbids reaching SQLAlchemy even indirectly). The
feature ports are re-exported here for the callers.
``tests/unit/test_ports_typecheck.py`` proves with mypy that the real services satisfy every
port.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from app.services.kernel.records import PatientSummary
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
from app.views.patient_file.ports import (
    ConsentsPort,
    DocumentsPort,
    ExceptionalPort,
    NotesPort,
    PatientsPort,
    RetentionPort,
)
from app.views.referrals.ports import ReferralDocumentsPort, ReferralsPort
from app.views.shell.ports import (
    AuthPort,
    CapabilitiesPort,
    ClinicPort,
    InboxPort,
    RecentPatientsPort,
)
from app.views.social.ports import ConsultationsPort
from app.views.statistics.ports import StatisticsPort


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
    @property
    def capabilities(self) -> CapabilitiesPort: ...
    @property
    def recent_patients(self) -> RecentPatientsPort: ...
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
