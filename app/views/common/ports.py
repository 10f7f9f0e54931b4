"""Narrow ports several features' views share (each maps to one container attribute)."""

from __future__ import annotations

from typing import Protocol

from app.services.kernel.actor import Actor
from app.services.partners.records import PartnerInfo, PartnerKind


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
