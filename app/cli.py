"""French command lines: ``argparse`` speaking French (« utilisation », « Options »…).

``argparse`` builds its own words (the usage prefix, the section titles, the ``--help`` line
and every error message) with ``gettext`` from module-level ``_``/``ngettext`` names. While a
:class:`FrenchArgumentParser` builds, parses or prints, those two names are replaced by a
lookup in :data:`FRENCH` (a message with no translation stays as it is). Command lines are
parsed once, at start, on the main thread: the short swap is safe there.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

# argparse's own messages (Python 3.11 to 3.13), in French.
FRENCH: dict[str, str] = {
    "usage: ": "utilisation : ",
    # Section titles: argparse adds the colon; French puts a space before it.
    "options": "Options ",
    "optional arguments": "Options ",
    "positional arguments": "Arguments ",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version de Relais et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur non valide (%(type)s attendu) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix non valide : %(value)r (choix possibles : %(choices)s)"
    ),
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n'en prend pas",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue %(parser_name)r (choix possibles : %(choices)s)"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "option %(option)s is deprecated": "l'option %(option)s est obsolète",
    "argument %(argument_name)s is deprecated": "l'argument %(argument_name)s est obsolète",
    "command %(parser_name)r is deprecated": "la commande %(parser_name)r est obsolète",
}
FRENCH_PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): (
        "%s valeur attendue",
        "%s valeurs attendues",
    ),
}

_F = TypeVar("_F", bound=Callable[..., Any])


def _gettext(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    french = FRENCH_PLURALS.get((singular, plural))
    if french is None:
        return singular if n == 1 else plural
    return french[0] if n == 1 else french[1]


@contextmanager
def french() -> Iterator[None]:
    """argparse's own words in French for the duration of the block (re-entrant)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _in_french(method: _F) -> _F:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with french():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's line breaks; « utilisation : » instead of « usage: »."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[override]
        super().add_usage(usage, actions, groups, FRENCH["usage: "] if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and errors are French.

    ``-h/--help`` is its own (French help text); ``version`` adds ``-V/--version``.
    """

    def __init__(self, *args: Any, version: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False
        with french():
            super().__init__(*args, **kwargs)
            self.add_argument(
                "-h", "--help", action="help", help=FRENCH["show this help message and exit"]
            )
            if version is not None:
                self.add_argument(
                    "-V",
                    "--version",
                    action="version",
                    version=version,
                    help=FRENCH["show program's version number and exit"],
                )

    add_argument_group = _in_french(argparse.ArgumentParser.add_argument_group)
    add_mutually_exclusive_group = _in_french(argparse.ArgumentParser.add_mutually_exclusive_group)
    add_subparsers = _in_french(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_french(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_french(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_french(argparse.ArgumentParser.format_usage)
    format_help = _in_french(argparse.ArgumentParser.format_help)

    def error(self, message: str) -> NoReturn:
        with french():
            super().error(message)
        raise AssertionError("unreachable")  # pragma: no cover (error() exits)


def integer(minimum: int | None = None) -> Callable[[str], int]:
    """An ``argparse`` type: a whole number (at least ``minimum``), French errors."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"nombre entier attendu, et non « {text} »") from None
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"nombre entier d'au moins {minimum} attendu")
        return value

    parse.__name__ = "entier"
    return parse
