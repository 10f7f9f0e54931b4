"""relais-admin commands for keys, audit, backups, settings and second factors.

Registered by ``app.admin.build_parser``; same conventions (French messages, exit 0/1/2,
``--database`` on every command, secrets read from standard input, never printed unless the
command exists to show them).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from app.admin import _number, _open, _safe_url, text_table
from app.clock import system_clock
from app.container import ENV_AUDIT_KEY, Services, installation_id
from app.models import AuditEntry
from app.models.db import resolve_url, sqlite_path
from app.services.audit import chain as audit_chain
from app.services.audit.anchor import read_stored_head
from app.services.clinic.backup_manager import restore_without_database
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.security.details_migration import legacy_counts
from app.services.security.encryption_migration import EncryptionMigration, key_status
from app.services.security.secrets_store import AUDIT_KEY, KeyringUnavailable, SecretStore

RECOVERY_PROMPT = "Clé de secours : "


class Progress:
    """``label : 42 % (n / total)`` rewritten in place on standard error."""

    def __init__(self, label: str, unit: str = "", stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else min(100, done * 100 // total)
        if percent != self.last:
            self.last = percent
            counts = f" ({_number(done)} / {_number(total)}{self.unit})" if self.unit else ""
            self.stream.write(f"\r{self.label} : {percent:3d} %{counts}")
            self.stream.flush()

    def finish(self) -> None:
        if self.last >= 0:
            self.stream.write("\n")
            self.stream.flush()


def _recovery_key(args: argparse.Namespace, *, required: bool) -> str | None:
    """The recovery key: one line on standard input (--recovery-key-stdin), else a prompt on
    a terminal when required, else None."""
    if getattr(args, "recovery_key_stdin", False):
        line = sys.stdin.readline().strip()
        if not line:
            raise RelaisError("Aucune clé de secours reçue sur l'entrée standard.")
        return line
    if not required:
        return None
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(RECOVERY_PROMPT).strip() or None
    raise RelaisError(
        "La clé de secours est nécessaire : donnez-la sur une ligne de l'entrée standard avec "
        "--recovery-key-stdin."
    )


def _installed(services: Services) -> str:
    ident = installation_id(services.db)
    if not ident:
        raise RelaisError("Relais n'est pas encore installé dans cette base : lancez « init ».")
    return ident


def _keyring_note(services: Services) -> None:
    message = services.backups.keyring_message()
    if message:
        print(message, file=sys.stderr)


# ---- keys ---------------------------------------------------------------------------------
# What ``keys status`` and ``keys encrypt-existing`` count, in French.
LEGACY_LABELS = {
    "home_care_request": "demandes de soins à domicile",
    "home_care_event": "historique des soins à domicile",
    "discharge_plan": "plans de sortie",
    "social_action": "démarches sociales",
    "waiting_list_entry": "liste d'attente",
    "appointment": "motifs d'annulation",
    "exceptional_access": "accès exceptionnels",
    "referral": "orientations",
    "document": "documents archivés",
}


def cmd_keys_status(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        rows = []
        for status in key_status(services.db):
            label = COMPARTMENT_LABELS.get(status.compartment, status.compartment)  # type: ignore[call-overload]
            rows.append(
                [
                    str(label),
                    "oui" if status.has_key else "pas encore",
                    str(status.holders),
                    "oui" if status.recoverable else ("non" if status.has_key else "–"),
                    ", ".join(status.pending) or "–",
                ]
            )
        headers = ["Volet", "Clé", "Titulaires", "Récupérable", "En attente de la clé"]
        print(text_table(headers, rows, [0, 0, 0, 0, 40]))
        from app.services.security.encryption_migration import plaintext_count

        plain = plaintext_count(services.db)
        if plain:
            print()
            print(
                f"{_number(plain)} note(s) encore en clair (écrites avant le chiffrement) : "
                "lancez « relais-admin keys encrypt-existing »."
            )
        legacy = legacy_counts(services.db)
        if legacy:
            print()
            print(
                "Détails encore en clair (écrits avant la version 0005) : "
                + ", ".join(f"{_number(n)} ({LEGACY_LABELS.get(k, k)})" for k, n in legacy.items())
                + " : lancez « relais-admin keys encrypt-existing --recovery-key-stdin »."
            )
        return 0
    finally:
        services.db.dispose()


def cmd_keys_recover(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        _installed(services)
        text = _recovery_key(args, required=True)
        with services.db.session() as session:
            granted = services.keys.recover(session, system_actor(), text or "")
        print(
            f"Clés des volets transmises avec la clé de secours : {granted} copie(s) créée(s) "
            "pour les comptes habilités."
        )
        waiting = sorted({u for s in key_status(services.db) for u in s.pending})
        if waiting:
            print(
                "Toujours en attente (aucune paire de clés : ces comptes doivent se connecter "
                "une fois, puis relancez cette commande) : " + ", ".join(waiting)
            )
        return 0
    finally:
        services.db.dispose()


def cmd_keys_encrypt_existing(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    progress = Progress("Chiffrement des notes", " notes")
    try:
        _installed(services)
        recovery = _recovery_key(args, required=False)
        migration = EncryptionMigration(services.db, services.audit, services.keys, services.codec)
        if not args.no_backup:
            # The backup is sealed to the recovery public key too: make sure there is one.
            with services.db.session() as session:
                created = (
                    services.keys.create_recovery_key(session)
                    if services.keys.recovery_public_key(session) is None
                    else None
                )
            if created:
                _print_new_recovery_key(created)
                recovery = created
            _keyring_note(services)
            backup = services.backups.create(
                system_actor(),
                folder=Path(args.folder) if args.folder else None,
                progress=Progress("Sauvegarde préalable"),
            )
            print(f"Sauvegarde préalable : {backup.path}", file=sys.stderr)
        report = migration.run(
            recovery,
            progress=progress,
            on_recovery_key=_print_new_recovery_key,
            details_progress=lambda kind, done: print(
                f"  {LEGACY_LABELS.get(kind, kind)} : {_number(done)}", file=sys.stderr
            ),
        )
    finally:
        progress.finish()
        services.db.dispose()
    print(
        f"Notes chiffrées : {_number(report.notes_encrypted)} "
        f"(déjà chiffrées : {_number(report.notes_already_encrypted)})."
    )
    details = report.details
    print(
        f"Détails scellés : {_number(sum(details.rows_sealed.values()))} ligne(s), "
        f"{_number(details.referrals)} orientation(s) sous leur propre clé, "
        f"{_number(details.documents)} document(s)."
    )
    if report.keys_created:
        labels = ", ".join(str(COMPARTMENT_LABELS.get(c, c)) for c in report.keys_created)  # type: ignore[call-overload]
        print(f"Clés créées : {labels} ; {report.grants} copie(s) transmise(s) aux comptes.")
    if report.users_without_key_pair:
        print(
            "Comptes sans paire de clés (ils en recevront une à leur prochaine connexion ; "
            "lancez ensuite « relais-admin keys recover » une fois) : "
            + ", ".join(report.users_without_key_pair)
        )
    return 0


def _print_new_recovery_key(text: str) -> None:
    print(
        "CLÉ DE SECOURS créée — à conserver hors ligne, en lieu sûr. Elle ne sera plus affichée :"
    )
    print(f"    {text}")


# ---- audit -------------------------------------------------------------------------------
def _audit_key(services: Services) -> bytes:
    if services.audit.key is None:
        raise RelaisError(
            "Clé d'audit introuvable sur ce poste : ni dans le trousseau du système, ni dans la "
            f"variable {ENV_AUDIT_KEY}. Installez-la avec « relais-admin audit key "
            f"--install-stdin » ou donnez-la par {ENV_AUDIT_KEY}."
        )
    return services.audit.key


def cmd_audit_verify(args: argparse.Namespace) -> int:
    expected = (args.expected_head or "").strip().lower() or None
    if expected is not None and (
        len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected)
    ):
        raise RelaisError("L'empreinte attendue doit comporter 64 caractères hexadécimaux.")
    services = _open(resolve_url(args.database))
    progress = Progress("Vérification du journal d'audit", " entrées")
    try:
        key = _audit_key(services)
        with services.db.engine.connect() as conn:
            total = int(conn.scalar(select(func.count()).select_from(AuditEntry)) or 0)
            progress(0, total)
            report = audit_chain.verify(
                conn,
                key,
                expected_head=expected,
                kept=read_stored_head(conn),
                progress=lambda n: progress(n, total),
            )
            progress(report.checked if not report.ok else total, total)
            bad = (
                conn.execute(select(AuditEntry).where(AuditEntry.id == report.first_bad_id)).first()
                if report.first_bad_id is not None
                else None
            )
    finally:
        progress.finish()
        services.db.dispose()
    if report.ok:
        print(report.message())
        print(f"Empreinte de fin de chaîne : {report.last_seq} {report.last_mac}")
        return 0
    print(report.message(), file=sys.stderr)
    if bad is not None:
        entry = bad
        print(
            f"Première entrée en cause : n° {entry.seq} (identifiant {entry.id}), "
            f"{entry.at:%d/%m/%Y %H:%M:%S} UTC, {entry.username or '?'}, "
            f"action « {entry.action} ».",
            file=sys.stderr,
        )
    return 1


def cmd_audit_head(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        with services.db.engine.connect() as conn:
            seq, mac = audit_chain.read_head(conn)
    finally:
        services.db.dispose()
    print(f"{seq} {mac}")
    print(
        "Conservez cette empreinte hors de la base (papier, autre support) ; plus tard : "
        f"« relais-admin audit verify --expected-head {mac} ».",
        file=sys.stderr,
    )
    return 0


def cmd_audit_key(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        ident = _installed(services)
        store = SecretStore(ident)
        if args.show:
            if not store.available():
                raise KeyringUnavailable()
            text = store.get(AUDIT_KEY)
            if not text:
                raise RelaisError("Aucune clé d'audit dans le trousseau de ce poste.")
            print(text)
            return 0
        line = sys.stdin.readline().strip().lower()
        try:
            key = bytes.fromhex(line)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise RelaisError("La clé d'audit doit comporter 64 caractères hexadécimaux.")
        with services.db.engine.connect() as conn:
            matches = audit_chain.key_matches(conn, key)
        if matches is False:
            raise RelaisError("Cette clé d'audit ne correspond pas au journal de cette base.")
        try:
            store.set(AUDIT_KEY, key.hex())
        except KeyringUnavailable as exc:
            raise RelaisError(
                f"{exc.message} Sur ce poste, donnez la clé par la variable {ENV_AUDIT_KEY}."
            ) from exc
        print("Clé d'audit enregistrée dans le trousseau de ce poste.")
        return 0
    finally:
        services.db.dispose()


# ---- backups -----------------------------------------------------------------------------
def cmd_backup_create(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    progress = Progress("Sauvegarde")
    try:
        _installed(services)
        _keyring_note(services)
        info = services.backups.create(
            system_actor(), progress, folder=Path(args.folder) if args.folder else None
        )
    finally:
        progress.finish()
        services.db.dispose()
    print(f"Sauvegarde chiffrée créée : {info.path} ({_number(info.size)} octets).")
    return 0


def cmd_backup_verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise RelaisError(f"Fichier introuvable : {path}")
    services = _open(resolve_url(args.database))
    progress = Progress("Vérification")
    try:
        recovery = _recovery_key(args, required=False)
        header = services.backups.verify(system_actor(), path, recovery, progress)
    finally:
        progress.finish()
        services.db.dispose()
    print(
        f"Sauvegarde intacte : {path.name} (base {header.get('dialect')}, "
        f"du {header.get('created_at', '?')[:19].replace('T', ' ')} UTC)."
    )
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise RelaisError(f"Fichier introuvable : {path}")
    url = resolve_url(args.database)
    recovery = _recovery_key(args, required=False)
    if not args.yes:
        question = (
            f"La base « {_safe_url(url)} » va être remplacée par la sauvegarde « {path.name} » "
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
            services = _open(url)
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
    services = _open(resolve_url(args.database))
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
            e.created_at.astimezone().strftime("%d/%m/%Y %H:%M") if e.created_at else "?",
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
    services = _open(resolve_url(args.database))
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
    services = _open(resolve_url(args.database))
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


def cmd_user_remove_second_factor(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        actor = system_actor()
        user = services.accounts.find_user(actor, args.username)
        services.accounts.remove_second_factor(actor, user.id)
        print(
            f"Double authentification de {user.username} supprimée : le compte devra "
            "l'enregistrer de nouveau à sa prochaine connexion si la maison de santé l'exige."
        )
        return 0
    finally:
        services.db.dispose()


# ---- parser ------------------------------------------------------------------------------
def _recovery_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--recovery-key-stdin", action="store_true", help=help_text)


def register(commands, command, common) -> None:  # type: ignore[no-untyped-def]
    """Add the security commands to relais-admin's sub-command table."""

    def group(name: str, help_text: str, description: str):  # type: ignore[no-untyped-def]
        parser = commands.add_parser(
            name, help=help_text, description=description, parents=[common]
        )
        sub = parser.add_subparsers(title="actions", dest=f"{name}_command", metavar="ACTION")
        sub.required = True
        return sub

    keys = group(
        "keys",
        "clés de chiffrement des volets",
        "Clés de chiffrement des volets médical, social et partagé.",
    )
    command(keys, "status", "titulaires de chaque clé, clés récupérables", cmd_keys_status)
    recover = command(
        keys,
        "recover",
        "avec la clé de secours, transmettre les clés à tous les comptes habilités qui ont "
        "une paire de clés (après la perte des mots de passe de tous les titulaires, ou pour "
        "les comptes en attente)",
        cmd_keys_recover,
    )
    _recovery_option(recover, "lire la clé de secours sur une ligne de l'entrée standard")
    encrypt = command(
        keys,
        "encrypt-existing",
        "chiffrer les notes écrites avant le chiffrement (base mise à jour), après une "
        "sauvegarde ; reprend où il s'est arrêté. Crée la clé de secours si elle manque "
        "(affichée une seule fois). Les comptes sans paire de clés en recevront une à leur "
        "prochaine connexion : lancez ensuite « keys recover » une fois pour leur transmettre "
        "les clés.",
        cmd_keys_encrypt_existing,
    )
    _recovery_option(
        encrypt,
        "lire la clé de secours sur l'entrée standard (nécessaire si des volets ont déjà une clé)",
    )
    encrypt.add_argument("--folder", metavar="DOSSIER", help="dossier de la sauvegarde préalable")
    encrypt.add_argument(
        "--no-backup",
        action="store_true",
        help="ne pas faire de sauvegarde préalable (déconseillé)",
    )

    audit = group(
        "audit",
        "journal d'audit (chaîne d'empreintes)",
        "Journal d'audit : vérification de la chaîne d'empreintes, empreinte de fin, clé.",
    )
    verify = command(
        audit,
        "verify",
        "vérifier toute la chaîne, et la dernière entrée scellée par ce poste (trousseau) ; "
        "code 1 et première entrée en cause si le journal a été modifié, tronqué, ou si des "
        "entrées ont été supprimées, insérées, déplacées ou ajoutées sans scellement",
        cmd_audit_verify,
    )
    verify.add_argument(
        "--expected-head",
        metavar="HEX",
        help="empreinte exportée précédemment (« audit head ») qui doit figurer dans la chaîne",
    )
    command(
        audit,
        "head",
        "afficher l'empreinte de fin de chaîne, à conserver hors de la base",
        cmd_audit_head,
    )
    key = command(
        audit,
        "key",
        "clé d'audit de ce poste (trousseau du système ; sans trousseau : variable "
        f"{ENV_AUDIT_KEY})",
        cmd_audit_key,
    )
    which = key.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--install-stdin",
        action="store_true",
        help="lire la clé (64 caractères hexadécimaux) sur l'entrée standard et l'enregistrer "
        "dans le trousseau de ce poste (autres postes d'une maison de santé sous PostgreSQL)",
    )
    which.add_argument(
        "--show",
        action="store_true",
        help="afficher la clé conservée dans le trousseau de ce poste",
    )

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
    _recovery_option(check, "lire la clé de secours sur l'entrée standard (autre poste)")
    restore = command(
        backup,
        "restore",
        "restaurer une sauvegarde (dans un nouveau fichier vérifié, puis bascule ; la base "
        "précédente est conservée)",
        cmd_backup_restore,
    )
    restore.add_argument("file", metavar="FICHIER", help="fichier .relais-backup")
    _recovery_option(
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


def register_user(users, command) -> None:  # type: ignore[no-untyped-def]
    remove = command(
        users,
        "remove-second-factor",
        "supprimer la double authentification d'un compte (téléphone et codes perdus)",
        cmd_user_remove_second_factor,
    )
    remove.add_argument("username", metavar="IDENTIFIANT", help="identifiant du compte")
