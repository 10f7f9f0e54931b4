"""Units of work that write take turns on PostgreSQL as they do on SQLite (issue 10 §5), and a
stale version the database finds anyway is the French conflict, never ``StaleDataError``."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select

from app.models import Note, Patient
from app.models import db as dbmod
from app.services.kernel.errors import ConflictError, NotFound, StorageError

pytestmark = pytest.mark.postgres


def _in_thread(work) -> tuple[threading.Thread, list]:
    results: list = []

    def run() -> None:
        try:
            results.append(work())
        except Exception as exc:  # reported by the test
            results.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_write_units_of_work_take_turns_and_readers_never_wait(database):
    order: list[str] = []

    def second_writer() -> str:
        with database.session() as session:
            session.scalar(select(1))
            order.append("second")
        return "ok"

    def reader() -> int:
        with database.session(write=False) as session:
            return session.scalar(select(1))

    with database.session() as first:
        first.scalar(select(1))
        writer, written = _in_thread(second_writer)
        writer.join(0.5)
        assert writer.is_alive() and order == []  # waits for the first writer
        reading, read = _in_thread(reader)
        reading.join(10)
        assert read == [1]  # a reader does not wait
        order.append("first")
    writer.join(10)
    assert written == ["ok"] and order == ["first", "second"]


def test_a_writer_busy_for_too_long_gives_the_french_storage_error(
    services, team, make_patient, database, db_state, monkeypatch
):
    patient_id = make_patient()
    monkeypatch.setattr(dbmod, "PG_LOCK_TIMEOUT_MS", 300)
    before = db_state()
    with database.session() as holder:
        holder.scalar(select(1))
        thread, results = _in_thread(
            lambda: services.notes.add(team.gp, patient_id, "medical", "Jamais écrite.")
        )
        thread.join(30)
    (error,) = results
    assert isinstance(error, StorageError)
    assert "base occupée trop longtemps" in error.message
    assert db_state() == before


def test_a_stale_version_met_by_an_unlocked_unit_of_work_is_the_french_conflict(
    services, make_patient, database, db_state
):
    """A unit of work marked read-only takes no lock: if it writes all the same, a concurrent
    save makes its UPDATE match no row — the French conflict, with both version numbers."""
    patient_id = make_patient()
    with pytest.raises(ConflictError) as info, services.db.session(write=False) as session:
        patient = session.get(Patient, patient_id)
        with database.session() as other:
            other.get(Patient, patient_id).city = "Rouen"
        patient.city = "Le Havre"
    assert info.value.object_label == "L'identité du patient"
    assert info.value.extra == {
        "object_type": "patient",
        "object_id": patient_id,
        "expected_version": 1,
        "current_version": 2,
    }
    with database.session(write=False) as session:
        assert session.get(Patient, patient_id).city == "Rouen"


def test_a_record_deleted_meanwhile_is_reported_as_gone(services, team, make_patient, database):
    patient_id = make_patient()
    note = services.notes.add(team.gp, patient_id, "medical", "Supprimée entre-temps.")
    with pytest.raises(NotFound) as info, services.db.session(write=False) as session:
        row = session.get(Note, note.id)
        with database.session() as other:
            other.execute(delete(Note).where(Note.id == note.id))
        row.content = b"P1:jamais"
    assert "supprimé pendant que vous travailliez" in info.value.message


def test_an_action_that_only_reads_takes_no_write_lock_and_its_audit_entries_still_chain(
    services, team, make_patient, database
):
    """Opening a file (an action of reads and their audit entries) does not wait for a writer
    on another workstation: on PostgreSQL the action takes the write lock only when a unit of
    work that writes starts in it; its audit entries chain behind the writer's."""
    patient_id = make_patient()
    services.notes.add(team.gp, patient_id, "medical", "Lue pendant une écriture.")
    with database.session() as writer:  # another workstation holds the write lock
        writer.scalar(select(1))

        def open_file() -> int:
            with services.user_action():
                services.patients.get(team.gp, patient_id)
                return len(services.notes.list(team.gp, patient_id, "medical"))

        thread, results = _in_thread(open_file)
        thread.join(10)
        assert not thread.is_alive() and results == [1]  # did not wait for the writer
    services.notes.add(team.gp, patient_id, "medical", "Écrite après.")
    assert services.audit_log.verify(team.coordinator).ok


def test_the_first_write_of_an_action_waits_for_the_lock_and_reads_the_rows_again(
    services, make_patient, database
):
    """A row read before the action held the lock is read again once it holds it: the write
    meets the version another workstation committed meanwhile (no lost update)."""
    patient_id = make_patient()
    with database.action():
        with database.session(write=False) as session:
            assert session.get(Patient, patient_id).city != "Rouen"
        # Another workstation saves meanwhile: the action holds no lock yet, it does not wait.
        done, results = _in_thread(lambda: _set_city(database, patient_id, "Rouen"))
        done.join(10)
        assert not done.is_alive() and results == [None]
        with database.session() as session:  # the action's first write: takes the lock
            patient = session.get(Patient, patient_id)
            assert patient.city == "Rouen" and patient.version == 2
            patient.city = "Le Havre"
    with database.session(write=False) as session:
        patient = session.get(Patient, patient_id)
        assert (patient.city, patient.version) == ("Le Havre", 3)


def _set_city(database, patient_id: int, city: str) -> None:
    with database.session() as session:
        session.get(Patient, patient_id).city = city
