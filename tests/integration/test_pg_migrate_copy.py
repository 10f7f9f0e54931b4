"""``relais-admin migrate-to-postgresql``: a whole SQLite clinic copied to an empty
PostgreSQL database, checked table by table, audit chain verified, SQLite file untouched."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text

from app import admin
from app.container import Services
from app.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo
from app.models import AuditEntry, Note, Patient
from app.models.db import Database
from app.services.security.crypto import KdfParams

pytestmark = [pytest.mark.postgres]
HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
KDF = KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1)
DEMO_PATIENTS = int(os.environ.get("RELAIS_MIGRATION_TEST_PATIENTS", "40"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_file(tmp_path: Path, clock) -> Path:
    path = tmp_path / "relais-demo.sqlite"
    db = Database.open(f"sqlite:///{path}")
    services = Services.build(db, clock=clock, hasher=HASHER, kdf=KDF)
    create_demo(services, patients=DEMO_PATIENTS, notes_per_patient=3)
    db.dispose()
    return path


def counts(url: str) -> dict[str, int]:
    db = Database.open(url, upgrade=False)
    try:
        with db.engine.connect() as conn:
            return {
                "patients": conn.scalar(select(func.count()).select_from(Patient)),
                "notes": conn.scalar(select(func.count()).select_from(Note)),
                "audit": conn.scalar(select(func.count()).select_from(AuditEntry)),
            }
    finally:
        db.dispose()


def test_a_demo_clinic_moves_to_postgresql_identical(demo_file, empty_pg_url, capsys, clock):
    before = sha256(demo_file)
    source = counts(f"sqlite:///{demo_file}")
    code = admin.main(["migrate-to-postgresql", "--de", str(demo_file), "--vers", empty_pg_url])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "identiques" in out.out and "n'a pas été modifiée" in out.out
    assert "Journal d'audit de la copie" in out.out
    assert sha256(demo_file) == before  # the SQLite file untouched
    assert counts(empty_pg_url) == source and source["patients"] >= DEMO_PATIENTS
    # The copy is a working clinic: a demo account logs in, new rows get fresh ids.
    services = Services.build(Database.open(empty_pg_url), clock=clock, hasher=HASHER, kdf=KDF)
    try:
        gp = next(a for a in DEMO_ACCOUNTS if a.role == "gp")
        actor = services.auth.login(gp.username, DEMO_PASSWORD)
        found = services.patients.search(actor, "a")
        assert found
        with services.db.engine.connect() as conn:
            assert (
                conn.scalar(text("SELECT nextval(pg_get_serial_sequence('patient', 'id'))"))
                > (source["patients"])
            )
            # Vacuumed and analysed by the copy itself (not left to autovacuum): the planner
            # knows the tables from the first query on, index-only walks stay in the index.
            done = text(
                "SELECT relname FROM pg_stat_user_tables "
                "WHERE last_analyze IS NOT NULL AND last_vacuum IS NOT NULL"
            )
            assert {"patient", "patient_name_prefix"} <= set(conn.scalars(done))
    finally:
        services.db.dispose()
    # A second run meets a non-empty target: refused, nothing touched.
    code = admin.main(["migrate-to-postgresql", "--de", str(demo_file), "--vers", empty_pg_url])
    assert code == 1
    assert "n'est pas vide" in capsys.readouterr().err
    after = counts(empty_pg_url)
    assert after["patients"] == source["patients"] and after["notes"] == source["notes"]


def test_refuses_a_target_that_is_not_postgresql(demo_file, tmp_path, capsys):
    code = admin.main(
        ["migrate-to-postgresql", "--de", str(demo_file), "--vers", f"sqlite:///{tmp_path}/x.db"]
    )
    assert code == 1
    assert "PostgreSQL" in capsys.readouterr().err


@pytest.mark.slow
def test_a_10000_patient_demo_moves_identical(tmp_path, clock, empty_pg_url, capsys):
    """The issue's size (about 30 s here): counts, every table's digest, audit verify."""
    path = tmp_path / "grande.sqlite"
    db = Database.open(f"sqlite:///{path}")
    create_demo(
        Services.build(db, clock=clock, hasher=HASHER, kdf=KDF),
        patients=10_000,
        notes_per_patient=3,
    )
    db.dispose()
    before = sha256(path)
    code = admin.main(["migrate-to-postgresql", "--de", str(path), "--vers", empty_pg_url])
    assert code == 0, capsys.readouterr().err
    assert sha256(path) == before
    assert counts(empty_pg_url) == counts(f"sqlite:///{path}")
