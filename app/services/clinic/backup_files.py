"""Encrypted backups: create, verify, restore (SQLite online backup API; pg_dump/pg_restore).

File format: ``crypto.encrypt_stream`` (chunked AES-256-GCM) of the database image under a
random per-backup file key. The authenticated header (JSON) carries the metadata and the file
key sealed twice: under the workstation's backup key (kept in the OS keyring) for everyday
restores, and to the clinic's recovery public key, so that a backup can still be restored with
the recovery key after the workstation (and its keyring) is lost. A modified, truncated or
foreign file is refused before anything is restored.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app.i18n import _
from app.models.db import sqlite_path
from app.services.kernel.errors import RelaisError
from app.services.security import crypto

FORMAT = "relais-backup-1"
SUFFIX = ".relais-backup"
Progress = Callable[[int, int], None]


class BackupError(RelaisError):
    pass


class BackupCancelled(BackupError):
    """The user stopped the backup: no backup file (not even a partial one) is left."""

    def __init__(self) -> None:
        super().__init__(_("Sauvegarde annulée : aucun fichier de sauvegarde n'a été écrit."))


Cancelled = Callable[[], bool]


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise BackupCancelled()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    dialect: str
    revision: str | None
    size: int


@dataclass(frozen=True)
class BackupKeys:
    """Keys a backup can be sealed with or opened by; any one suffices to open."""

    backup_key: bytes | None = None  # from the keyring
    recovery_public: bytes | None = None  # from the database (sealing only)
    recovery_private: bytes | None = None  # typed by the coordinator (opening only)


def private_temp_dir(base: Path | None = None) -> Path:
    """A temporary folder only this user can read (0700), removed by the caller."""
    return Path(tempfile.mkdtemp(prefix="relais-", dir=str(base) if base else None))


def _header(keys: BackupKeys, file_key: bytes, meta: dict) -> bytes:
    wraps = {}
    if keys.backup_key:
        wraps["keyring"] = base64.b64encode(
            crypto.seal(keys.backup_key, file_key, b"relais-backup-key")
        ).decode()
    if keys.recovery_public:
        wraps["recovery"] = base64.b64encode(
            crypto.seal_to(keys.recovery_public, file_key, b"relais-backup-recovery")
        ).decode()
    if not wraps:
        raise BackupError(
            _(
                "Aucune clé disponible pour chiffrer la sauvegarde "
                "(ni trousseau, ni clé de secours)."
            )
        )
    return json.dumps({**meta, "format": FORMAT, "wraps": wraps}, sort_keys=True).encode()


def _open_file_key(header: dict, keys: BackupKeys) -> bytes:
    wraps = header.get("wraps", {})
    if keys.backup_key and "keyring" in wraps:
        with contextlib.suppress(crypto.CryptoError, ValueError):
            return crypto.unseal(
                keys.backup_key, base64.b64decode(wraps["keyring"]), b"relais-backup-key"
            )
    if keys.recovery_private and "recovery" in wraps:
        with contextlib.suppress(crypto.CryptoError, ValueError):
            return crypto.unseal_with(
                keys.recovery_private,
                base64.b64decode(wraps["recovery"]),
                b"relais-backup-recovery",
            )
    if not keys.backup_key and not keys.recovery_private:
        raise BackupError(
            _(
                "Aucune clé pour ouvrir cette sauvegarde : le trousseau de ce poste n'en contient "
                "pas (ou n'est pas disponible). Donnez la clé de secours de la maison de santé."
            )
        )
    raise BackupError(
        _(
            "Cette sauvegarde ne s'ouvre ni avec la clé de ce poste ni avec la clé de secours "
            "fournie : elle vient d'une autre installation, ou la clé est erronée."
        )
    )


def read_header(path: Path) -> dict:
    try:
        with path.open("rb") as source:
            header = crypto.read_stream_header(source)
        data = json.loads(header)
    except (OSError, crypto.CryptoError, ValueError) as exc:
        raise BackupError(
            _("« {name} » n'est pas une sauvegarde Relais lisible.").format(name=path.name)
        ) from exc
    if data.get("format") != FORMAT:
        raise BackupError(
            _("« {name} » n'est pas une sauvegarde Relais reconnue.").format(name=path.name)
        )
    return data


def _decrypt_to(path: Path, keys: BackupKeys, target: Path, progress: Progress | None) -> dict:
    header_bytes: bytes
    with path.open("rb") as source:
        try:
            header_bytes = crypto.read_stream_header(source)
            header = json.loads(header_bytes)
        except (crypto.CryptoError, ValueError) as exc:
            raise BackupError(
                _("« {name} » n'est pas une sauvegarde Relais lisible.").format(name=path.name)
            ) from exc
        file_key = _open_file_key(header, keys)
        total = path.stat().st_size
        done = 0
        try:
            with target.open("wb") as out:
                for chunk in crypto.decrypt_stream(file_key, source, header_bytes):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(min(done, total), total)
            if progress:
                progress(total, total)
        except crypto.CryptoError as exc:
            target.unlink(missing_ok=True)
            raise BackupError(
                _("La sauvegarde est endommagée ou a été modifiée : elle est refusée.")
            ) from exc
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise BackupError(
                _(
                    "La sauvegarde n'a pas pu être déchiffrée dans « {parent} » ({value}). "
                    "Vérifiez la place disponible."
                ).format(parent=target.parent, value=exc.strerror or exc)
            ) from exc
    return header


def _integrity_check(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("La base contenue dans la sauvegarde est illisible.")) from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(
            _("La base contenue dans la sauvegarde est incohérente ({result}).").format(
                result=result
            )
        )
    return revision[0] if revision else None


class BackupService:
    def __init__(self, url: str | URL, clock: Callable[[], datetime]) -> None:
        self._url = make_url(url)
        self._clock = clock

    @property
    def dialect(self) -> str:
        return self._url.get_backend_name()

    # ---- create ------------------------------------------------------------------------
    def create(
        self,
        folder: Path,
        keys: BackupKeys,
        *,
        revision: str | None = None,
        installation_id: str | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> BackupInfo:
        """Copy, encrypt and write the backup; ``cancelled()`` true stops it and removes what
        it wrote (the copy and the partial file): then ``BackupCancelled``."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                _(
                    "Le dossier de sauvegarde « {folder} » ne peut pas être créé "
                    "({value}). Choisissez un autre dossier ou vérifiez les droits."
                ).format(folder=folder, value=exc.strerror or exc)
            ) from exc
        now = self._clock()
        target = _unique_name(folder, now)
        partial = folder / f".{target.name}.partiel"
        file_key = crypto.random_key()
        meta = {
            "created_at": now.isoformat(),
            "dialect": self.dialect,
            "revision": revision,
            "installation_id": installation_id,
        }
        header = _header(keys, file_key, meta)
        tmp = private_temp_dir()
        try:
            image = tmp / "image"
            try:
                self._dump(image, progress, cancelled)
            except (OSError, sqlite3.Error) as exc:
                _check(cancelled)  # the copy stopped because the user cancelled it
                raise BackupError(
                    _(
                        "La copie de la base n'a pas pu être préparée dans le dossier "
                        "temporaire ({value}). Vérifiez la place disponible."
                    ).format(value=getattr(exc, "strerror", None) or exc)
                ) from exc
            _check(cancelled)
            try:
                with image.open("rb") as source, partial.open("wb") as out:
                    crypto.encrypt_stream(file_key, source, out, header)
                    out.flush()
                    os.fsync(out.fileno())
                if cancelled is not None and cancelled():
                    partial.unlink(missing_ok=True)
                    raise BackupCancelled()
                os.replace(partial, target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise BackupError(
                    _(
                        "La sauvegarde n'a pas pu être écrite dans « {folder} » ({value}). "
                        "Vérifiez la place disponible et les droits."
                    ).format(folder=folder, value=exc.strerror or exc)
                ) from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return BackupInfo(target, now, self.dialect, revision, target.stat().st_size)

    def _dump(
        self, image: Path, progress: Progress | None, cancelled: Cancelled | None = None
    ) -> None:
        if self.dialect == "sqlite":
            source = sqlite_path(self._url)
            if source is None or not source.exists():
                raise BackupError(_("La base SQLite à sauvegarder est introuvable."))
            src = sqlite3.connect(str(source))
            dst = sqlite3.connect(str(image))
            try:

                def report(_status: int, remaining: int, total: int) -> None:
                    _check(cancelled)
                    if progress:
                        progress(total - remaining, total)

                src.backup(dst, pages=4096, progress=report)
            finally:
                dst.close()
                src.close()
        elif self.dialect == "postgresql":
            self._run_pg(["pg_dump", "--format=custom", "--no-owner", "--file", str(image)])
        else:
            raise BackupError(
                _("Sauvegarde non prise en charge pour « {dialect} ».").format(dialect=self.dialect)
            )

    def _pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        u = self._url
        if u.password:
            env["PGPASSWORD"] = str(u.password)
        env.update(
            {
                k: str(v)
                for k, v in {
                    "PGHOST": u.host,
                    "PGPORT": u.port,
                    "PGUSER": u.username,
                    "PGDATABASE": u.database,
                }.items()
                if v
            }
        )
        return env

    def _run_pg(self, args: list[str]) -> None:
        tool = shutil.which(args[0]) or _pg_binary(args[0])
        if tool is None:
            raise BackupError(
                _(
                    "L'outil PostgreSQL « {value} » est introuvable : installez le client "
                    "PostgreSQL (paquet postgresql-client) sur ce poste."
                ).format(value=args[0])
            )
        result = subprocess.run(
            [tool, *args[1:]], env=self._pg_env(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(
                _("« {value} » a échoué : {value2}").format(
                    value=args[0], value2=result.stderr.strip()[:300] or result.returncode
                )
            )

    # ---- verify and restore ------------------------------------------------------------
    def verify(self, path: Path, keys: BackupKeys, progress: Progress | None = None) -> dict:
        """Decrypt into a private temporary folder, check integrity, delete. Raises on error."""
        tmp = private_temp_dir()
        try:
            image = tmp / "image"
            header = _decrypt_to(path, keys, image, progress)
            if header.get("dialect") == "sqlite":
                header["checked_revision"] = _integrity_check(image)
            elif header.get("dialect") == "postgresql":
                self._run_pg(["pg_restore", "--list", str(image)])
            return header
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def restore(
        self, path: Path, keys: BackupKeys, progress: Progress | None = None
    ) -> Path | None:
        """Restore into a new file, check it, then switch. Returns where the previous database
        was kept (SQLite) — nothing is deleted."""
        header = read_header(path)
        if header.get("dialect") != self.dialect:
            raise BackupError(
                _("Cette sauvegarde vient d'une base {value}, pas {dialect}.").format(
                    value=header.get("dialect"), dialect=self.dialect
                )
            )
        if self.dialect == "sqlite":
            current = sqlite_path(self._url)
            if current is None:
                raise BackupError(_("Base SQLite de destination inconnue."))
            stamp = self._clock().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
            restored = current.with_name(f"{current.stem}.restauration-{stamp}.sqlite")
            _decrypt_to(path, keys, restored, progress)
            try:
                _integrity_check(restored)
            except BackupError:
                restored.unlink(missing_ok=True)
                raise
            finally:
                for suffix in ("-wal", "-shm"):
                    Path(f"{restored}{suffix}").unlink(missing_ok=True)
            previous = None
            if current.exists():
                previous = current.with_name(f"{current.stem}.avant-restauration-{stamp}.sqlite")
                try:
                    src = sqlite3.connect(str(current))
                    dst = sqlite3.connect(str(previous))
                    try:
                        src.backup(dst)
                    finally:
                        dst.close()
                        src.close()
                except sqlite3.DatabaseError:
                    # Not a readable database (the reason for this restore): keep the file as
                    # it is; nothing else uses it.
                    previous.unlink(missing_ok=True)
                    previous = previous.with_name(previous.name.replace(".sqlite", ".illisible"))
                    shutil.copyfile(current, previous)
            for suffix in ("-wal", "-shm"):
                Path(f"{current}{suffix}").unlink(missing_ok=True)
            os.replace(restored, current)
            return previous
        tmp = private_temp_dir()
        try:
            image = tmp / "image"
            _decrypt_to(path, keys, image, progress)
            self._run_pg(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    str(self._url.database),
                    str(image),
                ]
            )
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return None

    # ---- scheduling and retention ------------------------------------------------------
    @staticmethod
    def list_backups(folder: Path) -> list[Path]:
        if not folder.exists():
            return []
        return sorted(folder.glob(f"relais-*{SUFFIX}"), key=_order)

    def is_due(self, folder: Path, *, every_hours: int = 24) -> bool:
        backups = self.list_backups(folder)
        if not backups:
            return True
        made = backup_time(backups[-1])
        if made is None:
            return True
        age = (self._clock() - made).total_seconds()
        return age >= every_hours * 3600

    def prune(self, folder: Path, keep: int) -> list[Path]:
        """Keep the ``keep`` most recent backups; return the removed ones."""
        backups = self.list_backups(folder)
        removed = backups[: max(0, len(backups) - keep)]
        for path in removed:
            path.unlink(missing_ok=True)
        return removed


def backup_time(path: Path) -> datetime | None:
    """When a backup was made (UTC), from its name ``relais-YYYYMMDD-HHMMSS[-n]``."""
    stamp = path.name.removeprefix("relais-")[:15]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _order(path: Path) -> tuple[str, int]:
    """Oldest first; ``-2``, ``-3``… (same second) after the plain name."""
    stem = path.name.removeprefix("relais-").removesuffix(SUFFIX)
    stamp, _, number = stem[:15], None, stem[16:]
    return stamp, int(number) if number.isdigit() else 1


def _unique_name(folder: Path, now: datetime) -> Path:
    """``relais-<UTC time>.relais-backup``; never overwrites a backup made the same second."""
    stamp = f"{now.astimezone(UTC):%Y%m%d-%H%M%S}"
    target = folder / f"relais-{stamp}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"relais-{stamp}-{n}{SUFFIX}"
    return target


def _pg_binary(name: str) -> str | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None
