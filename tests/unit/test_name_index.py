"""The search's index as written (issue 16, migration 0011): each name-prefix row carries the
patient's words, each prefix's count of patients is kept with the rows on every save of an
identity and after a bulk load, migration 0011 fills both for the patients already there, and
a count that drifted changes the work of a search, never what it finds."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, inspect, select, update

from app.demo.generator import DEMO_PASSWORD, create_demo
from app.models import PatientNamePrefix, PatientNamePrefixCount, PatientToken
from app.models.db import Database, _alembic_config
from app.services.patient_file.identity_checks import name_words
from app.services.patient_file.records import PatientInput


def _counts(database: Database) -> tuple[dict[str, int], dict[str, int]]:
    """The kept counts (zeros left out) and the counts of the rows themselves."""
    with database.session(write=False) as session:
        kept = dict(
            session.execute(
                select(PatientNamePrefixCount.prefix, PatientNamePrefixCount.patients).where(
                    PatientNamePrefixCount.patients != 0
                )
            ).all()
        )
        actual = dict(
            session.execute(
                select(PatientNamePrefix.prefix, func.count()).group_by(PatientNamePrefix.prefix)
            ).all()
        )
    return kept, actual


def _words(database: Database) -> dict[int, set[str]]:
    """Each patient's ``words`` (every row of a patient carries the same) against its tokens."""
    with database.session(write=False) as session:
        tokens: dict[int, list[str]] = {}
        for patient_id, token in session.execute(
            select(PatientToken.patient_id, PatientToken.token)
        ):
            tokens.setdefault(patient_id, []).append(token)
        stored: dict[int, set[str]] = {}
        for patient_id, words in session.execute(
            select(PatientNamePrefix.patient_id, PatientNamePrefix.words)
        ):
            stored.setdefault(patient_id, set()).add(words)
    assert all(stored[pid] == {name_words(words)} for pid, words in tokens.items())
    return stored


def _rename(services, team, patient_id: int, birth_name: str, first_names: str) -> None:
    record = services.patients.get(team.secretary, patient_id, audit_open=False)
    data = PatientInput(
        **{**record.as_input().__dict__, "birth_name": birth_name, "first_names": first_names}
    )
    services.patients.update(team.secretary, patient_id, data, record.version)


def test_counts_and_words_follow_every_save(services, team, make_patient, database):
    first = make_patient("Dupré-Lœuvre", "Marie Martine", sex="F")
    make_patient("Dupont", "Marc")
    kept, actual = _counts(database)
    assert kept == actual and kept["dup"] == 2 and kept["mar"] == 2
    assert _words(database)[first] == {" dupre loeuvre marie martine"}
    _rename(services, team, first, "Martin", "Anne")  # « dup… » lost, « mart » kept
    kept, actual = _counts(database)
    assert kept == actual and kept["dup"] == 1 and kept["martin"] == 1 and "loeuvre" not in kept
    assert _words(database)[first] == {" anne martin"}
    found = services.patients.search(team.secretary, "mart an").patients
    assert [p.id for p in found] == [first]
    assert services.patients.search(team.secretary, "dupr mar").patients == []


def test_a_bulk_load_counts_its_prefixes(services, database):
    create_demo(services, patients=150, notes_per_patient=0)
    kept, actual = _counts(database)
    assert kept == actual and sum(kept.values()) > 150
    _words(database)


def test_upgrade_to_0011_fills_words_and_counts(services, team, make_patient, database):
    make_patient("Dupré-Lœuvre", "Marie Martine", sex="F")
    make_patient("N'Diaye", "Jean-Pierre")
    make_patient("Martin", "Éloïse", sex="F")
    written = _words(database)
    config = _alembic_config(database.engine)
    command.downgrade(config, "0010")
    columns = {c["name"] for c in inspect(database.engine).get_columns("patient_name_prefix")}
    assert "words" not in columns
    assert not inspect(database.engine).has_table("patient_name_prefix_count")
    command.upgrade(config, "head")
    assert _words(database) == written
    kept, actual = _counts(database)
    assert kept == actual and kept["m"] == 2
    found = services.patients.search(team.secretary, "mar dup").patients
    assert [p.birth_name for p in found] == ["Dupré-Lœuvre"]


def test_drifted_counts_change_no_result(services, database):
    """The counts only choose which word is walked: wrong ones find the same patients."""
    create_demo(services, patients=120, notes_per_patient=0)
    secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
    queries = ["ma je", "le b", "e a l", "dupont marie", "m a", "a m", "jean pi"]

    def results() -> list[list[int]]:
        return [
            [p.id for p in services.patients.search(secretary, q, limit=500).patients]
            for q in queries
        ]

    before = results()
    assert any(before)
    count = PatientNamePrefixCount
    with database.session() as session:
        session.execute(update(count).values(patients=100_000 - func.length(count.prefix)))
    assert results() == before
    with database.session() as session:
        session.execute(count.__table__.delete())
    assert results() == before
