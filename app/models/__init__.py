"""Persistence layer: typed SQLAlchemy models, enums and database setup. No Qt here."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.clinic import Clinic
from app.models.enums import AuditOutcome, Compartment, IdentityStatus, Profession, Role, Sex
from app.models.note import Note
from app.models.patient import Patient, PatientToken
from app.models.user import User

__all__ = [
    "AuditEntry",
    "AuditOutcome",
    "Base",
    "Clinic",
    "Compartment",
    "IdentityStatus",
    "Note",
    "Patient",
    "PatientToken",
    "Profession",
    "Role",
    "Sex",
    "User",
]
