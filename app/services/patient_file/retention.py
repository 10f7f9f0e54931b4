"""Retention: files without activity for the clinic's period are listed, then archived.

The period is ``clinic.retention_years`` (default 5 years, CNIL guidance for medical
practices), counted from ``patient.last_activity_at`` (any change to identity, notes or
documents). Archiving sets ``archived_at``: the file leaves the search, and the services refuse
to change it (identity, notes) until the coordinator unarchives it. Coordination only (settings
write); each archived or unarchived file is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from app.clock import Clock
from app.i18n import _, ngettext
from app.models import Clinic, Patient
from app.models.db import Database
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, RelaisError, ValidationError
from app.services.kernel.guard import Guard
from app.services.kernel.patient_rows import summary_columns, summary_of
from app.services.kernel.policy import Action, Resource
from app.services.patient_file.records import RetentionCandidate

MAX_LIST = 5000
REFUSED = "Seule la coordination gère l'archivage des dossiers."


class ArchivingCancelled(RelaisError):
    """The user stopped the archiving: the unit of work rolled back, nothing was archived."""

    def __init__(self) -> None:
        super().__init__(_("Archivage annulé : aucun dossier n'a été archivé."))


def years_before(moment: datetime, years: int) -> datetime:
    """Same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


class RetentionService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._guard = Guard(db, audit)

    def _require(self, actor: Actor, action: str, patient_id: int | None = None) -> None:
        self._guard.require(
            actor,
            Resource.SETTINGS,
            Action.WRITE,
            action,
            message=REFUSED,
            patient_id=patient_id,
            object_type="patient",
        )

    def cutoff(self) -> datetime:
        """Files whose last activity is older than this instant are due for archiving."""
        with self._db.session(write=False) as session:
            clinic = session.scalar(select(Clinic).limit(1))
        return years_before(self._clock(), clinic.retention_years if clinic else 5)

    def candidates(self, actor: Actor, *, limit: int = 500) -> list[RetentionCandidate]:
        """Files not archived with no activity for the retention period, oldest first."""
        self._require(actor, AuditAction.ARCHIVE)
        cutoff = self.cutoff()
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(*summary_columns(), Patient.last_activity_at)
                .where(Patient.archived_at.is_(None), Patient.last_activity_at < cutoff)
                .order_by(Patient.last_activity_at, Patient.id)
                .limit(max(1, min(limit, MAX_LIST)))
            ).all()
        return [RetentionCandidate(summary_of(r), r.last_activity_at) for r in rows]

    def archived(self, actor: Actor, limit: int = 500) -> list[RetentionCandidate]:
        """Archived files, most recently archived first."""
        self._require(actor, AuditAction.ARCHIVE)
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(*summary_columns(), Patient.last_activity_at, Patient.archived_at)
                .where(Patient.archived_at.is_not(None))
                .order_by(Patient.archived_at.desc(), Patient.id.desc())
                .limit(max(1, min(limit, MAX_LIST)))
            ).all()
        return [RetentionCandidate(summary_of(r), r.last_activity_at, r.archived_at) for r in rows]

    def archive(
        self,
        actor: Actor,
        patient_ids: list[int],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Archive these files (those already archived are skipped); returns how many.

        A file that became active again since it was listed is refused: nothing is archived.
        ``progress(done, total)`` follows the files; when ``cancelled()`` turns true the whole
        unit of work is rolled back (``ArchivingCancelled``): nothing is archived.
        """
        self._require(actor, AuditAction.ARCHIVE)
        ids = sorted(set(patient_ids))
        if not ids:
            return 0
        cutoff = self.cutoff()
        now = self._clock()
        done = 0
        with self._db.session() as session:
            patients = {
                p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))
            }
            missing = [i for i in ids if i not in patients]
            if missing:
                raise NotFound(_("Un des dossiers à archiver n'existe plus."))
            recent = [p for p in patients.values() if p.archived_at is None]
            recent = [p for p in recent if p.last_activity_at >= cutoff]
            if recent:
                raise ValidationError(
                    {
                        "patient_ids": ngettext(
                            (
                                "{recent} dossier a eu une activité récente et ne peut pas "
                                "être archivé : actualisez la liste."
                            ),
                            (
                                "{recent} dossiers ont eu une activité récente et ne peuvent "
                                "pas être archivés : actualisez la liste."
                            ),
                            len(recent),
                        ).format(recent=len(recent))
                    }
                )
            for position, patient_id in enumerate(ids, start=1):
                if cancelled is not None and cancelled():
                    raise ArchivingCancelled()
                if progress is not None:
                    progress(position, len(ids))
                patient = patients[patient_id]
                if patient.archived_at is not None:
                    continue
                patient.archived_at = now
                done += 1
                self._audit.add(
                    session,
                    actor,
                    AuditAction.ARCHIVE,
                    patient_id=patient_id,
                    compartment=Compartment.ADMINISTRATIVE,
                    object_type="patient",
                    object_id=patient_id,
                )
            if cancelled is not None and cancelled():
                raise ArchivingCancelled()
        return done

    def unarchive(self, actor: Actor, patient_id: int) -> None:
        """Bring a file back into the daily lists (its activity starts anew)."""
        self._require(actor, AuditAction.UNARCHIVE, patient_id)
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            if patient.archived_at is None:
                return
            patient.archived_at = None
            patient.last_activity_at = self._clock()
            self._audit.add(
                session,
                actor,
                AuditAction.UNARCHIVE,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="patient",
                object_id=patient_id,
            )
