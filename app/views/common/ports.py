"""Narrow ports several features' views share (each maps to one container attribute)."""

from __future__ import annotations

from typing import Protocol

from app.services.kernel.actor import Actor
from app.services.kernel.records import GeneratedDocument
from app.services.partners.records import PartnerInfo, PartnerKind
from app.services.patient_file.records import ConsentScope


class PartnerListPort(Protocol):
    """The partners directory as a list to choose from (``services.partners``)."""

    def list(
        self,
        actor: Actor,
        *,
        kind: PartnerKind | str | None = None,
        commune: str | None = None,
        query: str | None = None,
        include_inactive: bool = False,
    ) -> list[PartnerInfo]: ...


class ConsentFormPort(Protocol):
    """The printed consent form (``services.referral_documents``)."""

    def consent_form(
        self,
        actor: Actor,
        patient_id: int,
        scope: ConsentScope | str,
        partner_id: int | None = None,
    ) -> GeneratedDocument: ...
