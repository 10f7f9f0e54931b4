"""What an actor's role lets them reach in the window, asked once per session by the shell.

The views never read the policy table themselves: the menu bar, the header buttons and the
search screen show or disable their entries from this summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import Compartment
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.policy import Action, Resource


@dataclass(frozen=True)
class Capabilities:
    """One role's reach, by screen or action of the window."""

    search_patients: bool
    create_patients: bool
    write_notes: bool
    refer: bool
    referral_inbox: bool
    agenda: bool
    book: bool
    statistics: bool
    partners: bool
    audit: bool
    accounts: bool
    settings: bool


class CapabilityService:
    """Stateless: the policy table, read for one actor."""

    def of(self, actor: Actor) -> Capabilities:
        role = actor.role

        def allows(resource: Resource, action: Action, *, is_party: bool = False) -> bool:
            return policy.allows(role, resource, action, is_party=is_party)

        notes = [c for c in policy.writable_compartments(role) if c != Compartment.ADMINISTRATIVE]
        return Capabilities(
            search_patients=allows(Resource.ADMINISTRATIVE, Action.READ),
            create_patients=allows(Resource.ADMINISTRATIVE, Action.WRITE),
            write_notes=bool(notes),
            refer=allows(Resource.REFERRAL_CONTENT, Action.WRITE, is_party=True),
            referral_inbox=allows(Resource.REFERRAL, Action.WRITE),
            agenda=allows(Resource.APPOINTMENT, Action.READ),
            book=allows(Resource.APPOINTMENT, Action.WRITE)
            or allows(Resource.REFERRAL, Action.WRITE),
            statistics=allows(Resource.STATISTICS, Action.READ),
            partners=allows(Resource.PARTNERS, Action.READ),
            audit=allows(Resource.AUDIT, Action.READ),
            accounts=allows(Resource.ACCOUNTS, Action.WRITE),
            settings=allows(Resource.SETTINGS, Action.WRITE),
        )
