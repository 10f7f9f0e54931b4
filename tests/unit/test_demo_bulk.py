"""The demo's bulk load: rows written ahead or inside their transaction are the same, stored
as SQLAlchemy stores them, the chain stays whole, SQLite's settings come back, and a killed
generation leaves no file under the expected name."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from app.container import Services
from app.demo import patient_load
from app.demo.bulk import BulkLoad, BulkWriter, unsynced_commits
from app.demo.files import built_aside, partial_path
from app.demo.generator import create_demo
from app.demo.sealing import NoteSealer
from app.models import AuditEntry, Notification, Patient
from app.models.db import Database, sqlite_path
from app.models.enums import Compartment
from app.services.audit.chain import verify
from app.services.kernel.errors import RelaisError
from app.services.security import codec as codec_module
from tests.conftest import FAST_HASHER, FAST_KDF


def _other_services(path: Path, clock) -> Services:
    return Services.build(
        Database.open(f"sqlite:///{path}"), clock=clock, hasher=FAST_HASHER, kdf=FAST_KDF
    )


def _dump(path: Path, table: str, columns: str = "*") -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1").fetchall()


def _bulk_rows(path: Path) -> dict[str, list[tuple]]:
    """The generated rows as stored (note contents have random nonces: their length only)."""
    return {
        "patient": _dump(path, "patient"),
        "patient_token": _dump(path, "patient_token"),
        "patient_name_prefix": _dump(path, "patient_name_prefix"),
        "consent": _dump(path, "consent"),
        "note": _dump(
            path,
            "note",
            "id, patient_id, compartment, author_id, created_at, updated_at, updated_by_id, "
            "version, length(content)",
        ),
        "audit": _dump(
            path,
            "audit_entry",
            "seq, at, user_id, action, patient_id, compartment, object_type, object_id",
        ),
    }


def test_rows_written_ahead_equal_rows_written_in_their_transaction(
    services: Services, tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
):
    """SQLite writes chunks built ahead (ids and MACs computed before the write); other
    backends build each chunk inside its transaction: same seed, same rows."""
    monkeypatch.setattr(patient_load, "CHUNK_PATIENTS", 7)  # several chunks…
    monkeypatch.setattr(patient_load, "COMMIT_CHUNKS", 2)  # …and several transactions
    create_demo(services, patients=30, notes_per_patient=3, seed=11)
    monkeypatch.setattr(BulkLoad, "sqlite", property(lambda self: False))
    twin = _other_services(tmp_path / "inside.sqlite", clock)
    try:
        create_demo(twin, patients=30, notes_per_patient=3, seed=11)
        with twin.db.engine.connect() as conn:
            assert verify(conn, twin.audit.key).ok
    finally:
        twin.db.dispose()
    ahead = sqlite_path(services.db.url)
    assert ahead is not None
    inside = _bulk_rows(tmp_path / "inside.sqlite")
    assert len(inside["patient"]) == 30 and len(inside["note"]) == 90
    assert _bulk_rows(ahead) == inside
    with services.db.engine.connect() as conn:
        assert verify(conn, services.audit.key).ok


def test_bulk_dates_are_stored_as_sqlalchemy_stores_them(services: Services, team):
    user = team.secretary.user_id
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)  # no microseconds: still six digits
    paris = datetime(2025, 6, 1, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=2)))
    rows = [
        {"user_id": user, "kind": "reminder", "patient_id": None, "text": "a",
         "created_at": moment, "read_at": None},
        {"user_id": user, "kind": "reminder", "patient_id": None, "text": "b",
         "created_at": paris, "read_at": moment},
    ]  # fmt: skip
    table = Notification.__table__
    with BulkLoad(services.db.engine) as load:
        load.call(lambda writer: writer.insert(table, [dict(r) for r in rows]))
    with services.db.session() as session:
        session.execute(insert(table), [dict(r, text=r["text"] * 2) for r in rows])
    path = sqlite_path(services.db.url)
    assert path is not None
    stored = _dump(path, "notification", "text, created_at, read_at")
    stored = [row for row in stored if row[0] in ("a", "aa", "b", "bb")]
    by_text = {text: (created, read) for text, created, read in stored}
    assert by_text["a"] == by_text["aa"] == ("2025-01-02 03:04:05.000000", None)
    assert (
        by_text["b"]
        == by_text["bb"]
        == (
            "2025-06-01 10:00:00.000250",
            "2025-01-02 03:04:05.000000",
        )
    )
    with services.db.session(write=False) as session:
        read = session.scalars(
            select(Notification.created_at)
            .where(Notification.text.in_(("a", "b")))
            .order_by(Notification.text)
        ).all()
    assert read == [moment, paris]


def test_naive_dates_are_refused_in_bulk_too(services: Services, team):
    row = {"user_id": team.secretary.user_id, "kind": "reminder", "patient_id": None, "text": "a",
           "created_at": datetime(2025, 1, 2), "read_at": None}  # fmt: skip
    with pytest.raises(ValueError), BulkLoad(services.db.engine) as load:
        load.call(lambda writer: writer.insert(Notification.__table__, [row]))
    with services.db.session(write=False) as session:
        assert session.scalar(select(Notification.id).where(Notification.text == "a")) is None


def test_a_chunk_built_ahead_is_refused_when_the_database_moved(services: Services):
    create_demo(services, patients=3, notes_per_patient=1)
    with services.db.session(write=False) as session:
        entries = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    with pytest.raises(RelaisError) as error, BulkLoad(services.db.engine) as load:
        next_id, head = load.call(patient_load._start)
        # Another program appends an audit entry between two chunks…
        services.auth.login("sec.roux", "lanterne-cerisier-demo")
        load.submit(partial(patient_load._write_ahead, next_id, head, head, [], []))
    assert "modifiée par un autre programme" in error.value.message
    with services.db.session(write=False) as session:
        assert session.scalar(select(Patient.id).where(Patient.id >= next_id)) is None
        assert (
            session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
            > entries
        )


def test_sqlite_settings_are_restored_after_the_demo(services: Services):
    def settings(raw) -> tuple:
        return tuple(
            raw.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("synchronous", "foreign_keys", "cache_size", "journal_mode")
        )

    engine = services.db.engine
    with engine.connect() as conn:
        before = settings(conn.connection.driver_connection)
    assert before[:2] == (2, 1)  # FULL, foreign keys on
    create_demo(services, patients=5, notes_per_patient=2)
    # Every pooled connection (several at once: the bulk one among them) is as before.
    connections = [engine.connect() for _ in range(4)]
    try:
        for conn in connections:
            assert settings(conn.connection.driver_connection) == before
    finally:
        for conn in connections:
            conn.close()
    with unsynced_commits(engine), engine.connect() as conn:
        assert settings(conn.connection.driver_connection)[0] == 1  # NORMAL meanwhile
    with engine.connect() as conn:
        assert settings(conn.connection.driver_connection) == before


def test_bulk_writer_batches_are_whole(services: Services, team):
    table = Notification.__table__
    row = {"user_id": team.secretary.user_id, "kind": "reminder", "patient_id": None, "text": "x",
           "created_at": datetime(2025, 1, 2, tzinfo=UTC), "read_at": None}  # fmt: skip

    def half_then_fail(writer: BulkWriter) -> None:
        writer.insert(table, [dict(row)])
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError), BulkLoad(services.db.engine) as load:
        load.submit(lambda writer: writer.insert(table, [dict(row, text="kept")]))
        load.submit(half_then_fail)
        load.submit(lambda writer: writer.insert(table, [dict(row, text="dropped")]))
    with services.db.session(write=False) as session:
        texts = session.scalars(select(Notification.text)).all()
    assert "kept" in texts and "x" not in texts and "dropped" not in texts


def test_a_new_file_gets_its_name_only_once_complete(tmp_path: Path):
    target = tmp_path / "demo.sqlite"
    partial_path(target).write_bytes(b"left by a killed generation")
    with pytest.raises(KeyboardInterrupt), built_aside(target) as partial:
        assert not partial.exists()  # the stale one was removed
        db = Database.open(f"sqlite:///{partial}")
        db.dispose()
        raise KeyboardInterrupt  # Ctrl+C half-way
    assert not target.exists() and not partial_path(target).exists()

    with built_aside(target) as partial:
        db = Database.open(f"sqlite:///{partial}")
        db.dispose()
    assert target.exists() and not partial_path(target).exists()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)

    with pytest.raises(RelaisError), built_aside(target) as partial:
        Database.open(f"sqlite:///{partial}").dispose()  # the target exists meanwhile
    assert not partial_path(target).exists()


def test_steps_are_committed_together_and_rolled_back_together(services: Services, team):
    table = Notification.__table__
    row = {"user_id": team.secretary.user_id, "kind": "reminder", "patient_id": None,
           "text": "x", "created_at": datetime(2025, 1, 2, tzinfo=UTC),
           "read_at": None}  # fmt: skip

    def add(text: str):
        return lambda writer: writer.insert(table, [dict(row, text=text)])

    def fail(writer: BulkWriter) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError), BulkLoad(services.db.engine) as load:
        load.submit(add("first"), commit=False)
        load.submit(add("second"), commit=True)  # first and second committed here
        load.submit(add("third"), commit=False)
        load.submit(fail, commit=True)  # third goes with it
    with BulkLoad(services.db.engine) as load:
        load.submit(add("fourth"), commit=False)  # committed when the block ends well
    with services.db.session(write=False) as session:
        texts = set(session.scalars(select(Notification.text)))
    assert {"first", "second", "fourth"} <= texts
    assert "third" not in texts


def test_notes_sealed_in_bulk_open_with_the_codec(
    services: Services, team, monkeypatch: pytest.MonkeyPatch
):
    sealer = NoteSealer(services.codec)
    gp = team.gp
    blobs = [sealer.seal(gp, Compartment.MEDICAL, "Toux sèche.", context="patient:7") for _ in "ab"]
    assert blobs[0] != blobs[1]  # a nonce of its own each
    for blob in blobs:
        assert services.codec.open(gp, Compartment.MEDICAL, blob, context="patient:7") == (
            "Toux sèche."
        )
        with pytest.raises(RelaisError):  # bound to its patient
            services.codec.open(gp, Compartment.MEDICAL, blob, context="patient:8")
    assert sealer._keys[(gp.user_id, "medical")] is not None  # the bulk path was taken
    # A codec sealing otherwise (here: other associated data) is left to seal every note.
    monkeypatch.setattr(codec_module, "_aad", lambda c, context: f"v2:{c}:{context}".encode())
    other = NoteSealer(services.codec)
    blob = other.seal(gp, Compartment.MEDICAL, "Toux sèche.", context="patient:7")
    assert other._keys[(gp.user_id, "medical")] is None
    assert services.codec.open(gp, Compartment.MEDICAL, blob, context="patient:7") == "Toux sèche."
