"""The user's inbox: notices addressed to them (exceptional access on their compartment, and
later referrals, feedback and reminders). Each user sees and marks only their own items."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.models import Notification, Patient
from app.models.db import Database
from app.models.enums import Sex
from app.services.actor import Actor
from app.services.audit import AuditWriter, Clock
from app.services.records import InboxItem, PatientSummary

MAX_ITEMS = 500


def _patient_name(row) -> str:
    """The patient's display name (notices name the patient; every role reads identity)."""
    if row.birth_name is None:
        return ""
    return PatientSummary(
        0, row.birth_name, row.used_name, row.first_names, Sex(row.sex), row.bd, None, ""
    ).display_name


class InboxService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock

    def items(self, actor: Actor, *, unread_only: bool = False) -> list[InboxItem]:
        """The actor's items, unread first, then newest first."""
        if actor.user_id is None:
            return []
        query = (
            select(
                Notification,
                Patient.birth_name,
                Patient.used_name,
                Patient.first_names,
                Patient.sex,
                Patient.birth_date.label("bd"),
            )
            .outerjoin(Patient, Patient.id == Notification.patient_id)
            .where(Notification.user_id == actor.user_id)
        )
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        query = query.order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        ).limit(MAX_ITEMS)
        with self._db.session(write=False) as session:
            rows = session.execute(query).all()
        return [
            InboxItem(
                id=row.Notification.id,
                kind=row.Notification.kind,
                text=row.Notification.text,
                created_at=row.Notification.created_at,
                read_at=row.Notification.read_at,
                patient_id=row.Notification.patient_id,
                patient_name=_patient_name(row),
            )
            for row in rows
        ]

    def unread_count(self, actor: Actor) -> int:
        if actor.user_id is None:
            return 0
        with self._db.session(write=False) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Notification)
                    .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
                )
                or 0
            )

    def mark_read(self, actor: Actor, ids: list[int]) -> int:
        """Mark these items read; ids of other users' items are ignored. Returns how many
        changed."""
        if actor.user_id is None or not ids:
            return 0
        with self._db.session() as session:
            result = session.execute(
                update(Notification)
                .where(
                    Notification.id.in_(set(ids)),
                    Notification.user_id == actor.user_id,
                    Notification.read_at.is_(None),
                )
                .values(read_at=self._clock())
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)
