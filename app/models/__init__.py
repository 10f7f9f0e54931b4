"""Persistence layer: typed SQLAlchemy models, enums and database setup. No Qt here."""

from app.models.audit import AuditEntry, AuditHead
from app.models.base import Base
from app.models.clinic import Clinic
from app.models.consent import Consent
from app.models.document import Document
from app.models.enums import AuditOutcome, Compartment, IdentityStatus, Profession, Role, Sex
from app.models.home_care import DischargeFollowUp, DischargePlan, HomeCareEvent, HomeCareRequest
from app.models.note import Note
from app.models.partner import Partner, PartnerContact
from app.models.patient import Patient, PatientNamePrefix, PatientNamePrefixCount, PatientToken
from app.models.referral import Referral, ReferralEvent
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
    SessionException,
    WaitingListEntry,
)
from app.models.security import (
    CompartmentKey,
    ExceptionalAccess,
    KeyGrant,
    Notification,
    RecoveryCode,
    RecoveryKey,
    SecondFactor,
    UserKey,
)
from app.models.social import SocialAction, SocialAssessment
from app.models.user import User

__all__ = [
    "Appointment",
    "AuditEntry",
    "AuditHead",
    "AuditOutcome",
    "Base",
    "Clinic",
    "Compartment",
    "CompartmentKey",
    "Consent",
    "ConsultationSession",
    "DischargeFollowUp",
    "DischargePlan",
    "Document",
    "ExceptionalAccess",
    "HomeCareEvent",
    "HomeCareRequest",
    "IdentityStatus",
    "KeyGrant",
    "Note",
    "Notification",
    "Partner",
    "PartnerContact",
    "Patient",
    "PatientNamePrefix",
    "PatientNamePrefixCount",
    "PatientToken",
    "Profession",
    "RecoveryCode",
    "RecoveryKey",
    "Referral",
    "ReferralEvent",
    "Role",
    "SecondFactor",
    "SessionException",
    "Sex",
    "SocialAction",
    "SocialAssessment",
    "User",
    "UserKey",
    "WaitingListEntry",
]
