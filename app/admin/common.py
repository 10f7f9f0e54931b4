"""What every relais-admin command shares: French argparse, opening the database, reading
passwords and the recovery key from standard input, progress lines, text tables."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from alembic.util import CommandError
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.container import ENV_AUDIT_KEY, Services, installation_id
from app.models.db import Database, migrate, resolve_url, sqlite_path
from app.services.clinic.pre_migration import pg_backup
from app.services.kernel.errors import RelaisError

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


class FrenchParser(argparse.ArgumentParser):
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
def fr_number(value: int | float) -> str:
    return f"{value:,}".replace(",", " ")


def safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "(adresse illisible)"


def error_reason(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _sqlite_file(url: str) -> Path | None:
    try:
        return sqlite_path(url)
    except (SQLAlchemyError, ValueError):
        return None  # an unreadable address: said by the open itself


def database_url(args: argparse.Namespace) -> str:
    """The database of a command: --database, else RELAIS_DATABASE_URL, else the user's
    database (with --demo: the demo database ``relais --demo`` opens, which must exist)."""
    demo = bool(getattr(args, "demo", False))
    url = resolve_url(args.database, demo)
    path = _sqlite_file(url)
    if demo and path is not None and not path.exists():
        raise RelaisError(
            f"La base de démonstration « {path} » n'existe pas encore : lancez d'abord "
            "« relais --demo » ou « relais-admin --demo demo --patients 50 »."
        )
    return url


def open_services(url: str, *, read_only: bool = False) -> Services:
    """Open (create, migrate) the database; a French sentence instead of a traceback.

    ``read_only`` commands neither write nor verify audit entries: no audit-key warning, and a
    missing SQLite file is an error instead of a new empty database."""
    path = _sqlite_file(url)
    if read_only and path is not None and not path.exists():
        raise RelaisError(
            f"Aucune base de données « {path} » : installez Relais (« relais-admin init ») ou "
            "indiquez la base avec --database (--demo pour la base de démonstration)."
        )
    try:
        db = Database.open(url, upgrade=False)
        backup = migrate(db.engine, pg_backup=pg_backup)
    except (SQLAlchemyError, CommandError, OSError, ValueError) as exc:
        raise RelaisError(
            f"Impossible d'ouvrir la base de données « {safe_url(url)} » "
            f"(détail technique : {error_reason(exc)}). "
            "Vérifiez l'adresse, le dossier et les droits."
        ) from exc
    if backup is not None:
        print(f"Base mise à jour ; sauvegarde préalable : {backup}", file=sys.stderr)
    services = Services.build(db)
    if not read_only and services.audit.key is None and installation_id(services.db):
        print(AUDIT_KEY_MISSING, file=sys.stderr)
    return services


AUDIT_KEY_MISSING = (
    "Attention : clé d'audit introuvable sur ce poste (trousseau du système indisponible ou "
    f"vide, variable {ENV_AUDIT_KEY} absente) : les entrées du journal d'audit écrites par "
    "cette commande ne seront pas scellées, et « relais-admin audit verify » les signalera "
    "comme invérifiables. Installez la clé avec « relais-admin audit key "
    f"--install-stdin » ou donnez-la par {ENV_AUDIT_KEY}."
)


def read_password(args: argparse.Namespace, *, confirm: bool) -> str:
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
    """An aligned plain-text table (rich): a rule under the header, no colour, no frame.

    With ``widths``, a cell longer than its column's width is wrapped onto several lines at
    word boundaries (a word longer than the width widens the column rather than being cut).
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    limits = list(widths) if widths else [0] * len(headers)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="")
    for i, header in enumerate(headers):
        longest_word = max((len(w) for row in (headers, *rows) for w in row[i].split()), default=0)
        limit = max(limits[i], longest_word) if limits[i] else None
        table.add_column(header, max_width=limit, no_wrap=limit is None, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(width=10_000, color_system=None, highlight=False, emoji=False, markup=False)
    with console.capture() as capture:
        console.print(table)
    return "\n".join(line.rstrip() for line in capture.get().splitlines() if line.strip())


RECOVERY_PROMPT = "Clé de secours : "


class Progress:
    """``label : 42 % (n / total)`` on standard error (rich): a live bar on a terminal, the
    final line when the output is a file or a pipe. The one progress display of relais-admin."""

    def __init__(self, label: str, unit: str = "", stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self._progress = None
        self._task = None

    def _start(self, total: int):  # type: ignore[no-untyped-def]
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn
        from rich.progress import Progress as RichProgress

        console = Console(file=self.stream, color_system=None, highlight=False, emoji=False)
        columns = [
            TextColumn("{task.description} :"),
            BarColumn(),
            TextColumn("{task.fields[text]}"),
        ]
        progress = RichProgress(*columns, console=console, transient=False)
        progress.start()
        self._progress = progress
        self._task = progress.add_task(self.label, total=max(total, 1), text="")
        return progress

    def __call__(self, done: int, total: int) -> None:
        progress = self._progress or self._start(total)
        percent = 100 if total == 0 else min(100, done * 100 // total)
        counts = f" ({fr_number(done)} / {fr_number(total)}{self.unit})" if self.unit else ""
        progress.update(
            self._task,
            completed=min(done, total) if total else 1,
            total=max(total, 1),
            text=f"{percent:3d} %{counts}",
        )

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def read_recovery_key(args: argparse.Namespace, *, required: bool) -> str | None:
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


def installation(services: Services) -> str:
    ident = installation_id(services.db)
    if not ident:
        raise RelaisError("Relais n'est pas encore installé dans cette base : lancez « init ».")
    return ident


def print_keyring_note(services: Services) -> None:
    message = services.backups.keyring_message()
    if message:
        print(message, file=sys.stderr)


def recovery_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--recovery-key-stdin", action="store_true", help=help_text)


def command_group(commands, common, name: str, help_text: str, description: str):  # type: ignore[no-untyped-def]
    """A sub-command group (``keys``, ``audit``…) whose actions are added with ``command``."""
    parser = commands.add_parser(name, help=help_text, description=description, parents=[common])
    sub = parser.add_subparsers(title="actions", dest=f"{name}_command", metavar="ACTION")
    sub.required = True
    return sub


DEMO_KEYS_NOTE = (
    "Base de démonstration : la clé {what} est la clé de démonstration, fixe et publique "
    "(une vraie installation a sa propre clé, gardée dans le trousseau du poste)."
)
