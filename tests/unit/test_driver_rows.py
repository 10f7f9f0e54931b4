"""``driver_rows``: a read on the driver's cursor gives what SQLAlchemy gives (types converted
both ways), is seen by the engine's statement listeners, and fails as SQLAlchemy fails (a lost
server connection is dropped from the pool). Re-run on PostgreSQL by
``tests/integration/test_pg_driver_rows.py``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import bindparam, event, literal, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.models import Patient
from app.models.driver_rows import driver_rows, pooled_rows
from app.services.kernel.errors import StorageError
from app.services.kernel.patient_rows import summary_columns

BORN = date(1948, 2, 29)


@pytest.fixture
def patients(services, team, make_patient) -> list[int]:
    return [
        make_patient(birth_name="Lefèvre", first_names="Anne Éléonore", birth_date="29/02/1948"),
        make_patient(birth_name="Durand", first_names="Paul", birth_date="01/01/1990"),
        make_patient(birth_name="Zoé", first_names="Ève", birth_date="29/02/1948"),
    ]


def _by_birth_date():
    return (
        select(*summary_columns())
        .where(Patient.birth_date == bindparam("born"))
        .order_by(Patient.sort_key, Patient.id)
        .limit(10)
    )


def test_rows_and_types_are_those_sqlalchemy_gives(database, patients):
    stmt = _by_birth_date()
    with database.engine.connect() as conn:
        through_sqlalchemy = [tuple(row) for row in conn.execute(stmt, {"born": BORN})]
        fast = driver_rows(conn, stmt, {"born": BORN})  # a date parameter, bound as SA binds it
    assert [tuple(row) for row in fast] == through_sqlalchemy
    assert len(fast) == 2
    assert all(type(row[5]) is date for row in fast)  # a date, not the SQLite text
    assert {row[0] for row in fast} == {patients[0], patients[2]}


def test_no_row_and_null_values(database, patients):
    stmt = select(Patient.id, Patient.archived_at, Patient.birth_date).where(
        Patient.id == bindparam("id")
    )
    with database.engine.connect() as conn:
        assert driver_rows(conn, stmt, {"id": -1}) == []
        ((found, archived, born),) = driver_rows(conn, stmt, {"id": patients[1]})
    assert (found, archived, born) == (patients[1], None, date(1990, 1, 1))


def test_the_engines_statement_listeners_see_the_read(database, patients):
    seen_before, seen_after = [], []

    def listen_before(_conn, _cursor, sql, parameters, _context, _many):
        seen_before.append((sql, parameters))

    def listen_after(_conn, _cursor, sql, _parameters, _context, _many):
        seen_after.append(sql)

    event.listen(database.engine, "before_cursor_execute", listen_before)
    event.listen(database.engine, "after_cursor_execute", listen_after)
    try:
        with database.engine.connect() as conn:
            driver_rows(conn, _by_birth_date(), {"born": BORN})
    finally:
        event.remove(database.engine, "before_cursor_execute", listen_before)
        event.remove(database.engine, "after_cursor_execute", listen_after)
    ((sql, parameters),) = seen_before
    assert "FROM patient" in sql and seen_after == [sql]
    # As the driver received them: the date as the dialect binds it, the LIMIT.
    values = list(parameters.values() if isinstance(parameters, dict) else parameters)
    assert 10 in values and (BORN in values or BORN.isoformat() in values)


def test_driver_errors_are_sqlalchemys(database, patients):
    stmt = select(literal(1).label("one")).where(Patient.id == bindparam("id"))
    with database.engine.connect() as conn:
        conn.exec_driver_sql("ALTER TABLE patient RENAME TO patient_gone")
        with pytest.raises((OperationalError, ProgrammingError)):
            driver_rows(conn, stmt, {"id": 1})
        conn.rollback()


def test_expanding_parameters_are_refused(database):
    stmt = select(Patient.id).where(Patient.id.in_(bindparam("ids", expanding=True)))
    with database.engine.connect() as conn, pytest.raises(ValueError):
        driver_rows(conn, stmt, {"ids": [1, 2]})


def test_a_failing_search_is_a_french_storage_error(services, team, database, patients):
    secretary = team.secretary
    assert services.patients.search(secretary, "lef").patients
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE patient_name_prefix")
    with pytest.raises(StorageError) as caught:
        services.patients.search(secretary, "lef")
    assert "Rien n'a été enregistré" in str(caught.value)


def test_pooled_rows_are_driver_rows_and_give_their_connection_back(database, patients):
    """The search's read (``pooled_rows``: a driver connection checked out for one statement,
    no ``Connection`` built) gives ``driver_rows``' rows, and gives its connection back to the
    pool, also when the statement fails."""
    stmt = _by_birth_date()
    pool = database.engine.pool
    with database.engine.connect() as conn:
        expected = driver_rows(conn, stmt, {"born": BORN})
    assert pooled_rows(database.engine, stmt, {"born": BORN}) == expected
    assert pool.checkedout() == 0
    failing = select(literal(1).label("one")).where(Patient.id == bindparam("id"))
    with database.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE patient RENAME TO patient_gone")
    with pytest.raises((OperationalError, ProgrammingError)):
        pooled_rows(database.engine, failing, {"id": 1})
    assert pool.checkedout() == 0


def test_the_engines_statement_listeners_see_the_pooled_read(database, patients):
    seen = []

    def listen(conn, _cursor, sql, _parameters, _context, _many):
        seen.append((conn, sql))

    event.listen(database.engine, "after_cursor_execute", listen)
    try:
        pooled_rows(database.engine, _by_birth_date(), {"born": BORN})
    finally:
        event.remove(database.engine, "after_cursor_execute", listen)
    ((conn, sql),) = seen
    assert conn is None and "FROM patient" in sql


def test_a_search_inside_an_action_sees_the_actions_changes(services, team, database, patients):
    """Inside a user action the search reads on the action's own connection: a patient the
    action created, not yet committed, is found; once the action (one done whole or not at
    all, as a batch) fails, it is gone."""
    from app.services.patient_file.records import PatientInput

    def created() -> None:
        services.patients.create(
            team.secretary,
            PatientInput(
                birth_name="Quennevilliers",
                first_names="Irène",
                sex="F",
                birth_date="02/03/1951",
            ),
        )

    with pytest.raises(RuntimeError), services.db.action(whole=True):
        created()
        found = services.patients.search(team.secretary, "quennev").patients
        assert [p.birth_name for p in found] == ["Quennevilliers"]
        raise RuntimeError("the action fails after the search")
    assert services.patients.search(team.secretary, "quennev").patients == []
