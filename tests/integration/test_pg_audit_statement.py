"""On PostgreSQL a unit of work's audit entries are inserted by the statement that moves the
chain head (one round trip on the clinic's network): counted with ``before_cursor_execute``,
as tests/unit/test_statement_budget.py does on SQLite, and the chain verified after. An action
that only reads runs outside a transaction and appends by compare-and-swap: its misses (another
workstation appended between the head's read and the append) are made to happen here."""

from __future__ import annotations

import pytest
from at_once import at_once
from psycopg.pq import TransactionStatus
from sql_statements import statements
from sqlalchemy import event, select, text
from unit_reuse import load_unit_module

from app.container import Services, installation_id
from app.models import AuditEntry, Patient
from app.models.db import Database
from app.services.audit.anchor import read_stored_head
from app.services.audit.chain import verify
from app.services.audit.statements import FEW_ENTRIES
from app.services.audit.writer import CAS_ATTEMPTS
from app.services.security.secrets_store import AUDIT_HEAD, SERVICE

pytestmark = pytest.mark.postgres

_budget = load_unit_module("test_statement_budget")
big_file = _budget.big_file
NOTES = _budget.NOTES


def _audit_writes(seen: list[str]) -> list[str]:
    flat = (" ".join(s.split()).upper() for s in seen)
    return [s for s in flat if "AUDIT_ENTRY" in s or "AUDIT_HEAD" in s]


def _head_reads(seen: list[str]) -> list[str]:
    return [w for w in _audit_writes(seen) if w.startswith("SELECT AUDIT_HEAD.SEQ")]


def test_opening_a_file_adds_its_entries_with_the_heads_move(services, team, big_file):
    """After this workstation's own append (the file's notes were written here), the head
    it expects is the one it left: no statement reads it."""
    before = len(_budget._audit_rows(services))
    assert services.audit.last_head is not None
    with statements(services) as seen:
        assert _budget._open_file(services, team.gp, big_file) == NOTES
    writes = _audit_writes(seen)
    # The append that moves the head only if it is still the one expected: WITH moved AS
    # (UPDATE audit_head … RETURNING), added AS (INSERT … FROM moved) SELECT ….
    assert len(writes) == 1, writes
    assert writes[0].startswith("WITH MOVED AS (UPDATE AUDIT_HEAD"), writes[0]
    assert "ADDED AS (INSERT INTO AUDIT_ENTRY" in writes[0] and "FROM MOVED" in writes[0]
    # The patient, the two pages, the append: SQLite's eight, less BEGIN, the head's read,
    # its own update and COMMIT (no BEGIN or COMMIT is sent by the driver either).
    assert len(seen) == 4, seen
    rows = _budget._audit_rows(services)[before:]
    assert [(r.action, r.compartment, r.detail) for r in rows] == [
        ("read", "administrative", ""),
        ("read", "medical", f"{NOTES - NOTES // 5} notes"),
        ("read", "liaison", f"{NOTES // 5} notes"),
    ]
    assert all(r.username == team.gp.username and r.at.tzinfo is not None for r in rows)
    assert services.audit.last_head == (rows[-1].seq, rows[-1].mac)
    assert _budget._chain_ok(services)


def test_a_workstation_that_has_not_appended_yet_reads_the_head_first(
    services, team, big_file, other_workstation
):
    assert other_workstation.audit.last_head is None
    with statements(other_workstation) as seen:
        assert _budget._open_file(other_workstation, team.gp, big_file) == NOTES
    writes = _audit_writes(seen)
    # The installation's id too (the keyring's entry: read once per process).
    assert len(writes) == 2 and len(seen) == 6, "\n".join(s[:60] for s in seen)
    assert writes[0].startswith("SELECT AUDIT_HEAD.SEQ") and "FOR UPDATE" not in writes[0]
    assert writes[1].startswith("WITH MOVED AS (UPDATE AUDIT_HEAD"), writes[1]
    # Then it expects the head it left; the first workstation, which expected its own, misses
    # once and chains after the head its append found, without reading it on its own.
    with statements(other_workstation) as seen:
        _budget._open_file(other_workstation, team.gp, big_file)
    assert len(_audit_writes(seen)) == 1
    with statements(services) as seen:
        _budget._open_file(services, team.gp, big_file)
    writes = _audit_writes(seen)
    assert len(writes) == 2 and not _head_reads(seen), writes
    assert _budget._chain_ok(services)


