"""relais-admin's parser and entry point: every command group registers itself here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from app.admin import accounts, maintenance, report, security, server
from app.admin.common import FrenchParser, error_reason
from app.models.db import ENV_DATABASE_URL
from app.services.kernel import logs
from app.services.kernel.errors import RelaisError


def build_parser() -> argparse.ArgumentParser:
    database_help = (
        "adresse SQLAlchemy de la base (ex. sqlite:///chemin/relais.sqlite ou "
        "postgresql://hote/base) ; sinon RELAIS_DATABASE_URL, sinon le dossier de l'utilisateur"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=database_help)
    demo_help = (
        "la base de démonstration, celle que « relais --demo » ouvre (ses clés d'audit et de "
        "sauvegarde sont des clés de démonstration)"
    )
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help=demo_help)

    parser = FrenchParser(
        prog="relais-admin",
        description="Administration de Relais sans interface graphique.",
    )
    parser.add_argument("--database", metavar="URL", default=None, help=database_help)
    parser.add_argument("--demo", action="store_true", help=demo_help)
    commands = parser.add_subparsers(title="commandes", dest="command", metavar="COMMANDE")
    commands.required = True

    def command(group, name: str, help_text: str, handler: Callable[..., int]):  # type: ignore[no-untyped-def]
        sub = group.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    users = accounts.register(commands, command, common)
    security.register_user(users, command)
    security.register(commands, command, common)
    maintenance.register(commands, command, common)
    server.register(commands, command)
    accounts.register_policy(commands, command)
    report.add_parser(commands, parents=[common])
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
        args.database = server.remembered_url()  # the server of `relais-admin connect`
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
        print(f"Erreur de base de données : {error_reason(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130
