"""relais-admin commands for encrypted backups and the clinic's security settings."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

from app.admin.common import (
    DEMO_KEYS_NOTE,
    Progress,
    command_group,
    database_url,
    fr_number,
    installation,
    open_services,
    print_keyring_note,
    read_recovery_key,
    recovery_option,
    safe_url,
    text_table,
)
from app.clock import system_clock
from app.models.db import sqlite_path
from app.services.clinic.backup_manager import restore_without_database
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import aware, fmt_datetime


# ---- backups -----------------------------------------------------------------------------
def cmd_backup_create(args: argparse.Namespace) -> int:
    services = open_services(database_url(args))
    progress = Progress("Sauvegarde")
    try:
        installation(services)
        print_keyring_note(services)
        info = services.backups.create(
            system_actor(), progress, folder=Path(args.folder) if args.folder else None
        )
    finally:
        progress.finish()
        services.db.dispose()
    print(f"Sauvegarde chiffrée créée : {info.path} ({fr_number(info.size)} octets).")
    return 0


def cmd_backup_verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise RelaisError(f"Fichier introuvable : {path}")
    services = open_services(database_url(args))
    progress = Progress("Vérification")
    try:
        recovery = read_recovery_key(args, required=False)
        header = services.backups.verify(system_actor(), path, recovery, progress)
        demo = services.backups.is_demo()
    finally:
        progress.finish()
        services.db.dispose()
    print(
        f"Sauvegarde intacte : {path.name} (base {header.get('dialect')}, "
        f"du {header.get('created_at', '?')[:19].replace('T', ' ')} UTC)."
    )
    if demo:
        print(DEMO_KEYS_NOTE.format(what="de sauvegarde"))
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise RelaisError(f"Fichier introuvable : {path}")
    url = database_url(args)
    recovery = read_recovery_key(args, required=False)
    if not args.yes:
        question = (
            f"La base « {safe_url(url)} » va être remplacée par la sauvegarde « {path.name} » "
            "(la base actuelle est conservée à côté). Tapez « oui » pour continuer : "
        )
        if sys.stdin is None or not sys.stdin.isatty():
            raise RelaisError(
                "Confirmation nécessaire : relancez avec --yes pour restaurer sans terminal."
            )
        if input(question).strip().lower() != "oui":
            print("Restauration annulée.")
            return 1
    progress = Progress("Restauration")
    try:
        try:
            services = open_services(url)
        except RelaisError:
            if sqlite_path(url) is None:
                raise
            services = None  # an unreadable SQLite file: restore over it all the same
        if services is None:
            result = restore_without_database(url, path, recovery, system_clock, progress)
        else:
            try:
                result = services.backups.restore(path, recovery, progress=progress)
            finally:
                services.db.dispose()
    finally:
        progress.finish()
    print(f"Sauvegarde « {path.name} » restaurée.")
    if result.previous is not None:
        print(f"La base précédente est conservée : {result.previous}")
    else:
        print("Base PostgreSQL restaurée (pg_restore) ; aucune copie locale de la précédente.")
    return 0


def cmd_backup_list(args: argparse.Namespace) -> int:
    services = open_services(database_url(args), read_only=True)
    try:
        folder = Path(args.folder) if args.folder else services.backups.default_folder()
        entries = services.backups.entries(folder)
    finally:
        services.db.dispose()
    if not entries:
        print(f"Aucune sauvegarde dans « {folder} ».")
        return 0
    rows = [
        [
            e.path.name,
            fmt_datetime(aware(e.created_at)) or "?",
            f"{e.size / 1e6:.1f}".replace(".", ","),
        ]
        for e in entries
    ]
    print(f"Dossier : {folder}")
    print(text_table(["Fichier", "Date", "Taille (Mo)"], rows))
    return 0


# ---- settings and second factor -------------------------------------------------------------
_ON_OFF = {"on": True, "off": False, "oui": True, "non": False}
SETTINGS = (
    # option, field, label
    ("require_totp", "require_totp", "Double authentification obligatoire"),
    ("session_hours", "session_hours", "Durée maximale d'une session (heures)"),
    ("inactivity_minutes", "inactivity_minutes", "Verrouillage après inactivité (minutes)"),
    ("break_glass", "break_glass_enabled", "Accès exceptionnel autorisé"),
    ("break_glass_minutes", "break_glass_minutes", "Durée d'un accès exceptionnel (minutes)"),
    ("retention_years", "retention_years", "Conservation des dossiers inactifs (années)"),
    ("backup_dir", "backup_dir", "Dossier des sauvegardes"),
    ("backup_keep", "backup_keep", "Sauvegardes gardées"),
)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value) if value != "" else "(par défaut)"


def cmd_settings_show(args: argparse.Namespace) -> int:
    services = open_services(database_url(args), read_only=True)
    try:
        clinic = services.clinic.settings(system_actor())
        if clinic is None:
            raise RelaisError("Relais n'est pas encore installé dans cette base : lancez « init ».")
        rows = [["Maison de santé", clinic.name]]
        rows += [[label, _shown(getattr(clinic, field))] for _, field, label in SETTINGS]
        if not clinic.backup_dir:
            rows[-2][1] = f"(par défaut) {services.backups.default_folder()}"
        print(text_table(["Paramètre", "Valeur"], rows))
        return 0
    finally:
        services.db.dispose()


def cmd_settings_set(args: argparse.Namespace) -> int:
    changes = {
        field: getattr(args, option)
        for option, field, _ in SETTINGS
        if getattr(args, option) is not None
    }
    if not changes:
        raise RelaisError("Aucun paramètre à modifier : voyez « relais-admin settings set -h ».")
    for field in ("require_totp", "break_glass_enabled"):
        if field in changes:
            changes[field] = _ON_OFF[changes[field]]
    services = open_services(database_url(args))
    try:
        clinic = services.clinic.settings(system_actor())
        if clinic is None:
            raise RelaisError("Relais n'est pas encore installé dans cette base : lancez « init ».")
        data = replace(clinic.as_input(), **changes)
        updated = services.clinic.update(system_actor(), data, clinic.version)
        for _, field, label in SETTINGS:
            if field in changes:
                print(f"{label} : {_shown(getattr(updated, field))}")
        return 0
    finally:
        services.db.dispose()


def register(commands, command, common) -> None:  # type: ignore[no-untyped-def]
    """Add the ``backup`` and ``settings`` commands to relais-admin."""

    group = partial(command_group, commands, common)

    backup = group(
        "backup",
        "sauvegardes chiffrées",
        "Sauvegardes chiffrées (SQLite : API de sauvegarde en ligne ; PostgreSQL : pg_dump).",
    )
    create = command(backup, "create", "créer une sauvegarde chiffrée", cmd_backup_create)
    create.add_argument(
        "--folder",
        metavar="DOSSIER",
        help="dossier (défaut : celui des paramètres, sinon « sauvegardes » dans le "
        "dossier de données)",
    )
    check = command(
        backup, "verify", "vérifier une sauvegarde sans la restaurer", cmd_backup_verify
    )
    check.add_argument("file", metavar="FICHIER", help="fichier .relais-backup")
    recovery_option(check, "lire la clé de secours sur l'entrée standard (autre poste)")
    restore = command(
        backup,
        "restore",
        "restaurer une sauvegarde (dans un nouveau fichier vérifié, puis bascule ; la base "
        "précédente est conservée)",
        cmd_backup_restore,
    )
    restore.add_argument("file", metavar="FICHIER", help="fichier .relais-backup")
    recovery_option(
        restore, "lire la clé de secours sur l'entrée standard (poste perdu, sans trousseau)"
    )
    restore.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
    listing = command(backup, "list", "lister les sauvegardes du dossier", cmd_backup_list)
    listing.add_argument("--folder", metavar="DOSSIER", help="dossier (défaut : réglage)")

    settings = group(
        "settings", "paramètres de sécurité", "Paramètres de la maison de santé (sécurité)."
    )
    command(settings, "show", "afficher les paramètres", cmd_settings_show)
    change = command(settings, "set", "modifier des paramètres", cmd_settings_set)
    change.add_argument(
        "--require-totp", choices=["on", "off"], help="double authentification obligatoire"
    )
    change.add_argument("--session-hours", type=int, metavar="N", help="durée maximale (1-24)")
    change.add_argument("--break-glass", choices=["on", "off"], help="accès exceptionnel")
    change.add_argument(
        "--break-glass-minutes", type=int, metavar="N", help="durée d'un accès (5-240 minutes)"
    )
    change.add_argument(
        "--retention-years", type=int, metavar="N", help="conservation des dossiers (1-30 ans)"
    )
    change.add_argument("--backup-dir", metavar="DOSSIER", help="dossier des sauvegardes")
    change.add_argument("--backup-keep", type=int, metavar="N", help="sauvegardes gardées")
    change.add_argument(
        "--inactivity-minutes", type=int, metavar="N", help="verrouillage après inactivité"
    )
