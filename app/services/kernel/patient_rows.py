"""When a patient file was last worked on (retention counts from there)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Patient


def mark_activity(session: Session, patient_id: int, when: datetime) -> None:
    """Record activity on the file, in the caller's unit of work, with a plain ``UPDATE``:
    the identity's version, which guards concurrent edits of the identity, does not change,
    so a note saved by a GP never turns a secretary's identity edit into a conflict."""
    session.execute(
        update(Patient)
        .where(Patient.id == patient_id)
        .values(last_activity_at=when)
        .execution_options(synchronize_session=False)
    )
