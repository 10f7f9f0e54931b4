"""Builds the services for one database. Passed to views and commands (no global locator)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from app.models.base import utcnow
from app.models.db import Database
from app.services.audit import AuditWriter, Clock
from app.services.auth import AuthService
from app.services.clinic import ClinicService
from app.services.contents import ContentCodec
from app.services.notes import NoteService
from app.services.patients import PatientService
from app.services.storage import GuardedDatabase


@dataclass
class Services:
    db: Database
    clock: Clock
    audit: AuditWriter
    auth: AuthService
    clinic: ClinicService
    patients: PatientService
    notes: NoteService
    codec: ContentCodec

    @classmethod
    def build(
        cls,
        db: Database,
        *,
        clock: Clock = utcnow,
        hasher: PasswordHasher | None = None,
        codec: ContentCodec | None = None,
    ) -> Services:
        db = GuardedDatabase.wrap(db)
        audit = AuditWriter(db, clock)
        auth = AuthService(db, audit, clock, hasher)
        codec = codec or ContentCodec()
        return cls(
            db=db,
            clock=clock,
            audit=audit,
            auth=auth,
            clinic=ClinicService(db, audit, auth, clock),
            patients=PatientService(db, audit, clock),
            notes=NoteService(db, audit, codec, clock),
            codec=codec,
        )

    @classmethod
    def open(cls, url: str, **kwargs) -> Services:
        return cls.build(Database.open(url), **kwargs)
