"""relais-admin: headless administration of a Relais database (IT scripts, tests, support).

Every command takes ``--database URL`` (else ``RELAIS_DATABASE_URL``, else the user-data folder),
creates and migrates the database when needed, and runs without prompts when its options are
given: passwords come from standard input (``--password-stdin``), from ``RELAIS_PASSWORD``, or
from a prompt when a terminal is attached. Account commands act as the system actor
``relais-admin`` (coordinator rights, audited under that name). Messages are French; exit code
0 on success, 1 on an error, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import os
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from alembic.util import CommandError
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.models.db import ENV_DATABASE_URL, Database, migrate, resolve_url
from app.models.enums import Profession, Role
from app.services import logs, policy
from app.services.actor import system_actor
from app.services.auth import PROFESSION_LABELS, ROLE_PROFESSIONS, UserInfo, UserInput
from app.services.clinic import ClinicInput
from app.services.container import ENV_AUDIT_KEY, Services, installation_id
from app.services.demo import DEMO_ACCOUNTS, create_demo
from app.services.errors import RelaisError
from app.services.pre_migration import pg_backup
from app.services.records import ClinicInfo

PASSWORD_ENV = "RELAIS_PASSWORD"

_ARGPARSE_FR: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"argument \1 : choix invalide : \2 (choix possibles : \3)",
    ),
    (r"argument (\S+): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (\S+): invalid int value: (.*)", r"argument \1 : nombre entier invalide : \2"),
    (r"argument (\S+): (.*)", r"argument \1 : \2"),
)


def _fr(message: str) -> str:
    for pattern, replacement in _ARGPARSE_FR:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with French usage lines, section titles and error messages."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {_fr(message)}\n")


# ---- small helpers --------------------------------------------------------------------------
def _number(value: int | float) -> str:
    return f"{value:,}".replace(",", " ")


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "(adresse illisible)"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _open(url: str) -> Services:
    """Open (create, migrate) the database; a French sentence instead of a traceback."""
    try:
        db = Database.open(url, upgrade=False)
        backup = migrate(db.engine, pg_backup=pg_backup)
    except (SQLAlchemyError, CommandError, OSError, ValueError) as exc:
        raise RelaisError(
            f"Impossible d'ouvrir la base de données « {_safe_url(url)} » "
            f"(détail technique : {_reason(exc)}). Vérifiez l'adresse, le dossier et les droits."
        ) from exc
    if backup is not None:
        print(f"Base mise à jour ; sauvegarde préalable : {backup}", file=sys.stderr)
    services = Services.build(db)
    if services.audit.key is None and installation_id(services.db):
        print(AUDIT_KEY_MISSING, file=sys.stderr)
    return services


AUDIT_KEY_MISSING = (
    "Attention : clé d'audit introuvable sur ce poste (trousseau du système indisponible ou "
    f"vide, variable {ENV_AUDIT_KEY} absente) : les entrées du journal d'audit écrites par "
    "cette commande ne seront pas scellées, et « relais-admin audit verify » les signalera "
    "comme invérifiables. Installez la clé avec « relais-admin audit key "
    f"--install-stdin » ou donnez-la par {ENV_AUDIT_KEY}."
)


def _read_password(args: argparse.Namespace, *, confirm: bool) -> str:
    """--password-stdin, else RELAIS_PASSWORD, else a prompt on a terminal; never printed."""
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise RelaisError("Aucun mot de passe reçu sur l'entrée standard.")
        password = line.rstrip("\r\n")
    elif os.environ.get(PASSWORD_ENV):
        password = os.environ[PASSWORD_ENV]
    elif sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass("Mot de passe : ")
        if confirm and getpass.getpass("Confirmez le mot de passe : ") != password:
            raise RelaisError("Les deux mots de passe saisis sont différents.")
    else:
        raise RelaisError(
            "Aucun mot de passe fourni : utilisez --password-stdin (une ligne sur l'entrée "
            f"standard) ou la variable d'environnement {PASSWORD_ENV}."
        )
    if not password:
        raise RelaisError("Le mot de passe est vide.")
    return password


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int] | None = None
) -> str:
    """An aligned plain-text table (two spaces between columns, a rule under the header).

    With ``widths``, a cell longer than its column's width is wrapped onto several lines.
    """
    limits = list(widths) if widths else [0] * len(headers)
    for i, limit in enumerate(limits):  # never cut a word: widen the column instead
        if limit:
            words = (w for row in (headers, *rows) for w in row[i].split())
            limits[i] = max(limit, *(len(w) for w in words))

    def wrap(cells: Sequence[str]) -> list[list[str]]:
        return [
            textwrap.wrap(c, limit, break_long_words=False) or [""] if limit else [c]
            for c, limit in zip(cells, limits, strict=True)
        ]

    wrapped = [wrap(headers), *(wrap(r) for r in rows)]
    sizes = [max(len(part) for row in wrapped for part in row[i]) for i in range(len(headers))]

    def lines(row: list[list[str]]) -> list[str]:
        height = max(len(cell) for cell in row)
        return [
            "  ".join(
                (cell[n] if n < len(cell) else "").ljust(size)
                for cell, size in zip(row, sizes, strict=True)
            ).rstrip()
            for n in range(height)
        ]

    rule = "  ".join("-" * size for size in sizes)
    out = [*lines(wrapped[0]), rule]
    for row in wrapped[1:]:
        out.extend(lines(row))
    return "\n".join(out)


# ---- commands -------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        if args.migrate_only:
            print(f"Base de données à jour : {_safe_url(str(services.db.url))}")
            return 0
        clinic = services.clinic.public()
        if services.auth.has_accounts():
            name = f" (« {clinic.name} »)" if clinic else ""
            raise RelaisError(
                f"Relais est déjà installé dans cette base de données{name}. "
                "Utilisez --migrate-only pour seulement la mettre à jour."
            )
        password = _read_password(args, confirm=True)
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
    last = user.last_login_at.astimezone().strftime("%d/%m/%Y %H:%M") if user.last_login_at else ""
    return [
        user.username,
        user.display_name,
        policy.ROLE_LABELS[user.role],
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
    services = _open(resolve_url(args.database))
    try:
        password = _read_password(args, confirm=True)
        user = services.auth.create_user(
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
        print(f"Compte créé : {user.username} ({user.display_name}, {policy.ROLE_LABELS[role]}).")
        if user.must_change_password:
            print("Le mot de passe devra être changé à la première connexion.")
        return 0
    finally:
        services.db.dispose()


def cmd_user_list(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database))
    try:
        users = services.auth.list_users(system_actor())
        if not users:
            print("Aucun compte : lancez d'abord « relais-admin init ».")
            return 0
        headers = ["Identifiant", "Nom", "Rôle", "Profession", "RPPS", "État", "Connexion"]
        print(text_table(headers, [_account_line(u) for u in users]))
        return 0
    finally:
        services.db.dispose()


def _set_active(args: argparse.Namespace, active: bool) -> int:
    services = _open(resolve_url(args.database))
    try:
        actor = system_actor()
        user = services.auth.find_user(actor, args.username)
        services.auth.set_active(actor, user.id, active)
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
    services = _open(resolve_url(args.database))
    try:
        actor = system_actor()
        user = services.auth.find_user(actor, args.username)
        password = _read_password(args, confirm=True)
        services.auth.reset_password(actor, user.id, password, must_change=True)
        print(
            f"Mot de passe de {user.username} réinitialisé ; il devra être changé à la "
            "prochaine connexion."
        )
        return 0
    finally:
        services.db.dispose()


class _Progress:
    """A percentage line rewritten in place on standard error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        if percent != self.last:
            self.last = percent
            self.stream.write(
                f"\rDonnées de démonstration : {percent:3d} % "
                f"({_number(done)} / {_number(total)} patients)"
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.last >= 0:
            self.stream.write("\n")
            self.stream.flush()


def cmd_demo(args: argparse.Namespace) -> int:
    services = _open(resolve_url(args.database, demo=True))
    progress = _Progress(sys.stderr)
    try:
        summary = create_demo(
            services,
            patients=args.patients,
            seed=args.seed,
            notes_per_patient=args.notes_per_patient,
            progress=progress,
        )
    finally:
        progress.finish()
        services.db.dispose()
    seconds = f"{summary.seconds:.1f}".replace(".", ",")
    print(
        f"Données de démonstration ajoutées : {_number(summary.patients)} patients, "
        f"{_number(summary.notes)} notes, en {seconds} s."
    )
    print(
        f"Comptes de démonstration ({summary.users}, mot de passe commun : constante "
        "DEMO_PASSWORD de app/services/demo.py) :"
    )
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<14} {account.display_name}")
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    headers = ["Élément", *(policy.ROLE_LABELS[r] for r in Role), "Condition"]
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


