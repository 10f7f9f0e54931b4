"""Migration 0008 (issue 16): ``patient_name_prefix`` filled from the name words of every
patient already there, the same rows as the identity service writes; down and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from app.models import Patient, PatientNamePrefix, PatientToken
from app.models.db import Database, _alembic_config
from app.services.patient_file.identity_checks import name_prefixes


def _prefix_rows(database: Database) -> set[tuple[str, str, int]]:
    with database.session(write=False) as session:
        rows = session.execute(
            select(
                PatientNamePrefix.prefix, PatientNamePrefix.sort_key, PatientNamePrefix.patient_id
            )
        ).all()
    return {tuple(row) for row in rows}


def _expected(database: Database) -> set[tuple[str, str, int]]:
    with database.session(write=False) as session:
        keys = dict(session.execute(select(Patient.id, Patient.sort_key)).all())
        words: dict[int, list[str]] = {}
        for patient_id, token in session.execute(
            select(PatientToken.patient_id, PatientToken.token)
        ):
            words.setdefault(patient_id, []).append(token)
    return {
        (prefix, keys[patient_id], patient_id)
        for patient_id, tokens in words.items()
        for prefix in name_prefixes(tokens)
    }


def test_upgrade_to_0008_fills_the_prefixes_of_existing_patients(
    services, team, make_patient, database
):
    make_patient("Dupré-Lœuvre", "Marie Martine")
    make_patient("N'Diaye", "Jean-Pierre", sex="M")
    make_patient("Martin", "Éloïse")
    written = _prefix_rows(database)
    assert written == _expected(database) and written  # what the identity service writes
    config = _alembic_config(database.engine)
    command.downgrade(config, "0007")
    assert not inspect(database.engine).has_table("patient_name_prefix")
    command.upgrade(config, "head")
    assert _prefix_rows(database) == written
    secretary = team.secretary
    found = services.patients.search(secretary, "mar dup").patients
    assert [p.birth_name for p in found] == ["Dupré-Lœuvre"]
