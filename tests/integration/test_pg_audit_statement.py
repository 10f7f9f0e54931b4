"""On PostgreSQL a unit of work's audit entries are inserted by the statement that moves the
chain head (one round trip on the clinic's network): counted with ``before_cursor_execute``,
as tests/unit/test_statement_budget.py does on SQLite, and the chain verified after."""

from __future__ import annotations

import pytest
from sql_statements import statements
from sqlalchemy import select
from unit_reuse import load_unit_module

from app.models import AuditEntry

pytestmark = pytest.mark.postgres

_budget = load_unit_module("test_statement_budget")
big_file = _budget.big_file
NOTES = _budget.NOTES


def _audit_writes(seen: list[str]) -> list[str]:
    flat = (" ".join(s.split()).upper() for s in seen)
    return [s for s in flat if "AUDIT_ENTRY" in s or "AUDIT_HEAD" in s]


def test_opening_a_file_adds_its_entries_with_the_heads_move(services, team, big_file):
    before = len(_budget._audit_rows(services))
    with statements(services) as seen:
        assert _budget._open_file(services, team.gp, big_file) == NOTES
    writes = _audit_writes(seen)
    # The head read and locked, then: WITH added AS (INSERT INTO audit_entry …) UPDATE …
    assert len(writes) == 2, writes
    assert writes[0].startswith("SELECT AUDIT_HEAD.SEQ") and "FOR UPDATE" in writes[0]
    assert writes[1].startswith("WITH ADDED AS (INSERT INTO AUDIT_ENTRY"), writes[1]
    assert "UPDATE AUDIT_HEAD" in writes[1]
    assert len(seen) <= 7, seen  # SQLite's eight, less the head's own update
    rows = _budget._audit_rows(services)[before:]
    assert [(r.action, r.compartment, r.detail) for r in rows] == [
        ("read", "administrative", ""),
        ("read", "medical", f"{NOTES - NOTES // 5} notes"),
        ("read", "liaison", f"{NOTES // 5} notes"),
    ]
    assert all(r.username == team.gp.username and r.at.tzinfo is not None for r in rows)
    assert _budget._chain_ok(services)


def test_many_entries_keep_their_order_and_chain(services, team, big_file):
    """A long unit of work (hundreds of entries, hostile details included): inserted in the
    order of the chain, every column as written, the chain intact."""
    count = 700
    before = len(_budget._audit_rows(services))
    with statements(services) as seen, services.db.session() as session:
        for n in range(count):
            services.audit.add(
                session,
                team.gp,
                "read",
                patient_id=big_file,
                detail=f"n° {n} « '; DROP TABLE audit_entry; -- » \u202e" + "é" * (n % 300),
            )
    assert sum("INSERT INTO AUDIT_ENTRY" in w for w in _audit_writes(seen)) == 1
    rows = _budget._audit_rows(services)[before:]
    assert len(rows) == count
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + count))
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert rows[5].detail == ("n° 5 « '; DROP TABLE audit_entry; -- » \u202e" + "é" * 5)[:300]
    assert _budget._chain_ok(services)
    with services.db.engine.connect() as conn:
        head = conn.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())).first()
    assert head.seq == rows[-1].seq
