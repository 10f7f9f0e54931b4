"""Encrypted backup and restore of a PostgreSQL clinic (pg_dump/pg_restore), round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Base
from app.services.clinic.backup_files import BackupError
from app.services.patient_file.records import PatientInput

pytestmark = pytest.mark.postgres


def _state(db) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def test_pg_backup_verify_restore_round_trip(services, team, tmp_path: Path, clock):
    patient = services.patients.create(
        team.gp,
        PatientInput(birth_name="Serveur", first_names="Paul", sex="M", birth_date="01/02/1961"),
        confirm_duplicate=True,
    ).id
    services.notes.add(team.gp, patient, "medical", "Note sur PostgreSQL")
    before = _state(services.db)
    info = services.backups.create(team.coordinator, folder=tmp_path)
    assert info.dialect == "postgresql" and b"PGDMP" not in info.path.read_bytes()
    assert services.backups.verify(team.coordinator, info.path)["dialect"] == "postgresql"
    clock.advance(hours=1)
    services.notes.add(team.gp, patient, "medical", "Note écrite après la sauvegarde")
    result = services.backups.restore(info.path, actor=team.coordinator)
    assert result.previous is None
    after = _state(services.db)
    for table, rows in before.items():
        if table not in {"audit_entry", "audit_head"}:
            assert after[table] == rows, table
    assert after["audit_entry"][: len(before["audit_entry"])] == before["audit_entry"]
    texts = [n.text for n in services.notes.list(team.gp, patient, "medical")]
    assert texts == ["Note sur PostgreSQL"]
    # The append-only triggers came back with the schema.
    with pytest.raises(Exception, match="append-only"), services.db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_entry")
    # A tampered PostgreSQL backup is refused like a SQLite one.
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    info.path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="endommagée"):
        services.backups.restore(info.path)
