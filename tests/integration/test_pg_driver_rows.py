"""``driver_rows`` on PostgreSQL: the unit tests re-run (types, listeners, errors), and a
server connection lost under the pool is dropped, so the next keystroke works (the failing
keystroke gets the French storage error, as on SQLite a damaged file does)."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

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


def test_a_lost_connection_is_replaced_after_one_refused_keystroke(
    services, team, patients, pg_server, pg_database_name
):
    secretary = team.secretary
    assert services.patients.search(secretary, "lef").patients
    with services.db.plain_reads() as conn:  # the search's pooled connection
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
