"""What the views need from the services, as structural types.

The views receive the real ``app.container.Services`` through their constructors but
must not import it: the layering contract forbids reaching SQLAlchemy even indirectly. These
protocols name the calls the views make; the real services satisfy them structurally.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from app.models.enums import Role
from app.services.accounts.records import UserInfo, UserInput
from app.services.audit.records import AuditPage, VerifyReport
from app.services.home_care.records import (
    DischargePlanInput,
    DischargePlanRecord,
    FollowUpRecord,
    HomeCareInput,
    HomeCareRecord,
)
from app.services.home_care.rules import CareKind, PlanStatus
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument, PatientSummary
from app.services.partners.records import (
    PartnerContactInfo,
    PartnerContactInput,
    PartnerInfo,
    PartnerInput,
    PartnerKind,
)
from app.services.security.passwords import PasswordContext
from app.services.social.records import (
    AssessmentInput,
    AssessmentVersion,
    AssessmentView,
    SectionChange,
    SocialActionInput,
    SocialActionView,
)
from app.views.agenda.ports import SchedulingPort
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
from app.views.statistics.port import StatisticsPort


class AccountsPort(Protocol):
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


class PartnersPort(Protocol):
    def list(
        self,
        actor: Actor,
        *,
        kind: PartnerKind | str | None = None,
        commune: str | None = None,
        query: str | None = None,
        include_inactive: bool = False,
    ) -> list[PartnerInfo]: ...
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


class ConsultationsPort(Protocol):
    """The social worker's assessment and action plan (``services.consultations``)."""

    def assessment(self, actor: Actor, patient_id: int) -> AssessmentView | None: ...
    def history(self, actor: Actor, patient_id: int) -> list[AssessmentVersion]: ...
    def version(self, actor: Actor, assessment_id: int) -> AssessmentView: ...
    def changes(self, actor: Actor, assessment_id: int) -> list[SectionChange]: ...
    def save_assessment(
        self,
        actor: Actor,
        patient_id: int,
        data: AssessmentInput,
        *,
        based_on: int | None,
        appointment_id: int | None = None,
    ) -> AssessmentView: ...
    def actions(
        self, actor: Actor, patient_id: int, *, include_closed: bool = True
    ) -> list[SocialActionView]: ...
    def add_action(
        self, actor: Actor, patient_id: int, data: SocialActionInput
    ) -> SocialActionView: ...
    def update_action(
        self, actor: Actor, action_id: int, data: SocialActionInput, *, expected_version: int
    ) -> SocialActionView: ...
    def set_action_status(
        self, actor: Actor, action_id: int, status: str, *, expected_version: int
    ) -> SocialActionView: ...


class BackupInfoLike(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def size(self) -> int: ...


class BackupsPort(Protocol):
    def default_folder(self) -> Path: ...
    def create(
        self, actor: Actor | None, progress: Callable[[int, int], None] | None = None
    ) -> BackupInfoLike: ...
    def run_scheduled(self, actor: Actor | None = None) -> BackupInfoLike | None: ...


class AuditStatePort(Protocol):
    """The audit writer: ``key`` None means entries are written unsealed."""

    key: bytes | None


class HomeCarePort(Protocol):
    def get(self, actor: Actor, request_id: int) -> HomeCareRecord: ...
    def for_patient(self, actor: Actor, patient_id: int) -> list[HomeCareRecord]: ...
    def prefill(self, actor: Actor, patient_id: int) -> HomeCareInput: ...
    def commune_of(self, actor: Actor, patient_id: int) -> str: ...
    def partner_choices(
        self, actor: Actor, care_kind: CareKind | str, commune: str | None = None
    ) -> list[PartnerInfo]: ...
    def create(self, actor: Actor, data: HomeCareInput) -> HomeCareRecord: ...
    def update(
        self, actor: Actor, request_id: int, data: HomeCareInput, expected_version: int
    ) -> HomeCareRecord: ...
    def send(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord: ...
    def accept(
        self,
        actor: Actor,
        request_id: int,
        accepted_by: str,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord: ...
    def start(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord: ...
    def finish(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord: ...
    def refuse(
        self, actor: Actor, request_id: int, reason: str, *, expected_version: int | None = None
    ) -> HomeCareRecord: ...
    def cancel(
        self,
        actor: Actor,
        request_id: int,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord: ...
    def readdress(
        self,
        actor: Actor,
        request_id: int,
        partner_id: int,
        partner_contact_id: int | None = None,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord: ...


class DischargePort(Protocol):
    def plans_for(self, actor: Actor, patient_id: int) -> list[DischargePlanRecord]: ...
    def get(self, actor: Actor, plan_id: int) -> DischargePlanRecord: ...
    def request_defaults(self, actor: Actor, plan_id: int) -> HomeCareInput: ...
    def create(self, actor: Actor, data: DischargePlanInput) -> DischargePlanRecord: ...
    def update(
        self, actor: Actor, plan_id: int, data: DischargePlanInput, expected_version: int
    ) -> DischargePlanRecord: ...
    def set_status(
        self,
        actor: Actor,
        plan_id: int,
        status: PlanStatus | str,
        *,
        expected_version: int | None = None,
    ) -> DischargePlanRecord: ...
    def complete_follow_up(self, actor: Actor, follow_up_id: int) -> FollowUpRecord: ...


class HomeCareDocumentsPort(Protocol):
    def request_form(self, actor: Actor, request_id: int) -> GeneratedDocument: ...
    def discharge_summary(self, actor: Actor, plan_id: int) -> GeneratedDocument: ...


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
]
