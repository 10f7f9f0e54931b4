"""relais-admin commands for the encryption keys, the audit trail and second factors."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

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
    text_table,
)
from app.container import ENV_AUDIT_KEY, Services
from app.models import AuditEntry
from app.services.audit import chain as audit_chain
from app.services.audit.anchor import read_stored_head
from app.services.demo_keys import DEMO_AUDIT_KEY
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.security.details_migration import legacy_counts
from app.services.security.encryption_migration import EncryptionMigration, key_status
from app.services.security.secrets_store import AUDIT_KEY, KeyringUnavailable, SecretStore

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
    services = open_services(database_url(args), read_only=True)
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
                f"{fr_number(plain)} note(s) encore en clair (écrites avant le chiffrement) : "
                "lancez « relais-admin keys encrypt-existing »."
            )
        legacy = legacy_counts(services.db)
        if legacy:
            print()
            print(
                "Détails encore en clair (écrits avant la version 0005) : "
                + ", ".join(
                    f"{fr_number(n)} ({LEGACY_LABELS.get(k, k)})" for k, n in legacy.items()
                )
                + " : lancez « relais-admin keys encrypt-existing --recovery-key-stdin »."
            )
        return 0
    finally:
        services.db.dispose()


def cmd_keys_recover(args: argparse.Namespace) -> int:
    services = open_services(database_url(args))
    try:
        installation(services)
        text = read_recovery_key(args, required=True)
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
    services = open_services(database_url(args))
    progress = Progress("Chiffrement des notes", " notes")
    try:
        installation(services)
        recovery = read_recovery_key(args, required=False)
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
            print_keyring_note(services)
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
                f"  {LEGACY_LABELS.get(kind, kind)} : {fr_number(done)}", file=sys.stderr
            ),
        )
    finally:
        progress.finish()
        services.db.dispose()
    print(
        f"Notes chiffrées : {fr_number(report.notes_encrypted)} "
        f"(déjà chiffrées : {fr_number(report.notes_already_encrypted)})."
    )
    details = report.details
    print(
        f"Détails scellés : {fr_number(sum(details.rows_sealed.values()))} ligne(s), "
        f"{fr_number(details.referrals)} orientation(s) sous leur propre clé, "
        f"{fr_number(details.documents)} document(s)."
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
    services = open_services(database_url(args))
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
        if key == DEMO_AUDIT_KEY:
            print(DEMO_KEYS_NOTE.format(what="d'audit"))
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
    services = open_services(database_url(args), read_only=True)
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
    services = open_services(database_url(args), read_only=True)
    try:
        ident = installation(services)
        store = SecretStore(ident)
        if args.show and services.backups.is_demo() and not store.get(AUDIT_KEY):
            print(DEMO_AUDIT_KEY.hex())
            print(DEMO_KEYS_NOTE.format(what="d'audit"), file=sys.stderr)
            return 0
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


def cmd_user_remove_second_factor(args: argparse.Namespace) -> int:
    services = open_services(database_url(args))
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


def register(commands, command, common) -> None:  # type: ignore[no-untyped-def]
    """Add the ``keys`` and ``audit`` commands to relais-admin."""

    group = partial(command_group, commands, common)

    _register_keys(group, command)
    _register_audit(group, command)


def _register_keys(group, command) -> None:  # type: ignore[no-untyped-def]
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
    recovery_option(recover, "lire la clé de secours sur une ligne de l'entrée standard")
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
    recovery_option(
        encrypt,
        "lire la clé de secours sur l'entrée standard (nécessaire si des volets ont déjà une clé)",
    )
    encrypt.add_argument("--folder", metavar="DOSSIER", help="dossier de la sauvegarde préalable")
    encrypt.add_argument(
        "--no-backup",
        action="store_true",
        help="ne pas faire de sauvegarde préalable (déconseillé)",
    )


def _register_audit(group, command) -> None:  # type: ignore[no-untyped-def]
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


def register_user(users, command) -> None:  # type: ignore[no-untyped-def]
    remove = command(
        users,
        "remove-second-factor",
        "supprimer la double authentification d'un compte (téléphone et codes perdus)",
        cmd_user_remove_second_factor,
    )
    remove.add_argument("username", metavar="IDENTIFIANT", help="identifiant du compte")
