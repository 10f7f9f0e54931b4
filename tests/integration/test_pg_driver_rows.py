"""``driver_rows`` on PostgreSQL: the unit tests re-run (types, listeners, errors), and a
server connection lost under the pool is dropped, so the next keystroke works (the failing
keystroke gets the French storage error, as on SQLite a damaged file does)."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

from app.models.driver_rows import driver_rows
from app.models.plain_reads import plain_reads_engine
from app.services.kernel.errors import StorageError

pytestmark = pytest.mark.postgres

_unit = load_unit_module("test_driver_rows")
patients = _unit.patients
test_rows_and_types_are_those_sqlalchemy_gives = (
    _unit.test_rows_and_types_are_those_sqlalchemy_gives
)
test_no_row_and_null_values = _unit.test_no_row_and_null_values
test_the_engines_statement_listeners_see_the_read = (
    _unit.test_the_engines_statement_listeners_see_the_read
)
test_driver_errors_are_sqlalchemys = _unit.test_driver_errors_are_sqlalchemys
test_expanding_parameters_are_refused = _unit.test_expanding_parameters_are_refused
test_pooled_rows_are_driver_rows_and_give_their_connection_back = (
    _unit.test_pooled_rows_are_driver_rows_and_give_their_connection_back
)
test_the_engines_statement_listeners_see_the_pooled_read = (
    _unit.test_the_engines_statement_listeners_see_the_pooled_read
)
test_a_search_inside_an_action_sees_the_actions_changes = (
    _unit.test_a_search_inside_an_action_sees_the_actions_changes
)


def test_a_lost_connection_is_replaced_after_one_refused_keystroke(
    services, team, patients, pg_server, pg_database_name
):
    secretary = team.secretary
    assert services.patients.search(secretary, "lef").patients
    with plain_reads_engine(services.db.engine).connect() as conn:  # the search's pool
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with pg_server.admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    outcomes = []
    for _ in range(3):  # the pooled connection that was cut fails once, then is replaced
        try:
            outcomes.append(bool(services.patients.search(secretary, "lef").patients))
        except StorageError:
            outcomes.append(None)
    assert outcomes == [None, True, True], outcomes


def test_a_page_of_notes_reads_as_sqlalchemy_reads_it(services, team, patients):
    """PostgreSQL's binary rows (``driver_rows``' cursor): the sealed contents as bytes, the
    instants in UTC, the names as text, the same values as SQLAlchemy's text rows."""
    from datetime import UTC

    from app.services.patient_file.note_pages import ALL, page_of

    for text in ("Note « un »\u00a0: 10 % — ok", "x" * 5000, "ligne\nsuivante\t\u0301"):
        services.notes.add(team.gp, patients[0], "medical", text)
    stmt = page_of(ALL, None, 0)
    params = {"patient": patients[0], "compartment": "medical", "me": team.gp.user_id}
    with services.db.engine.connect() as conn:
        through_sqlalchemy = [tuple(row) for row in conn.execute(stmt, params)]
        fast = driver_rows(conn, stmt, params)
    assert [tuple(row) for row in fast] == through_sqlalchemy
    assert len(fast) == 3
    for row in fast:
        assert type(row[4]) is bytes and row[2].tzinfo is UTC and row[3].tzinfo is UTC
    texts = {n.text for n in services.notes.list(team.gp, patients[0], "medical")}
    assert len(texts) == 3 and "Note « un »\u00a0: 10 % — ok" in texts  # decrypted whole
    assert max(len(t) for t in texts) == 5000
