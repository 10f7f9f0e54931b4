"""What the home-care views need of the services: requests, discharge plans, their printed
documents and the clock. ``HomeCarePorts`` is all a home-care view receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.clock import Clock
from app.services.home_care.records import (
    DischargePlanInput,
    DischargePlanRecord,
    FollowUpRecord,
    HomeCareInput,
    HomeCareRecord,
)
from app.services.home_care.rules import CareKind, PlanStatus
from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument
from app.services.partners.records import PartnerInfo

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class HomeCarePort(Protocol):
    def can_read(self, actor: Actor) -> bool: ...
    def can_write(self, actor: Actor) -> bool: ...
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


@dataclass(frozen=True)
class HomeCarePorts:
    """Everything the home-care tab and its dialogs reach."""

    home_care: HomeCarePort
    discharge: DischargePort
    documents: HomeCareDocumentsPort
    clock: Clock

    @classmethod
    def of(cls, services: ServicesPort | HomeCarePorts) -> HomeCarePorts:
        """The ports taken from the services (given ports pass through)."""
        if isinstance(services, HomeCarePorts):
            return services
        return cls(
            home_care=services.home_care,
            discharge=services.discharge,
            documents=services.home_care_documents,
            clock=services.clock,
        )
