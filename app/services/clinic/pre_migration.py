"""The backup taken before a schema migration on PostgreSQL (SQLite's is in ``app.models.db``).

``pg_dump`` of the whole database, encrypted like every other backup (``BackupService``: under
the workstation's backup key and the clinic's recovery public key), written to the clinic's
backup folder before Alembic touches anything. It reads the database with plain SQL, because
the schema is, by definition, older than the models. Any failure raises ``BackupError``
(French) and the migration does not run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from app.clock import system_clock
from app.models.db import current_revision, data_dir
from app.services.clinic.backup_files import BackupError, BackupKeys, BackupService
from app.services.clinic.backup_manager import BACKUP_FOLDER_NAME
from app.services.security.secrets_store import BACKUP_KEY, SecretStore


def _scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _keys(engine: Engine, installation: str | None) -> BackupKeys:
    backup_key = SecretStore(installation).key_bytes(BACKUP_KEY) if installation else None
    tables = set(inspect(engine).get_table_names())
    public = None
    if "recovery_key" in tables:
        public = _scalar(engine, "SELECT public_key FROM recovery_key ORDER BY id DESC LIMIT 1")
    return BackupKeys(backup_key, bytes(public) if public else None)


def backup_before_migration(
    engine: Engine, clock: Callable[[], datetime], folder: Path | None = None
) -> Path | None:
    """An encrypted ``pg_dump`` of the database as it is now; its path (None: no clinic
    installed yet, nothing to lose). Raises BackupError."""
    tables = set(inspect(engine).get_table_names())
    installation = backup_dir = None
    if "clinic" in tables:
        columns = {c["name"] for c in inspect(engine).get_columns("clinic")}
        if "installation_id" in columns:
            installation = _scalar(engine, "SELECT installation_id FROM clinic LIMIT 1")
        if "backup_dir" in columns:
            backup_dir = _scalar(engine, "SELECT backup_dir FROM clinic LIMIT 1")
    if not installation:
        return None  # a schema without a clinic: nothing to back up
    if folder is None:
        folder = (
            Path(str(backup_dir)).expanduser() if backup_dir else data_dir() / BACKUP_FOLDER_NAME
        )
    keys = _keys(engine, str(installation) if installation else None)
    try:
        info = BackupService(engine.url, clock).create(
            folder,
            keys,
            revision=current_revision(engine),
            installation_id=str(installation) if installation else None,
        )
    except BackupError as exc:
        raise BackupError(
            "La mise à jour de la base PostgreSQL est annulée : la sauvegarde préalable "
            f"(pg_dump) a échoué. {exc.message} Rien n'a été modifié."
        ) from exc
    return info.path


def pg_backup(engine: Engine) -> Path | None:
    """The hook ``app.models.db.migrate`` calls before migrating a PostgreSQL database."""
    return backup_before_migration(engine, system_clock)
