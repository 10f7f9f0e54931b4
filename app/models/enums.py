"""Enumerations shared by models, services and views (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    GP = "gp"
    SOCIAL_WORKER = "social_worker"
    PARAMEDICAL = "paramedical"
    SECRETARY = "secretary"
    COORDINATOR = "coordinator"


class Profession(StrEnum):
    """Precise profession, needed for paramedical staff (and printed on documents)."""

    GENERAL_PRACTITIONER = "general_practitioner"
    SOCIAL_WORKER = "social_worker"
    NURSE = "nurse"
    PHYSIOTHERAPIST = "physiotherapist"
    MIDWIFE = "midwife"
    SECRETARY = "secretary"
    COORDINATOR = "coordinator"


class Compartment(StrEnum):
    ADMINISTRATIVE = "administrative"
    MEDICAL = "medical"
    SOCIAL = "social"
    LIAISON = "liaison"


class Sex(StrEnum):
    """INS sex trait: F, M, or I (indéterminé)."""

    FEMALE = "F"
    MALE = "M"
    UNDETERMINED = "I"


class IdentityStatus(StrEnum):
    PROVISIONAL = "provisional"
    VALIDATED = "validated"


class IdentityDocument(StrEnum):
    NATIONAL_ID_CARD = "national_id_card"
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"
    BIRTH_CERTIFICATE = "birth_certificate"


class AuditOutcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"
    FAILED = "failed"
