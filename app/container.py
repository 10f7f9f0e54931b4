"""Builds the services for one database. Passed to views and commands (no global locator)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Generic, TypeVar, overload

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
from app.services.audit.writer import AuditWriter
from app.services.clinic.settings import ClinicService
from app.services.demo_keys import DEMO_AUDIT_KEY
from app.services.kernel.changes import ChangeFeed
from app.services.kernel.unit_of_work import GuardedDatabase
from app.services.security.codec import ContentCodec
from app.services.security.crypto import KdfParams
from app.services.security.keys import KeyService
from app.services.security.secrets_store import AUDIT_KEY, SecretStore

if TYPE_CHECKING:
    from app.services.audit.viewer import AuditLogService
    from app.services.clinic.backup_manager import BackupManager
    from app.services.home_care.discharge_plans import DischargeService
    from app.services.home_care.documents import HomeCareDocumentService
    from app.services.home_care.requests import HomeCareService
    from app.services.inbox.service import InboxService
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
    from app.services.social.consultations import ConsultationService
    from app.services.statistics.service import StatisticsService

T = TypeVar("T")


class built(Generic[T]):  # lower case: a decorator, like ``functools.cached_property``
    """A service built (and its module imported) at its first use, once, then kept.

    Like ``functools.cached_property``, with one re-entrant lock per container: a service built
    on the task runner while the window asks for it gets one instance, and a service whose
    construction needs another (the inbox and its sources) builds it under the same lock.
    """

    def __init__(self, factory: Callable[[Services], T]) -> None:
        self._factory = factory
        self._name = factory.__name__
        self.__doc__ = factory.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> built[T]: ...
    @overload
    def __get__(self, instance: Services, owner: type) -> T: ...
    def __get__(self, instance: Services | None, owner: type) -> T | built[T]:
        if instance is None:
            return self
        with instance._building:
            found = instance.__dict__.get(self._name, _MISSING)
            if found is _MISSING:
                found = instance.__dict__[self._name] = self._factory(instance)
        return found  # type: ignore[no-any-return]


_MISSING = object()


class Services:
    """Every service of one database, with its collaborators.

    What the login screen needs (accounts, clinic, keys, audit) is built with the container;
    the others, and their modules, at their first use: Relais shows its login screen before
    importing the features (the main window builds them while the user types, on the task
    runner: :meth:`build_all`).
    """

    db: Database
    clock: Clock
    audit: AuditWriter
    keys: KeyService
    codec: ContentCodec
    auth: AuthService
    accounts: AccountService
    clinic: ClinicService
    changes: ChangeFeed
    capabilities: CapabilityService

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditWriter,
        keys: KeyService,
        passwords: PasswordHashes,
        codec: ContentCodec,
    ) -> None:
        self._building = threading.RLock()
        self.db = db
        self.clock = clock
        self.audit = audit
        self.keys = keys
        self.codec = codec
        second = SecondFactorService(clock, passwords.hasher)
        self.auth = AuthService(db, audit, clock, keys, passwords, second)
        self.accounts = AccountService(db, audit, clock, keys, passwords, second)
        self.clinic = ClinicService(db, audit, self.accounts, keys, clock)
        self.changes = ChangeFeed(db)
        self.capabilities = CapabilityService()

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
        audit = AuditWriter(
            db, clock, audit_key, find_key=None if audit_key is not None else audit_key_finder(db)
        )
        keys = KeyService(audit, clock, kdf or KdfParams())
        return cls(db, clock, audit, keys, PasswordHashes(hasher), codec or ContentCodec())

    @classmethod
    def built_later(cls) -> tuple[str, ...]:
        """The services built at their first use (the others are built with the container)."""
        return tuple(name for name, value in vars(cls).items() if isinstance(value, built))

    def build_all(self) -> None:
        """Build every service now, imports included (the main window builds them one per
        turn of the event loop while its login screen waits: :meth:`built_later`)."""
        for name in self.built_later():
            getattr(self, name)

    # ---- the patient file ---------------------------------------------------------------
    @built
    def exceptional(self) -> ExceptionalAccessService:
        from app.services.patient_file.break_glass import ExceptionalAccessService

        return ExceptionalAccessService(self.db, self.audit, self.clock, self.codec)

    @built
    def notes(self) -> NoteService:
        from app.services.patient_file.notes import NoteService

        return NoteService(self.db, self.audit, self.codec, self.clock, self.exceptional)

    @built
    def patients(self) -> PatientService:
        from app.services.patient_file.identity import PatientService

        return PatientService(self.db, self.audit, self.clock)

    @built
    def patient_file(self) -> PatientFileService:
        from app.services.patient_file.overview import PatientFileService

        return PatientFileService(self.db, self.audit, self.exceptional)

    @built
    def consents(self) -> ConsentService:
        from app.services.patient_file.consents import ConsentService

        consents = ConsentService(self.db, self.audit, self.clock)
        # Withdrawing (or refusing) consent cancels the referrals not yet received.
        consents.on_withdrawal.append(self.referrals.on_consent_withdrawn)
        return consents

    @built
    def documents(self) -> DocumentService:
        from app.services.patient_file.documents import DocumentService

        return DocumentService(
            self.db, self.audit, self.codec, self.clock, self.auth, self.notes,
            self.exceptional, self.keys.records,
        )  # fmt: skip

    @built
    def retention(self) -> RetentionService:
        from app.services.patient_file.retention import RetentionService

        return RetentionService(self.db, self.audit, self.clock)

    @built
    def recent_patients(self) -> RecentPatients:
        from app.services.patient_file.recent import RecentPatients

        return RecentPatients(self.db, self.audit, self.clock)

    # ---- referrals, social follow-up, scheduling ----------------------------------------
    @built
    def referrals(self) -> ReferralService:
        from app.services.referrals.service import ReferralService

        return ReferralService(self.db, self.audit, self.codec, self.clock, self.keys.records)

    @built
    def referral_documents(self) -> ReferralDocumentService:
        from app.services.referrals.documents import ReferralDocumentService

        return ReferralDocumentService(
            self.db, self.audit, self.clock, self.documents, self.referrals
        )

    @built
    def consultations(self) -> ConsultationService:
        from app.services.social.consultations import ConsultationService

        return ConsultationService(self.db, self.audit, self.codec, self.clock)

    @built
    def scheduling(self) -> SchedulingService:
        from app.services.scheduling.service import SchedulingService

        return SchedulingService(
            self.db, self.audit, self.clock, self.referrals, self.documents, self.codec
        )

    # ---- home care and partners ---------------------------------------------------------
    @built
    def partners(self) -> PartnerService:
        from app.services.partners.service import PartnerService

        return PartnerService(self.db, self.audit, self.clock)

    @built
    def home_care(self) -> HomeCareService:
        from app.services.home_care.requests import HomeCareService

        return HomeCareService(self.db, self.audit, self.clock, self.codec, self.partners)

    @built
    def discharge(self) -> DischargeService:
        from app.services.home_care.discharge_plans import DischargeService

        return DischargeService(self.db, self.audit, self.clock, self.codec)

    @built
    def home_care_documents(self) -> HomeCareDocumentService:
        from app.services.home_care.documents import HomeCareDocumentService

        return HomeCareDocumentService(
            self.db, self.audit, self.clock, self.documents, self.home_care, self.discharge
        )

    # ---- the clinic ---------------------------------------------------------------------
    @built
    def inbox(self) -> InboxService:
        from app.services.inbox.service import InboxService
        from app.services.social.consultations import SOURCE as SOCIAL_ACTIONS

        inbox = InboxService(self.db, self.audit, self.clock, self.referrals)
        inbox.add_source(SOCIAL_ACTIONS, self.consultations)
        inbox.add_source("scheduling", self.scheduling)
        inbox.add_source("home_care", self.home_care)
        inbox.add_source("discharge", self.discharge)
        return inbox

    @built
    def audit_log(self) -> AuditLogService:
        from app.services.audit.viewer import AuditLogService

        return AuditLogService(self.db, self.audit)

    @built
    def backups(self) -> BackupManager:
        from app.services.clinic.backup_manager import BackupManager

        return BackupManager(self.db, self.audit, self.clock, self.keys)

    @built
    def statistics(self) -> StatisticsService:
        from app.services.statistics.service import StatisticsService

        return StatisticsService(self.db, self.audit, self.clock)

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
    return audit_key_finder(db)()


def audit_key_finder(db: Database) -> Callable[[], bytes | None]:
    """:func:`find_audit_key` in two steps: what the database says (read now), then the
    keyring's lookup (when the returned function is called: the audit writer calls it at the
    first use of the key, not while Relais starts)."""
    ident = installation_id(db)
    demo = bool(ident) and is_demo(db)

    def find() -> bytes | None:
        text = SecretStore(ident).get(AUDIT_KEY) if ident else None
        text = text or os.environ.get(ENV_AUDIT_KEY, "").strip() or None
        if not text:
            return DEMO_AUDIT_KEY if demo else None
        try:
            key = bytes.fromhex(text)
        except ValueError:
            return None
        return key if len(key) == 32 else None

    return find
