"""Errors raised by services. Each carries a French message a user can read as is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models.enums import Compartment
from app.services.kernel.records import COMPARTMENT_LABELS


class RelaisError(Exception):
    """Base class: ``message`` is French and shown to the user unchanged."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(RelaisError):
    """Bad input. ``fields`` maps a field name to its French message."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        lines = "\n".join(f"• {msg}" for msg in self.fields.values())
        super().__init__(f"Certaines informations sont incorrectes :\n{lines}")


class PermissionDenied(RelaisError):
    def __init__(self, message: str = "Vous n'avez pas accès à cette information.") -> None:
        super().__init__(message)


class NotFound(RelaisError):
    def __init__(self, message: str = "Élément introuvable : il a peut-être été supprimé.") -> None:
        super().__init__(message)


class AuthenticationError(RelaisError):
    pass


class AccountLocked(AuthenticationError):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            "Trop de tentatives de connexion pour ce compte. "
            f"Réessayez dans {_duration_fr(seconds)}."
        )


@dataclass
class ConflictError(RelaisError):
    """Someone else saved the same record meanwhile. Both versions are kept for the user."""

    object_label: str
    mine: Any
    theirs: Any
    theirs_by: str = ""
    theirs_at: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        who = f" ({self.theirs_by})" if self.theirs_by else ""
        super().__init__(
            f"{self.object_label} : quelqu'un d'autre{who} a enregistré une modification "
            "pendant que vous travailliez. Votre version n'a pas été enregistrée : "
            "comparez les deux versions avant de choisir."
        )


class SecondFactorRequired(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(
            "Saisissez le code à 6 chiffres affiché par votre application d'authentification "
            "(ou un code de secours)."
        )


class SecondFactorEnrolmentRequired(AuthenticationError):
    """The clinic requires a second factor and this account has none yet: enrol first."""

    def __init__(self, secret: str, uri: str) -> None:
        self.secret = secret
        self.uri = uri
        super().__init__(
            "La maison de santé exige une double authentification pour votre compte : "
            "enregistrez Relais dans votre application d'authentification (code QR), puis "
            "saisissez le code affiché."
        )


class SessionExpired(AuthenticationError):
    def __init__(self, hours: int) -> None:
        super().__init__(
            f"Votre session a dépassé {hours} heures : reconnectez-vous pour continuer."
        )


class StorageError(RelaisError):
    """The database could not be written (disk full, read-only, locked for too long)."""


# What a data key opens, for the messages (sealing domains beyond the four compartments).
KEY_LABELS: dict[str, str] = {
    **{str(c): f"du volet {label.lower()}" for c, label in COMPARTMENT_LABELS.items()},
    "care": "des soins à domicile et sorties d'hospitalisation",
    "referral": "de cette orientation",
}


class KeyUnavailable(RelaisError):
    """This session holds no key for the domain yet (not granted by a colleague)."""

    def __init__(self, compartment: Compartment | str) -> None:
        label = KEY_LABELS.get(str(compartment), str(compartment))
        super().__init__(
            f"La clé {label} n'est pas encore disponible pour votre compte. "
            "Elle vous sera transmise automatiquement dès qu'un(e) collègue habilité(e) se "
            "connectera (ou par la coordination avec la clé de secours)."
        )


def _duration_fr(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
