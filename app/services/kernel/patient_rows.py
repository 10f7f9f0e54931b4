"""The patient row as every feature needs it: its display name and summary, and when the
file was last worked on (retention counts from there)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Patient
from app.models.enums import Sex
from app.services.kernel.records import PatientSummary


def name_columns() -> tuple:
    """The columns :func:`display_name_of` reads."""
    return (
        Patient.id,
        Patient.birth_name,
        Patient.used_name,
        Patient.first_names,
        Patient.sex,
        Patient.birth_date,
    )


def summary_columns() -> tuple:
    """The columns :func:`summary_of` reads (a search, a list: no whole row loaded)."""
    return (*name_columns(), Patient.nir, Patient.city)


def summary_of(row) -> PatientSummary:
    """A patient row, or a row of :func:`summary_columns`, as a summary."""
    return PatientSummary(
        row.id,
        row.birth_name,
        row.used_name,
        row.first_names,
        Sex(row.sex),
        row.birth_date,
        row.nir,
        row.city,
    )


def display_name_of(row) -> str:
    """« NOM Prénoms (née …) » of a patient row, or of a row of :func:`name_columns`."""
    sex, born = Sex(row.sex), row.birth_date
    return PatientSummary(
        row.id, row.birth_name, row.used_name, row.first_names, sex, born, None, ""
    ).display_name


_tuple = tuple.__new__
_SEXES = {**{sex.value: sex for sex in Sex}, **{sex: sex for sex in Sex}}


def summaries_of(rows: Sequence[Sequence[Any]]) -> list[PatientSummary]:
    """Rows of :func:`summary_columns`, in that order, as summaries (the search's page: each
    tuple built from its row in one step, without a per-row attribute lookup)."""
    return [
        _tuple(PatientSummary, (i, birth, used, first, _SEXES[sex], born, nir, city))
        for i, birth, used, first, sex, born, nir, city in rows
    ]


def patient_name(p: Patient | None) -> str:
    """« NOM Prénoms (née …) » as lists and printed documents show it; "" for no patient."""
    return "" if p is None else display_name_of(p)


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
