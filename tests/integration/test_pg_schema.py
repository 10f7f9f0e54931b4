"""Migrations and the append-only audit trail on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from app.models.db import Database, current_revision, head_revision, migrate

pytestmark = pytest.mark.postgres


def test_empty_database_is_migrated_to_head(empty_pg_url):
    database = Database.open(empty_pg_url)
    try:
        assert database.dialect == "postgresql"
        assert database.engine.url.drivername == "postgresql+psycopg"
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"audit_entry", "clinic", "note", "patient", "patient_token", "user_account"} <= (
            tables
        )
        assert migrate(database.engine) is None  # re-open: nothing to do, no backup
    finally:
        database.dispose()
    again = Database.open(empty_pg_url)
    try:
        assert current_revision(again.engine) == head_revision()
    finally:
        again.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET outcome = 'ok'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ],
    ids=["update", "delete", "truncate"],
)
def test_audit_trail_is_append_only(services, team, database, audit_log, statement):
    before = [(r.id, r.action, r.outcome) for r in audit_log.rows()]
    assert before
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text(statement))
    assert [(r.id, r.action, r.outcome) for r in audit_log.rows()] == before
