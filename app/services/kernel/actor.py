"""The acting user of a service call (who is logged in, on which workstation)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from app.models.enums import Profession, Role

if TYPE_CHECKING:
    from app.services.security.keys import SessionKeys


def workstation_name() -> str:
    return socket.gethostname()[:100] or "poste inconnu"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: Role
    profession: Profession
    workstation: str = field(default_factory=workstation_name)
    logged_in_at: datetime | None = None
    # Compartment keys this session unwrapped at login (memory only; None: no key at all).
    keys: SessionKeys | None = field(default=None, compare=False, repr=False)


def system_actor(name: str = "relais-admin") -> Actor:
    """The headless administration tool, acting for the clinic's IT person (coordinator rights,
    no account of its own; audited under this name)."""
    return Actor(
        user_id=None,
        username=name,
        display_name="Administration (relais-admin)",
        role=Role.COORDINATOR,
        profession=Profession.COORDINATOR,
    )
