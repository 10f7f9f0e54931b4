"""The patients a user opened lately, newest first, for the search screen's empty state.

Read from the audit trail (each opening of a file is audited as « Consultation » of the
patient), so nothing new is stored. Only files the actor may still open are listed: the role
must read identities, and archived or purged files are left out, as in the search.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.clock import Clock
from app.models import AuditEntry, Patient
from app.models.db import Database
from app.models.enums import AuditOutcome
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.guard import Guard
from app.services.kernel.patient_rows import summary_columns, summary_of
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary

RECENT_LIMIT = 10
# Only this user's last openings are read, newest first, on the audit trail's index of a
# user's actions by kind (``ix_audit_entry_user_action_at``).
SCANNED_OPENINGS = 500


class RecentPatients:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._guard = Guard(db, audit)

    def recent(self, actor: Actor, limit: int = RECENT_LIMIT) -> list[PatientSummary]:
        """The last ``limit`` files ``actor`` opened, newest first; [] for a role without
        access to identities (nothing audited: the screen simply shows no list)."""
        if actor.user_id is None or limit <= 0:
            return []
        if not self._guard.allows(actor, Resource.ADMINISTRATIVE, Action.READ):
            return []
        latest = (
            select(AuditEntry.patient_id, AuditEntry.seq)
            .where(
                AuditEntry.user_id == actor.user_id,
                AuditEntry.action == str(AuditAction.READ),
                AuditEntry.object_type == "patient",
                AuditEntry.outcome == str(AuditOutcome.OK),
                AuditEntry.patient_id.is_not(None),
            )
            .order_by(AuditEntry.at.desc(), AuditEntry.seq.desc())
            .limit(SCANNED_OPENINGS)
            .subquery()
        )
        opened = (
            select(latest.c.patient_id, func.max(latest.c.seq).label("last_seq"))
            .group_by(latest.c.patient_id)
            .subquery()
        )
        stmt = (
            select(*summary_columns())
            .join(opened, opened.c.patient_id == Patient.id)
            .where(Patient.archived_at.is_(None))
            .order_by(opened.c.last_seq.desc())
            .limit(limit)
        )
        with self._db.session(write=False) as session:
            return [summary_of(row) for row in session.execute(stmt).all()]
