"""Builds the services for one database. Passed to views and commands (no global locator)."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select

from app.clock import Clock, system_clock
from app.models import Clinic
from app.models.db import Database
from app.services.accounts.auth import AuthService
from app.services.accounts.capabilities import CapabilityService
from app.services.accounts.credentials import PasswordHashes
from app.services.accounts.management import AccountService
from app.services.accounts.second_factor import SecondFactorService
from app.services.audit.viewer import AuditLogService
from app.services.audit.writer import AuditWriter
from app.services.clinic.backup_manager import BackupManager
from app.services.clinic.settings import ClinicService
from app.services.demo_keys import DEMO_AUDIT_KEY
from app.services.home_care.discharge_plans import DischargeService
from app.services.home_care.documents import HomeCareDocumentService
from app.services.home_care.requests import HomeCareService
from app.services.inbox.service import InboxService
from app.services.kernel.changes import ChangeFeed
from app.services.kernel.unit_of_work import GuardedDatabase
from app.services.partners.service import PartnerService
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.consents import ConsentService
from app.services.patient_file.documents import DocumentService
from app.services.patient_file.identity import PatientService
from app.services.patient_file.notes import NoteService
from app.services.patient_file.overview import PatientFileService
from app.services.patient_file.recent import RecentPatients
from app.services.patient_file.retention import RetentionService
from app.services.referrals.documents import ReferralDocumentService
from app.services.referrals.service import ReferralService
from app.services.scheduling.service import SchedulingService
from app.services.security.codec import ContentCodec
from app.services.security.crypto import KdfParams
from app.services.security.keys import KeyService
from app.services.security.secrets_store import AUDIT_KEY, SecretStore
from app.services.social.consultations import SOURCE as SOCIAL_ACTIONS
from app.services.social.consultations import ConsultationService
from app.services.statistics.service import StatisticsService


@dataclass
class Services:
    db: Database
    clock: Clock
    audit: AuditWriter
    auth: AuthService
    accounts: AccountService
    clinic: ClinicService
    patients: PatientService
    notes: NoteService
    patient_file: PatientFileService
    codec: ContentCodec
    keys: KeyService
    exceptional: ExceptionalAccessService
    audit_log: AuditLogService
    documents: DocumentService
    retention: RetentionService
    inbox: InboxService
    backups: BackupManager
    consents: ConsentService
    partners: PartnerService
    referrals: ReferralService
    referral_documents: ReferralDocumentService
    consultations: ConsultationService
    scheduling: SchedulingService
    statistics: StatisticsService
    home_care: HomeCareService
    discharge: DischargeService
    home_care_documents: HomeCareDocumentService
    changes: ChangeFeed
    capabilities: CapabilityService
    recent_patients: RecentPatients

    @classmethod
    def build(
        cls,
        db: Database,
        *,
        clock: Clock = system_clock,
        hasher: PasswordHasher | None = None,
        codec: ContentCodec | None = None,
        kdf: KdfParams | None = None,
        audit_key: bytes | None = None,
    ) -> Services:
        db = GuardedDatabase.wrap(db)
        audit = AuditWriter(db, clock, audit_key if audit_key is not None else find_audit_key(db))
        keys = KeyService(audit, clock, kdf or KdfParams())
        passwords = PasswordHashes(hasher)
        second = SecondFactorService(clock, passwords.hasher)
        auth = AuthService(db, audit, clock, keys, passwords, second)
        accounts = AccountService(db, audit, clock, keys, passwords, second)
        codec = codec or ContentCodec()
        exceptional = ExceptionalAccessService(db, audit, clock, codec)
        notes = NoteService(db, audit, codec, clock, exceptional)
        consents = ConsentService(db, audit, clock)
        referrals = ReferralService(db, audit, codec, clock, keys.records)
        # Withdrawing (or refusing) consent cancels the referrals not yet received.
        consents.on_withdrawal.append(referrals.on_consent_withdrawn)
        documents = DocumentService(db, audit, codec, clock, auth, notes, exceptional, keys.records)
        inbox = InboxService(db, audit, clock, referrals)
        consultations = ConsultationService(db, audit, codec, clock)
        inbox.add_source(SOCIAL_ACTIONS, consultations)
        scheduling = SchedulingService(db, audit, clock, referrals, documents, codec)
        inbox.add_source("scheduling", scheduling)
        partners = PartnerService(db, audit, clock)
        home_care = HomeCareService(db, audit, clock, codec, partners)
        discharge = DischargeService(db, audit, clock, codec)
        inbox.add_source("home_care", home_care)
        inbox.add_source("discharge", discharge)
        return cls(
            db=db,
            clock=clock,
            audit=audit,
            keys=keys,
            auth=auth,
            accounts=accounts,
            clinic=ClinicService(db, audit, accounts, keys, clock),
            patients=PatientService(db, audit, clock),
            notes=notes,
            patient_file=PatientFileService(db, audit, exceptional),
            exceptional=exceptional,
            codec=codec,
            audit_log=AuditLogService(db, audit),
            documents=documents,
            retention=RetentionService(db, audit, clock),
            inbox=inbox,
            backups=BackupManager(db, audit, clock, keys),
            consents=consents,
            partners=partners,
            referrals=referrals,
            referral_documents=ReferralDocumentService(db, audit, clock, documents, referrals),
            consultations=consultations,
            scheduling=scheduling,
            statistics=StatisticsService(db, audit, clock),
            home_care=home_care,
            discharge=discharge,
            home_care_documents=HomeCareDocumentService(
                db, audit, clock, documents, home_care, discharge
            ),
            changes=ChangeFeed(db),
            capabilities=CapabilityService(),
            recent_patients=RecentPatients(db, audit, clock),
        )

    @classmethod
    def open(cls, url: str, **kwargs) -> Services:
        return cls.build(Database.open(url), **kwargs)

    def user_action(self) -> AbstractContextManager[None]:
        """One user action (opening a file, a tab…): the service calls made inside share one
        unit of work and commit once, their audit entries with them (``Database.action``)."""
        return self.db.action()


ENV_AUDIT_KEY = "RELAIS_AUDIT_KEY"


def installation_id(db: Database) -> str | None:
    with db.session(write=False) as session:
        row = session.scalar(select(Clinic.installation_id).limit(1))
    return row or None


def is_demo(db: Database) -> bool:
    with db.session(write=False) as session:
        return bool(session.scalar(select(Clinic.demo).limit(1)))


def find_audit_key(db: Database) -> bytes | None:
    """The audit key of this installation: OS keyring first, then ``RELAIS_AUDIT_KEY``, then,
    for a demo database only, the demo key.

    None means entries are written unsealed (the application says so and asks for the key).
    """
    ident = installation_id(db)
    text = SecretStore(ident).get(AUDIT_KEY) if ident else None
    text = text or os.environ.get(ENV_AUDIT_KEY, "").strip() or None
    if not text:
        return DEMO_AUDIT_KEY if ident and is_demo(db) else None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == 32 else None
