"""Backups as the application and ``relais-admin`` use them (``services.clinic.backup_manager``).

Glue between :class:`~app.services.clinic.backup_files.BackupService` (file format, SQLite
online backup, pg_dump/pg_restore) and the installation: where backups go (the clinic's
``backup_dir``, else ``<user-data>/sauvegardes``), which keys seal them (the workstation's
backup key in the OS keyring — created on first use — and the clinic's recovery public key),
who may make them (coordination), the audit trail, and the schedule (on exit and daily,
keeping the clinic's
``backup_keep`` most recent files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.clock import Clock
from app.i18n import _
from app.models import Clinic
from app.models.db import Database, current_revision, data_dir
from app.models.enums import AuditOutcome
from app.services.audit.anchor import forget_stored_head
from app.services.audit.writer import AuditWriter
from app.services.clinic.backup_files import (
    BackupCancelled,
    BackupError,
    BackupInfo,
    BackupKeys,
    BackupService,
    Progress,
    backup_time,
    read_header,
)
from app.services.demo_keys import DEMO_BACKUP_KEY
from app.services.kernel import logs
from app.services.kernel.actor import Actor
from app.services.kernel.guard import Guard
from app.services.kernel.policy import Action, Resource
from app.services.security.keys import KeyService, parse_recovery_key
from app.services.security.secrets_store import BACKUP_KEY, KeyringUnavailable, SecretStore

BACKUP_FOLDER_NAME = "sauvegardes"
_log = logs.get("backup")


@dataclass(frozen=True)
class BackupEntry:
    """A backup file in the backup folder (``relais-admin backup list``, the settings view)."""

    path: Path
    created_at: object  # datetime | None (from the file name)
    size: int


@dataclass(frozen=True)
class RestoreResult:
    previous: Path | None  # where the database in place before the restore was kept (SQLite)
    header: dict


class BackupManager:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        keys: KeyService,
        *,
        secret_store: Callable[[str], SecretStore] = SecretStore,
        user_data: Callable[[], Path] = data_dir,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._keys = keys
        self._secret_store = secret_store
        self._user_data = user_data
        self._guard = Guard(db, audit)
        self.service = BackupService(db.url, clock)

    # ---- where and with which keys --------------------------------------------------------
    def _clinic(self) -> tuple[str, str, int]:
        """(installation id, backup folder setting, copies to keep)."""
        with self._db.session(write=False) as session:
            row = session.scalar(select(Clinic).limit(1))
            if row is None:
                return "", "", 14
            return row.installation_id, row.backup_dir, row.backup_keep

    def is_demo(self) -> bool:
        """True on the demo database, whose backups are sealed with the demo key."""
        with self._db.session(write=False) as session:
            return bool(session.scalar(select(Clinic.demo).limit(1)))

    def default_folder(self) -> Path:
        _, folder, _ = self._clinic()
        return Path(folder).expanduser() if folder else self._user_data() / BACKUP_FOLDER_NAME

    def keyring_message(self) -> str | None:
        """A French sentence when this workstation has no usable keyring (else None)."""
        installation, _, _ = self._clinic()
        if installation and (self.is_demo() or self._secret_store(installation).available()):
            return None
        return KeyringUnavailable().message

    def keys(
        self, recovery_key: str | None = None, *, installation: str | None = None
    ) -> BackupKeys:
        """The keys this workstation can seal and open backups with.

        The backup key comes from the OS keyring (generated and stored there the first time
        a keyring is available); the recovery public key from the database; the recovery
        private key from the text the coordinator typed, when given.
        """
        if installation is None:
            installation, _, _ = self._clinic()
        backup_key: bytes | None = None
        if installation and self.is_demo():
            backup_key = DEMO_BACKUP_KEY  # fixed and public: the demo keeps nothing
        elif installation:
            backup_key = self._secret_store(installation).key_bytes(BACKUP_KEY)
        with self._db.session(write=False) as session:
            recovery_public = self._keys.recovery_public_key(session)
        private = parse_recovery_key(recovery_key) if recovery_key else None
        return BackupKeys(backup_key, recovery_public, private)

    def _revision(self) -> str | None:
        try:
            return current_revision(self._db.engine)
        except Exception:  # a revision is informative only
            return None

    # ---- operations -----------------------------------------------------------------------
    def _require(self, actor: Actor, action: str) -> None:
        self._guard.require(
            actor,
            Resource.SETTINGS,
            Action.WRITE,
            action,
            message="Seule la coordination gère les sauvegardes.",
            object_type="backup",
        )

    def create(
        self,
        actor: Actor | None,
        progress: Progress | None = None,
        *,
        folder: Path | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> BackupInfo:
        """An encrypted backup in ``folder`` (default: :meth:`default_folder`). Audited.

        ``actor`` None: the scheduled backup (on exit, daily), made by the application itself.
        ``cancelled()`` true stops it: no file is left and nothing is audited
        (``BackupCancelled``).
        """
        if actor is not None:
            self._require(actor, "backup")
        if cancelled is not None and cancelled():  # before a key is made or a file opened
            raise BackupCancelled()
        installation, _, _ = self._clinic()
        info = self.service.create(
            folder or self.default_folder(),
            self.keys(),
            revision=self._revision(),
            installation_id=installation or None,
            progress=progress,
            cancelled=cancelled,
        )
        if cancelled is not None and cancelled():
            # « Annuler » pressed while the file was put in place: neither file nor audit entry.
            info.path.unlink(missing_ok=True)
            raise BackupCancelled()
        self._audit.record(
            actor, "backup", object_type="backup", detail=info.path.name, username="relais"
        )
        _log.info("sauvegarde créée : %s (%d octets)", info.path.name, info.size)
        return info

    def verify(
        self,
        actor: Actor | None,
        path: Path,
        recovery_key: str | None = None,
        progress: Progress | None = None,
    ) -> dict:
        """Decrypt and check a backup without restoring it; raises BackupError if refused."""
        if actor is not None:
            self._require(actor, "backup_verify")
        try:
            header = self.service.verify(path, self.keys(recovery_key), progress)
        except BackupError:
            self._audit.record(
                actor,
                "backup_verify",
                outcome=AuditOutcome.FAILED,
                object_type="backup",
                detail=path.name,
                username="relais",
            )
            raise
        self._audit.record(
            actor, "backup_verify", object_type="backup", detail=path.name, username="relais"
        )
        return header

    def restore(
        self,
        path: Path,
        recovery_key: str | None = None,
        *,
        actor: Actor | None = None,
        progress: Progress | None = None,
    ) -> RestoreResult:
        """Replace the database with a backup (new file, integrity check, then switch).

        The caller has re-authenticated the coordinator (application: ``auth.reauthenticate``;
        ``relais-admin``: confirmation and the keys themselves). Every connection of this
        process is closed first; the restored database records the restore in its audit.
        """
        if actor is not None:
            self._require(actor, "backup_restore")
        header = read_header(path)
        installation = ""
        try:
            installation, _unused, _unused = self._clinic()
        except Exception:  # a damaged database is what a restore is for
            installation = ""
        theirs = header.get("installation_id")
        if installation and theirs and theirs != installation:
            raise BackupError(
                _(
                    "Cette sauvegarde appartient à une autre installation de Relais (autre maison "
                    "de santé ou autre base) : elle n'est pas restaurée ici."
                )
            )
        # Empty or unreadable database: this workstation's key for the backup's installation.
        keys = self.keys(recovery_key) if installation else _keys_for(theirs, recovery_key)
        self._db.dispose()
        previous = self.service.restore(path, keys, progress)
        self._db.dispose()
        # The restored trail ends earlier than the head this workstation kept: start again
        # from the restored chain (the entry below is kept as its new head).
        self._audit.anchor.forget(installation or theirs)
        self._audit.record(
            actor,
            "backup_restore",
            object_type="backup",
            detail=path.name + (f" ; base précédente : {previous.name}" if previous else ""),
            username="relais",
        )
        _log.info("sauvegarde restaurée : %s", path.name)
        return RestoreResult(previous, header)

    def entries(self, folder: Path | None = None) -> list[BackupEntry]:
        """Backups in the folder, most recent first."""
        return [
            BackupEntry(p, backup_time(p), p.stat().st_size)
            for p in reversed(self.service.list_backups(folder or self.default_folder()))
        ]

    def run_scheduled(
        self, actor: Actor | None = None, *, every_hours: int = 24, progress: Progress | None = None
    ) -> BackupInfo | None:
        """On exit and once a day: back up if the last backup is older than ``every_hours``,
        then keep only the clinic's ``backup_keep`` most recent. None when not due."""
        folder = self.default_folder()
        if not self.service.is_due(folder, every_hours=every_hours):
            return None
        info = self.create(actor, progress, folder=folder)
        _, _, keep = self._clinic()
        self.service.prune(folder, keep)
        return info


def _keys_for(installation: str | None, recovery_key: str | None) -> BackupKeys:
    """No readable database (lost or damaged): the backup key this workstation's keyring
    holds for the backup's installation, if any, and the recovery key, if given."""
    backup_key = None
    if installation:
        text = SecretStore(installation).get(BACKUP_KEY)
        try:
            backup_key = bytes.fromhex(text) if text else None
        except ValueError:
            backup_key = None
    private = parse_recovery_key(recovery_key) if recovery_key else None
    return BackupKeys(backup_key=backup_key, recovery_private=private)


def restore_without_database(
    url: str, path: Path, recovery_key: str | None, clock: Clock, progress: Progress | None = None
) -> RestoreResult:
    """Restore over a database that cannot even be opened (``relais-admin backup restore``)."""
    header = read_header(path)
    service = BackupService(url, clock)
    previous = service.restore(
        path, _keys_for(header.get("installation_id"), recovery_key), progress
    )
    forget_stored_head(header.get("installation_id"))  # the restored trail ends earlier
    _log.info("sauvegarde restaurée sur une base illisible : %s", path.name)
    return RestoreResult(previous, header)