@pytest.mark.parametrize("count", [1, FEW_ENTRIES, FEW_ENTRIES + 1, 700])
def test_many_entries_keep_their_order_and_chain(services, team, big_file, count):
    """A unit of work's entries, hostile details included, as plain parameters (a few) or
    arrays (more, up to hundreds): inserted by one statement in the order of the chain, every
    column as written, the chain intact."""

    def detail(n: int) -> str:
        return f"n° {n} « '; DROP TABLE audit_entry; -- » \u202e" + "é" * (n % 300)

    before = len(_budget._audit_rows(services))
    with statements(services) as seen, services.db.session() as session:
        for n in range(count):
            services.audit.add(session, team.gp, "read", patient_id=big_file, detail=detail(n))
    assert sum("INSERT INTO AUDIT_ENTRY" in w for w in _audit_writes(seen)) == 1
    rows = _budget._audit_rows(services)[before:]
    assert len(rows) == count
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + count))
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert [r.detail for r in rows] == [detail(n)[:300] for n in range(count)]
    assert {(r.action, r.patient_id, r.username) for r in rows} == {
        ("read", big_file, team.gp.username)
    }
    assert _budget._chain_ok(services)
    with services.db.engine.connect() as conn:
        head = conn.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())).first()
    assert head.seq == rows[-1].seq


def _transaction_status(services) -> TransactionStatus:
    """The driver's state of the connection of this thread's open action."""
    with services.db.reading() as session:
        return session.connection().connection.dbapi_connection.info.transaction_status


def test_an_action_begins_a_transaction_only_when_a_unit_of_work_needs_one(
    services, team, make_patient
):
    """Reads in an action are each their own transaction (no BEGIN, no COMMIT sent); the
    first unit of work that writes begins one with the write lock, and the action's entries
    then go in under the head's lock, with the write, committed together."""
    patient = make_patient()
    with services.user_action():
        services.patients.get(team.gp, patient)
        assert _transaction_status(services) is TransactionStatus.IDLE
        with statements(services) as seen:
            services.notes.add(team.gp, patient, "medical", "Écrite dans l'action.")
        assert _transaction_status(services) is TransactionStatus.INTRANS
        begin = " ".join(seen[0].split()).upper()
        assert begin.startswith("BEGIN; SELECT SET_CONFIG('LOCK_TIMEOUT'"), seen[0]
        assert "PG_ADVISORY_XACT_LOCK" in begin
    rows = _budget._audit_rows(services)
    assert [(r.action, r.compartment) for r in rows[-2:]] == [
        ("read", "administrative"),
        ("create", "medical"),
    ]
    assert _budget._chain_ok(services)


def test_a_failed_write_in_an_action_leaves_nothing_of_it(services, team, make_patient):
    """A write that fails after the action began its transaction is undone whole (its
    savepoint), the action's reads stay audited."""
    patient = make_patient()
    before = len(_budget._audit_rows(services))
    with services.user_action():
        services.patients.get(team.gp, patient)
        with pytest.raises(RuntimeError), services.db.session() as session:
            session.get(Patient, patient).city = "Rouen"
            session.flush()
            raise RuntimeError("interrompu")
    with services.db.session(write=False) as session:
        assert session.get(Patient, patient).city != "Rouen"
    rows = _budget._audit_rows(services)[before:]
    assert [(r.action, r.compartment) for r in rows] == [("read", "administrative")]
    assert _budget._chain_ok(services)


@pytest.fixture
def other_workstation(services, database):
    """Another workstation: its own engine on the same database, the same audit key."""
    other_db = Database.open(database.url)
    other = Services.build(other_db, clock=services.clock, hasher=None, kdf=None)
    other.audit.key = services.audit.key
    yield other
    other_db.dispose()


def _append_first(services, other, team, patient: int, times: int) -> list[str]:
    """Before each of this workstation's next ``times`` appends by compare-and-swap, the
    other workstation opens the file (and so moves the head): those appends miss."""
    tried: list[str] = []

    def meanwhile(_conn, _cursor, statement, *_rest) -> None:
        if statement.lstrip().upper().startswith("WITH MOVED AS"):
            tried.append(statement)
            if len(tried) <= times:
                with other.user_action():
                    other.patients.get(team.gp2, patient)

    event.listen(services.db.engine, "before_cursor_execute", meanwhile)
    return tried


