"""Schema migrations on PostgreSQL take an encrypted pg_dump backup first, and do not run
when it fails (issue 12)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from app import admin
from app.admin import common as admin_common
from app.models.db import Database, _alembic_config, current_revision, head_revision, make_engine
from app.services.clinic import backup_files as backup_module
from app.services.clinic.backup_files import BackupError, read_header
from app.services.clinic.pre_migration import backup_before_migration

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def old_pg_url(empty_pg_url: str) -> str:
    """A PostgreSQL database left at revision 0004 (one migration behind)."""
    engine = make_engine(empty_pg_url)
    command.upgrade(_alembic_config(engine), "0004")
    assert current_revision(engine) == "0004"
    engine.dispose()
    return empty_pg_url


def test_a_clinic_is_backed_up_encrypted_and_the_backup_verifies(services, team, tmp_path, clock):
    path = backup_before_migration(services.db.engine, clock, tmp_path / "sauvegardes")
    assert path is not None and path.parent == tmp_path / "sauvegardes"
    header = read_header(path)
    assert header["dialect"] == "postgresql" and header["revision"] == head_revision()
    assert set(header["wraps"]) == {"keyring", "recovery"}  # like every other backup
    assert b"PGDMP" not in path.read_bytes()  # encrypted, not a plain pg_dump
    services.backups.service.verify(path, services.backups.keys())


def test_migrating_calls_the_backup_first(old_pg_url):
    seen: list[str | None] = []

    def hook(engine):
        seen.append(current_revision(engine))  # before anything changed
        return None

    db = Database.open(old_pg_url, pg_backup=hook)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()
    assert seen == ["0004"]


def test_a_failed_backup_stops_the_migration(services, team, tmp_path, clock, monkeypatch):
    monkeypatch.setattr(backup_module.shutil, "which", lambda _name: None)
    monkeypatch.setattr(backup_module, "_pg_binary", lambda _name: None)
    with pytest.raises(BackupError, match="mise à jour de la base PostgreSQL est annulée"):
        backup_before_migration(services.db.engine, clock, tmp_path)


def test_a_failing_hook_leaves_the_schema_untouched(old_pg_url):
    def broken(_engine):
        raise BackupError("La mise à jour de la base PostgreSQL est annulée : pg_dump absent.")

    with pytest.raises(BackupError):
        Database.open(old_pg_url, pg_backup=broken)
    engine = make_engine(old_pg_url)
    try:
        assert current_revision(engine) == "0004"
        assert "appointment" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_relais_admin_backs_up_before_migrating(old_pg_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "etat"))
    calls: list[str | None] = []
    monkeypatch.setattr(
        admin_common, "pg_backup", lambda engine: calls.append(current_revision(engine)) or None
    )
    assert admin.main(["--database", old_pg_url, "init", "--migrate-only"]) == 0
    assert calls == ["0004"]
    monkeypatch.setattr(
        admin_common,
        "pg_backup",
        lambda engine: (_ for _ in ()).throw(
            BackupError("La mise à jour de la base PostgreSQL est annulée : essai.")
        ),
    )
    engine = make_engine(old_pg_url)
    command.downgrade(_alembic_config(engine), "0004")
    engine.dispose()
    assert admin.main(["--database", old_pg_url, "init", "--migrate-only"]) == 1
    assert "annulée" in capsys.readouterr().err