def build_parser() -> argparse.ArgumentParser:
    database_help = (
        "adresse SQLAlchemy de la base (ex. sqlite:///chemin/relais.sqlite ou "
        "postgresql://hote/base) ; sinon RELAIS_DATABASE_URL, sinon le dossier de l'utilisateur"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=database_help)

    parser = _Parser(
        prog="relais-admin",
        description="Administration de Relais sans interface graphique.",
    )
    parser.add_argument("--database", metavar="URL", default=None, help=database_help)
    commands = parser.add_subparsers(title="commandes", dest="command", metavar="COMMANDE")
    commands.required = True

    def command(group, name: str, help_text: str, handler: Callable[..., int]):  # type: ignore[no-untyped-def]
        sub = group.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

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
        help="rôle : " + ", ".join(f"{r.value} = {policy.ROLE_LABELS[r]}" for r in Role),
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
    from app import admin_security  # imports this module: registered once both are loaded

    admin_security.register_user(users, command)

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

    admin_security.register(commands, command, common)
    from app import admin_server

    admin_server.register(commands, command)

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
    return parser


def _check_init(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.command == "init" and not args.migrate_only:
        missing = [
            option
            for option, value in (
                ("--clinic-name", args.clinic_name),
                ("--username", args.username),
                ("--first-name", args.first_name),
                ("--last-name", args.last_name),
            )
            if not value
        ]
        if missing:
            parser.error(f"the following arguments are required: {', '.join(missing)}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _check_init(parser, args)
    except SystemExit as exc:  # usage error (2) or --help (0)
        return exc.code if isinstance(exc.code, int) else 0
    logs.configure()
    log = logs.get("admin")
    remembered = args.command not in {"demo", "connect", "migrate-to-postgresql"}
    if remembered and not args.database and not os.environ.get(ENV_DATABASE_URL, "").strip():
        from app import admin_server

        args.database = admin_server.remembered_url()  # the server of `relais-admin connect`
    name = " ".join(
        [args.command, *(str(v) for k, v in vars(args).items() if k.endswith("_command"))]
    )
    try:
        code = int(args.handler(args))
        log.info("relais-admin %s : code %d", name, code)
        return code
    except RelaisError as exc:
        log.info("relais-admin %s : refusé (%s)", name, type(exc).__name__)
        print(exc.message, file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Erreur de base de données : {_reason(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
