"""What the referral views need from the services (structural types the real services
satisfy): the referral service, its documents, and the few other services the referral form
and detail read (consent, colleagues, partners, liaison notes, sessions, the clock)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument
from app.services.referrals.records import (
    ReferralCapabilities,
    ReferralDelays,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    ReferralSummary,
    ReferralView,
    SharedItem,
)
from app.views.common.ports import ConsentFormPort

if TYPE_CHECKING:
    from app.views.ports import (
        AccountsPort,
        ConsentsPort,
        NotesPort,
        PartnersPort,
        SchedulingPort,
    )


class ReferralsPort(Protocol):
    def capabilities(self, actor: Actor) -> ReferralCapabilities: ...
    def item_defaults(
        self, actor: Actor, reason: ReferralReason | str
    ) -> frozenset[SharedItem]: ...
    def create(self, actor: Actor, data: ReferralInput) -> ReferralView: ...
    def update_draft(
        self, actor: Actor, referral_id: int, data: ReferralInput, expected_version: int
    ) -> ReferralView: ...
    def send(self, actor: Actor, referral_id: int, *, patient_agrees: bool) -> ReferralView: ...
    def acknowledge(self, actor: Actor, referral_id: int) -> ReferralView: ...
    def book(
        self, actor: Actor, referral_id: int, when: datetime | None = None
    ) -> ReferralView: ...
    def record_seen(self, actor: Actor, referral_id: int) -> ReferralView: ...
    def close(
        self, actor: Actor, referral_id: int, *, outcome: str, feedback: str | None = None
    ) -> ReferralView: ...
    def send_feedback(self, actor: Actor, referral_id: int, text: str) -> ReferralView: ...
    def reorient(
        self, actor: Actor, referral_id: int, *, partner_id: int, reason: str, rule: str = ""
    ) -> ReferralView: ...
    def cancel(self, actor: Actor, referral_id: int) -> ReferralView: ...
    def get(self, actor: Actor, referral_id: int) -> ReferralView: ...
    def for_patient(self, actor: Actor, patient_id: int) -> list[ReferralSummary]: ...
    def inbox(self, actor: Actor) -> list[ReferralSummary]: ...
    def mark_seen(self, actor: Actor, referral_id: int) -> bool: ...
    def counts(self, actor: Actor) -> dict[ReferralStatus, int]: ...
    def delays(self, actor: Actor) -> ReferralDelays: ...


class ReferralDocumentsPort(ConsentFormPort, Protocol):
    def referral_form(self, actor: Actor, referral_id: int) -> GeneratedDocument: ...
    def referral_forms(
        self,
        actor: Actor,
        referral_ids: Sequence[int],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[GeneratedDocument]: ...
    def feedback_letter(self, actor: Actor, referral_id: int) -> GeneratedDocument: ...


class ReferralViewsPort(Protocol):
    """The services the referral screens receive (the container satisfies it)."""

    @property
    def referrals(self) -> ReferralsPort: ...
    @property
    def referral_documents(self) -> ReferralDocumentsPort: ...
    @property
    def accounts(self) -> AccountsPort: ...
    @property
    def consents(self) -> ConsentsPort: ...
    @property
    def partners(self) -> PartnersPort: ...
    @property
    def notes(self) -> NotesPort: ...
    @property
    def scheduling(self) -> SchedulingPort: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...


__all__ = ["ReferralDocumentsPort", "ReferralViewsPort", "ReferralsPort"]
