"""relais-admin commands for the clinic, its accounts, demo data and the policy table."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from app.admin.common import (
    PASSWORD_ENV,
    Progress,
    database_url,
    fr_number,
    open_services,
    read_password,
    safe_url,
    text_table,
)
from app.container import Services
from app.demo.files import built_aside
from app.demo.generator import DEMO_ACCOUNTS, DemoSummary, create_demo
from app.models.db import resolve_url, sqlite_path
from app.models.enums import Profession, Role
from app.services.accounts.records import PROFESSION_LABELS, ROLE_PROFESSIONS, UserInfo, UserInput
from app.services.clinic.records import ClinicInfo, ClinicInput
from app.services.kernel import policy
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import ROLE_LABELS
from app.services.kernel.timefmt import aware, fmt_datetime


# ---- commands -------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    services = open_services(database_url(args))
    try:
        if args.migrate_only:
            print(f"Base de données à jour : {safe_url(str(services.db.url))}")
            return 0
        clinic = services.clinic.public()
        if services.accounts.has_accounts():
            name = f" (« {clinic.name} »)" if clinic else ""
            raise RelaisError(
                f"Relais est déjà installé dans cette base de données{name}. "
                "Utilisez --migrate-only pour seulement la mettre à jour."
            )
        password = read_password(args, confirm=True)
        result = services.clinic.setup(
            ClinicInput(args.clinic_name, args.address, args.finess, args.phone),
            UserInput(
                args.username,
                args.first_name,
                args.last_name,
                Role.COORDINATOR,
                Profession.COORDINATOR,
            ),
            password,
        )
        info, user = result.clinic, result.coordinator
        print(f"Maison de santé « {info.name} » installée.")
        print(f"Premier compte de coordination créé : {user.username} ({user.display_name}).")
        print_recovery_key(result.recovery_key, result.audit_key)
        if args.recovery_key_pdf:
            save_recovery_sheet(
                services, result.clinic, Path(args.recovery_key_pdf), result.recovery_key
            )
        return 0
    finally:
        services.db.dispose()


def save_recovery_sheet(
    services: Services, clinic: ClinicInfo, path: Path, recovery_key: str
) -> None:
    """The printable recovery-key sheet (PDF), when the documents service provides it."""
    documents = getattr(services, "documents", None)
    sheet = getattr(documents, "recovery_key_sheet", None)
    if sheet is None:
        raise RelaisError(
            "Cette version de Relais ne sait pas encore imprimer la fiche de la clé de secours : "
            "recopiez la clé affichée ci-dessus."
        )
    data = sheet(clinic, recovery_key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else bytes(data))
    except OSError as exc:
        raise RelaisError(
            f"La fiche de la clé de secours n'a pas pu être enregistrée dans « {path} » "
            f"({exc.strerror or exc}) : recopiez la clé affichée ci-dessus."
        ) from exc
    print(f"Fiche imprimable de la clé de secours : {path}")


def print_recovery_key(recovery_key: str, audit_key: str | None) -> None:
    """Shown once: the coordinator writes it down or prints it and keeps it offline."""
    print()
    print("CLÉ DE SECOURS — à conserver hors ligne, en lieu sûr. Elle ne sera plus affichée :")
    print(f"    {recovery_key}")
    print(
        "Sans elle, si tous les titulaires d'un volet perdent leur mot de passe, "
        "personne ne pourra plus lire ce volet."
    )
    if audit_key:
        print()
        print("Le trousseau du système n'est pas disponible : notez aussi la clé d'audit.")
        print("Donnez-la à Relais par la variable RELAIS_AUDIT_KEY sur chaque poste :")
        print(f"    {audit_key}")


def _account_line(user: UserInfo) -> list[str]:
    last = fmt_datetime(aware(user.last_login_at))
    return [
        user.username,
        user.display_name,
        ROLE_LABELS[user.role],
        PROFESSION_LABELS[user.profession],
        user.rpps or "",
        "actif" if user.active else "désactivé",
        last or "jamais",
    ]


def cmd_user_add(args: argparse.Namespace) -> int:
    role = Role(args.role)
    profession = args.profession
    if profession is None:
        choices = ROLE_PROFESSIONS[role]
        if len(choices) > 1:
            raise RelaisError(
                "Précisez la profession (--profession) : "
                + ", ".join(f"{p.value} ({PROFESSION_LABELS[p]})" for p in choices)
                + "."
            )
        profession = choices[0]
    services = open_services(database_url(args))
    try:
        password = read_password(args, confirm=True)
        user = services.accounts.create_user(
            system_actor(),
            UserInput(
                args.username,
                args.first_name,
                args.last_name,
                role,
                Profession(profession),
                args.rpps or "",
            ),
            password,
            must_change=not args.no_password_change,
        )
        print(f"Compte créé : {user.username} ({user.display_name}, {ROLE_LABELS[role]}).")
        if user.must_change_password:
            print("Le mot de passe devra être changé à la première connexion.")
        return 0
    finally:
        services.db.dispose()


def cmd_user_list(args: argparse.Namespace) -> int:
    services = open_services(database_url(args), read_only=True)
    try:
        users = services.accounts.list_users(system_actor())
        if not users:
            print("Aucun compte : lancez d'abord « relais-admin init ».")
            return 0
        headers = ["Identifiant", "Nom", "Rôle", "Profession", "RPPS", "État", "Connexion"]
        print(text_table(headers, [_account_line(u) for u in users]))
        return 0
    finally:
        services.db.dispose()


def _set_active(args: argparse.Namespace, active: bool) -> int:
    services = open_services(database_url(args))
    try:
        actor = system_actor()
        user = services.accounts.find_user(actor, args.username)
        services.accounts.set_active(actor, user.id, active)
        state = "réactivé" if active else "désactivé"
        print(f"Compte {user.username} ({user.display_name}) {state}.")
        return 0
    finally:
        services.db.dispose()


def cmd_user_disable(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_user_enable(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    services = open_services(database_url(args))
    try:
        actor = system_actor()
        user = services.accounts.find_user(actor, args.username)
        password = read_password(args, confirm=True)
        services.accounts.reset_password(actor, user.id, password, must_change=True)
        print(
            f"Mot de passe de {user.username} réinitialisé ; il devra être changé à la "
            "prochaine connexion."
        )
        return 0
    finally:
        services.db.dispose()


def _fill_demo(args: argparse.Namespace, url: str) -> DemoSummary:
    services = open_services(url)
    progress = Progress("Données de démonstration", " patients")
    try:
        return create_demo(
            services,
            patients=args.patients,
            seed=args.seed,
            notes_per_patient=args.notes_per_patient,
            progress=progress,
        )
    finally:
        progress.finish()
        services.db.dispose()


def cmd_demo(args: argparse.Namespace) -> int:
    url = resolve_url(args.database, demo=True)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        # A new file gets its name only once complete (app/demo/files.py).
        with built_aside(path) as partial:
            summary = _fill_demo(
                args, make_url(url).set(database=str(partial)).render_as_string(hide_password=False)
            )
    else:
        summary = _fill_demo(args, url)
    seconds = f"{summary.seconds:.1f}".replace(".", ",")
    print(
        f"Données de démonstration ajoutées : {fr_number(summary.patients)} patients, "
        f"{fr_number(summary.notes)} notes, en {seconds} s."
    )
    print(
        f"Comptes de démonstration ({summary.users}, mot de passe commun : constante "
        "DEMO_PASSWORD de app/demo/generator.py) :"
    )
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<14} {account.display_name}")
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    headers = ["Élément", *(ROLE_LABELS[r] for r in Role), "Condition"]
    rows = [[label, *cells, condition] for label, cells, condition in policy.table_rows()]
    if args.format == "csv":
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return 0
    print("Relais — qui voit quoi (table de visibilité appliquée par tous les services)")
    print()
    widths = [30, *(14 for _ in Role), 26]
    print(text_table(headers, rows, widths))
    print()
    print("L = lecture, É = écriture, – = aucun accès (le refus est journalisé).")
    return 0


# ---- parser -----------------------------------------------------------------------------------
def _add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"lire le mot de passe sur une ligne de l'entrée standard (sinon : variable "
        f"{PASSWORD_ENV}, sinon saisie au terminal)",
    )


def register(commands, command, common):  # type: ignore[no-untyped-def]
    """Add ``init``, ``user`` and ``demo``; the ``user`` actions group, for more actions."""
    _register_init(commands, command)
    users = _register_users(commands, command, common)
    _register_demo(commands, command)
    return users


def _register_init(commands, command) -> None:  # type: ignore[no-untyped-def]
    init = command(
        commands,
        "init",
        "créer ou mettre à jour la base, installer la maison de "
        "santé et son premier compte de coordination",
        cmd_init,
    )
    init.add_argument("--clinic-name", help="nom de la maison de santé")
    init.add_argument("--address", default="", help="adresse postale")
    init.add_argument("--finess", default="", help="numéro FINESS (9 caractères)")
    init.add_argument("--phone", default="", help="téléphone")
    init.add_argument("--username", help="identifiant du premier compte de coordination")
    init.add_argument("--first-name", help="prénom")
    init.add_argument("--last-name", help="nom")
    init.add_argument(
        "--recovery-key-pdf",
        metavar="FICHIER",
        help="enregistrer aussi la fiche imprimable (PDF) de la clé de secours",
    )
    init.add_argument(
        "--migrate-only",
        action="store_true",
        help="seulement créer ou mettre à jour le schéma de la base",
    )
    _add_password_stdin(init)


def _register_users(commands, command, common):  # type: ignore[no-untyped-def]
    user = commands.add_parser(
        "user",
        help="gérer les comptes",
        description="Gérer les comptes (au nom de relais-admin, journalisé).",
        parents=[common],
    )
    users = user.add_subparsers(title="actions", dest="user_command", metavar="ACTION")
    users.required = True
    add = command(users, "add", "créer un compte", cmd_user_add)
    add.add_argument("--username", required=True, help="identifiant (minuscules sans accent)")
    add.add_argument("--first-name", required=True, help="prénom")
    add.add_argument("--last-name", required=True, help="nom")
    add.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help="rôle : " + ", ".join(f"{r.value} = {ROLE_LABELS[r]}" for r in Role),
    )
    add.add_argument(
        "--profession",
        choices=[p.value for p in Profession],
        help="profession (obligatoire pour le rôle paramedical : nurse, "
        "physiotherapist ou midwife)",
    )
    add.add_argument(
        "--rpps", help="numéro RPPS (11 chiffres), obligatoire pour un professionnel de santé"
    )
    add.add_argument(
        "--no-password-change",
        action="store_true",
        help="ne pas exiger de changement du mot de passe à la première connexion",
    )
    _add_password_stdin(add)
    command(users, "list", "lister les comptes", cmd_user_list)
    for name, help_text, handler in (
        ("disable", "désactiver un compte", cmd_user_disable),
        ("enable", "réactiver un compte", cmd_user_enable),
    ):
        command(users, name, help_text, handler).add_argument(
            "username", metavar="IDENTIFIANT", help="identifiant du compte"
        )
    reset = command(
        users,
        "reset-password",
        "réinitialiser le mot de passe d'un compte",
        cmd_user_reset_password,
    )
    reset.add_argument("username", metavar="IDENTIFIANT", help="identifiant du compte")
    _add_password_stdin(reset)
    return users


def _register_demo(commands, command) -> None:  # type: ignore[no-untyped-def]
    demo = command(
        commands,
        "demo",
        "remplir une base de démonstration (patients et notes "
        "fictifs) ; sans --database : la base de démonstration de l'utilisateur",
        cmd_demo,
    )
    demo.add_argument(
        "--patients",
        type=int,
        required=True,
        metavar="N",
        help="nombre de patients fictifs à ajouter",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="graine (mêmes données pour la même graine ; défaut : 2026)",
    )
    demo.add_argument(
        "--notes-per-patient",
        type=int,
        default=10,
        metavar="K",
        help="notes par patient (défaut : 10)",
    )


def register_policy(commands, command) -> None:  # type: ignore[no-untyped-def]
    pol = command(
        commands,
        "policy",
        "afficher la table de visibilité (qui voit quoi), par exemple pour le registre RGPD",
        cmd_policy,
    )
    pol.add_argument(
        "--format",
        choices=["text", "csv"],
        default="text",
        help="texte aligné (défaut) ou CSV séparé par des points-virgules",
    )
