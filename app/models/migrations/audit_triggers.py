"""Append-only triggers on ``audit_entry``, shared by the migrations that must drop and
re-create them (SQLite drops a table's triggers when batch mode rebuilds the table).

Frozen once released: a later change of behaviour gets new functions, not edits here.
"""

from __future__ import annotations

from alembic import op

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
)

POSTGRES_TRIGGERS = (
    "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$",
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
    "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()",
)


def create() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def drop() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
