"""What the identity form, the consent panel and the archiving screen need of the services
(narrow ports), and the bundles the first two receive: ``IdentityPorts`` and ``ConsentPorts``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.clock import Clock
from app.models.enums import Role
from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.patient_file.records import (
    RetentionCandidate,
)
from app.views.common.ports import ConsentFormPort, PartnerListPort
from app.views.patient_file.ports import ConsentsPort, IdentityWriterPort

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class ProfessionalsPort(Protocol):
    """The team's professionals of a role (``services.accounts``)."""

    def professionals(self, actor: Actor, role: Role) -> list[UserInfo]: ...


@dataclass(frozen=True)
class IdentityPorts:
    patients: IdentityWriterPort
    accounts: ProfessionalsPort

    @classmethod
    def of(cls, services: ServicesPort | IdentityPorts) -> IdentityPorts:
        """The ports taken from the services (given ports pass through)."""
        if isinstance(services, IdentityPorts):
            return services
        return cls(patients=services.patients, accounts=services.accounts)


class ConsentRecorderPort(ConsentsPort, Protocol):
    """The patient's consent decisions (``services.consents``), and whether the actor may
    record them."""

    def can_write(self, actor: Actor) -> bool: ...


@dataclass(frozen=True)
class ConsentPorts:
    consents: ConsentRecorderPort
    forms: ConsentFormPort
    partners: PartnerListPort
    clock: Clock

    @classmethod
    def of(cls, services: ServicesPort | ConsentPorts) -> ConsentPorts:
        """The ports taken from the services (given ports pass through)."""
        if isinstance(services, ConsentPorts):
            return services
        return cls(
            consents=services.consents,
            forms=services.referral_documents,
            partners=services.partners,
            clock=services.clock,
        )


class ArchivingPort(Protocol):
    """Files to archive and archived files (``services.retention``)."""

    def candidates(self, actor: Actor, *, limit: int = 500) -> list[RetentionCandidate]: ...
    def archived(self, actor: Actor, limit: int = 500) -> list[RetentionCandidate]: ...
    def archive(
        self,
        actor: Actor,
        patient_ids: list[int],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int: ...
    def unarchive(self, actor: Actor, patient_id: int) -> None: ...
