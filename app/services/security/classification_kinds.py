"""The kinds of the data classification: a column is sealed (under which key), readable (and
why it must stay readable), or a legacy clear column that new rows leave empty."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.services.security.sealed_fields import SealedFields


class Why(StrEnum):
    """Why a column stays readable (the table of docs/security.md groups by these)."""

    KEY = "row identity"
    LINK = "foreign key"
    SEARCH = "patient search and identity (every role finds and identifies the patient)"
    SCHEDULING = "scheduling (slots, times, places: the agenda and the booking)"
    STATUS = "workflow state (lists, inbox and reminders query it)"
    DATES = "dates (delays, reminders, retention, ordering)"
    STATISTICS = "coarse category for the statistics (never a reason or a detail)"
    CLINIC = "the clinic's organisation (staff, settings, partners directory): no patient"
    CONSENT = "consent checks (the services test it in SQL before sharing anything)"
    KEYS = "key material: public keys, or keys sealed to users and to the recovery key"
    AUDIT = "audit trail (who, what, when; never a content)"
    INTEGRITY = "integrity (version for concurrent edits, hash, size)"
    CIPHERTEXT = "ciphertext or hash"


@dataclass(frozen=True)
class Readable:
    """Stored as it is, with the reason it must stay readable."""

    why: Why
    note: str = ""


@dataclass(frozen=True)
class Sealed:
    """Encrypted (AES-256-GCM) under a data key: a sealing domain's key
    (``policy.KEY_DOMAINS``), a referral's own key (``record_keys``), or a user's password."""

    key: str  # "medical", "social", "liaison", "care", "administrative", "referral", "password"
    note: str = ""


@dataclass(frozen=True)
class Legacy:
    """A clear column of rows written before migration 0005, which new rows leave empty;
    ``relais-admin keys encrypt-existing`` seals what older rows hold and empties it."""

    key: str  # where its value lives now
    note: str = ""


def sealed_columns(spec: SealedFields) -> dict[str, Legacy | Sealed]:
    """A sealed-fields set (``sealed_fields.REGISTRY``): its sealed column, its legacy ones."""
    return {
        spec.column: Sealed(spec.domain, spec.why),
        **{name: Legacy(spec.domain) for name in spec.fields},
    }


R = Readable
KEY = R(Why.KEY)
LINK = R(Why.LINK)
WHEN = R(Why.DATES)
VERSION = R(Why.INTEGRITY)