def test_an_append_that_meets_another_workstations_is_chained_again(
    services, team, make_patient, other_workstation
):
    patient = make_patient()
    tried = _append_first(services, other_workstation, team, patient, times=1)
    before = len(_budget._audit_rows(services))
    with statements(services) as seen, services.user_action():
        services.patients.get(team.gp, patient)
    assert len(tried) == 2  # missed once, then appended after the other's entry
    assert not any("FOR UPDATE" in statement for statement in seen)
    assert not _head_reads(seen)  # the miss brought the head back
    rows = _budget._audit_rows(services)[before:]
    assert [r.username for r in rows] == [team.gp2.username, team.gp.username]
    assert [r.seq for r in rows] == [rows[0].seq, rows[0].seq + 1]
    assert _budget._chain_ok(services)


def test_after_repeated_misses_the_entries_go_in_under_the_heads_lock(
    services, team, make_patient, other_workstation
):
    patient = make_patient()
    tried = _append_first(services, other_workstation, team, patient, times=CAS_ATTEMPTS)
    before = len(_budget._audit_rows(services))
    with statements(services) as seen, services.user_action():
        services.patients.get(team.gp, patient)
    assert len(tried) == CAS_ATTEMPTS
    flat = [" ".join(s.split()).upper() for s in seen]
    assert "BEGIN" in flat
    locked = [s for s in flat if s.startswith("SELECT AUDIT_HEAD.SEQ") and "FOR UPDATE" in s]
    assert len(locked) == 1 and any(s.startswith("WITH ADDED AS") for s in flat)
    rows = _budget._audit_rows(services)[before:]
    assert [r.username for r in rows] == [team.gp2.username] * CAS_ATTEMPTS + [team.gp.username]
    assert _budget._chain_ok(services)


def test_two_workstations_opening_and_writing_at_once_keep_one_chain(
    services, team, make_patient, other_workstation
):
    """Real races: each workstation opens files (appends by compare-and-swap) and writes
    notes (appends under the lock) in a thread; every entry is in one valid chain."""
    patient = make_patient()
    before = len(_budget._audit_rows(services))

    def work(svc, actor, label: str) -> None:
        for n in range(20):
            with svc.user_action():
                svc.patients.get(actor, patient)
                svc.notes.list(actor, patient, "medical")
            if n % 4 == 0:
                svc.notes.add(actor, patient, "medical", f"{label} {n}")

    errors = at_once(
        lambda: work(services, team.gp, "A"), lambda: work(other_workstation, team.gp2, "B")
    )
    assert errors == []
    rows = _budget._audit_rows(services)[before:]
    # Per workstation: 20 × (identity, notes) and 5 notes written.
    assert len(rows) == 2 * (20 * 2 + 5)
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    assert _budget._chain_ok(services)


def _cut_tail(services, keep: int) -> None:
    """An intruder with write access deletes the trail after position ``keep`` and, unless
    ``keep`` is None, rewinds the head row to it."""
    with services.db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        conn.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": keep})
        mac = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == keep))
        conn.execute(text("UPDATE audit_head SET seq = :s, mac = :m"), {"s": keep, "m": mac})
        conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")


def _delete_tail(services, after: int) -> None:
    """The same intruder deletes the trail's end but leaves the head row as it was."""
    with services.db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        conn.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": after})
        conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")


@pytest.mark.parametrize("cut", [_cut_tail, _delete_tail], ids=["head rewound", "head left"])
def test_a_cut_trail_is_not_covered_up_by_reads_appended_by_compare_and_swap(
    services, team, make_patient, memory_keyring, cut
):
    """Reads appended outside a transaction, with the head this workstation expects, still
    check that the chain holds the head it kept: after the trail's end was cut, its kept
    head stays where it was, as evidence for ``verify``."""
    patient = make_patient()
    kept = _kept(memory_keyring, services)
    assert kept is not None and kept == services.audit.last_head and kept[0] > 5
    cut(services, kept[0] - 3)
    for _ in range(4):
        with services.user_action():
            services.patients.get(team.gp, patient)
    assert _kept(memory_keyring, services) == kept
    with services.db.engine.connect() as conn:
        report = verify(conn, services.audit.key, kept=read_stored_head(conn))
    assert not report.ok


def _kept(memory_keyring, services) -> tuple[int, str] | None:
    ident = installation_id(services.db)
    stored = memory_keyring.store.get((SERVICE, f"{ident}:{AUDIT_HEAD}"))
    return (int(stored.split()[0]), stored.split()[1]) if stored else None
