"""relais-admin's server commands: ``connect`` (remember the clinic's PostgreSQL server, its
password in the OS keyring) and ``migrate-to-postgresql`` (move a SQLite clinic over).

The remembered server is used by every other command when neither ``--database`` nor
``RELAIS_DATABASE_URL`` is given (:func:`remembered_url`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.models.db import resolve_url
from app.services.clinic.server_connection import (
    DEFAULT_PORT,
    SSL_MODE_LABELS,
    SSL_MODES,
    ServerSettings,
    load_settings_file,
    save_password,
    save_settings_file,
    saved_password,
    try_connect,
)
from app.services.kernel.errors import RelaisError
from app.services.security.secrets_store import KeyringUnavailable

ENV_PGPASSWORD = "PGPASSWORD"


def _read_secret(args: argparse.Namespace) -> str | None:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise RelaisError("Aucun mot de passe reçu sur l'entrée standard.")
        return line.rstrip("\r\n")
    if os.environ.get(ENV_PGPASSWORD):
        return os.environ[ENV_PGPASSWORD]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Mot de passe PostgreSQL : ")
    return None


def cmd_connect(args: argparse.Namespace) -> int:
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        database=args.base,
        user=args.user,
        sslmode=args.sslmode,
    )
    settings.check()
    password = _read_secret(args)
    if not args.no_test:
        try_connect(settings, password)
        print(f"Connexion réussie à {settings.describe()} ({settings.sslmode}).")
    path = save_settings_file(settings)
    print(f"Serveur retenu pour ce poste (sans mot de passe) : {path}")
    if password:
        try:
            save_password(settings, password)
            print("Mot de passe conservé dans le trousseau du système.")
        except KeyringUnavailable as exc:
            print(exc.message, file=sys.stderr)
            print(
                f"Donnez-le à chaque commande par la variable {ENV_PGPASSWORD} ou à l'invite.",
                file=sys.stderr,
            )
    return 0


def remembered_url() -> str | None:
    """The remembered server's URL (password from the keyring, else ``PGPASSWORD`` or a
    prompt — libpq reads ``PGPASSWORD`` itself), or None when no server is remembered."""
    settings = load_settings_file()
    if settings is None:
        return None
    password = saved_password(settings)
    prompt = password is None and not os.environ.get(ENV_PGPASSWORD)
    if prompt and sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"Mot de passe PostgreSQL ({settings.describe()}) : ")
    return settings.url(password)


def _source_url(value: str | None) -> str:
    if not value:
        return resolve_url(None)
    return value if "://" in value else f"sqlite:///{Path(value).expanduser().resolve()}"


def cmd_migrate_to_postgresql(args: argparse.Namespace) -> int:
    from app.container import find_audit_key
    from app.models.db import Database, sqlite_path
    from app.services.clinic.pg_migration import copy_database

    source = _source_url(args.source or args.database)
    path = sqlite_path(source)
    if path is None or not path.exists():
        raise RelaisError(f"Base SQLite introuvable : {path or source}.")
    target = args.target or remembered_url()
    if not target:
        raise RelaisError(
            "Indiquez la base PostgreSQL cible (--vers URL) ou retenez le serveur avec "
            "« relais-admin connect »."
        )
    db = Database.open(source, upgrade=False)
    try:
        key = find_audit_key(db)
    finally:
        db.dispose()

    def progress(step: str, done: int, total: int) -> None:
        print(f"\r[{done + 1}/{total}] {step[:50]:<50}", end="", file=sys.stderr, flush=True)

    report = copy_database(source, target, key, progress)
    print(file=sys.stderr)
    print(
        f"Copie terminée : {len(report.tables)} tables, {report.rows} lignes, identiques "
        "(nombre de lignes et empreinte de chaque table)."
    )
    print(f"Journal d'audit de la copie : {report.audit_message}")
    print(f"La base SQLite {path} n'a pas été modifiée.")
    return 0


def register(commands, command) -> None:  # type: ignore[no-untyped-def]
    move = command(
        commands,
        "migrate-to-postgresql",
        "copier toute la base SQLite de la maison de santé (historique et journal d'audit "
        "compris) dans une base PostgreSQL vide, puis vérifier la copie",
        cmd_migrate_to_postgresql,
    )
    move.add_argument(
        "--de",
        dest="source",
        metavar="SQLITE",
        help="fichier ou URL de la base SQLite (défaut : --database, sinon la base du "
        "dossier de l'utilisateur)",
    )
    move.add_argument(
        "--vers",
        dest="target",
        metavar="URL",
        help="URL de la base PostgreSQL vide (défaut : le serveur retenu par « connect »)",
    )

    connect = command(
        commands,
        "connect",
        "retenir le serveur PostgreSQL de la maison de santé pour ce poste (le mot de passe "
        "va dans le trousseau du système, jamais dans un fichier)",
        cmd_connect,
    )
    connect.add_argument("--host", required=True, help="adresse du serveur")
    connect.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (défaut : {DEFAULT_PORT})"
    )
    connect.add_argument("--base", required=True, metavar="NOM", help="nom de la base")
    connect.add_argument("--user", required=True, metavar="ROLE", help="utilisateur PostgreSQL")
    connect.add_argument(
        "--sslmode",
        choices=SSL_MODES,
        default="verify-full",
        help="chiffrement : "
        + " ; ".join(f"{mode} = {SSL_MODE_LABELS[mode].lower()}" for mode in SSL_MODES),
    )
    connect.add_argument(
        "--no-test", action="store_true", help="ne pas essayer la connexion avant de la retenir"
    )
    connect.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"lire le mot de passe sur l'entrée standard (sinon {ENV_PGPASSWORD}, sinon "
        "saisie au terminal)",
    )
