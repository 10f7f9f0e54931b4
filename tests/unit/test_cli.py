"""`relais --help`, `--version` and argparse's errors are French (app/cli.py)."""

from __future__ import annotations

import re

import pytest

from app import __version__
from app.cli import FrenchArgumentParser, integer
from app.main import parse_args

ENGLISH = re.compile(
    r"usage|show this help|show program|positional arguments|optional arguments|options:|"
    r"error|unrecognized|required|invalid|expected|argument"
)


def run(capsys, argv: list[str]) -> tuple[int | str | None, str, str]:
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    out, err = capsys.readouterr()
    return stopped.value.code, out, err


def test_help_is_french(capsys):
    code, out, _ = run(capsys, ["--help"])
    assert code == 0
    assert out.startswith("utilisation : relais [-h] [-V] [--demo]")
    assert "Options :" in out and "afficher cette aide et quitter" in out
    assert "--self-test" in out and "--platform NOM" in out
    # Only our own words: none of argparse's English ones.
    assert not ENGLISH.search(out)


def test_version_is_the_package_version(capsys):
    code, out, _ = run(capsys, ["--version"])
    assert code == 0 and out.strip() == f"Relais {__version__}"


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--bogus"], "arguments non reconnus : --bogus"),
        (
            ["--demo-patients", "beaucoup"],
            "argument --demo-patients : nombre entier attendu, et non « beaucoup »",
        ),
        (
            ["--demo-patients", "-3"],
            "argument --demo-patients : nombre entier d'au moins 0 attendu",
        ),
        (["--database"], "argument --database : une valeur est attendue"),
    ],
)
def test_errors_are_french(capsys, argv, expected):
    code, _, err = run(capsys, argv)
    assert code == 2
    assert err.startswith("utilisation : relais")
    assert f"relais : erreur : {expected}" in err
    assert "error" not in err and "usage" not in err


def test_subcommands_and_choices_in_french(capsys):
    parser = FrenchArgumentParser(prog="outil")
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("compter")
    sub.add_argument("n", type=integer())
    sub.add_argument("--mode", choices=["vite", "lent"])
    with pytest.raises(SystemExit):
        parser.parse_args([])
    assert "arguments obligatoires manquants : command" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["compter", "3", "--mode", "autre"])
    err = capsys.readouterr().err
    assert "choix non valide : 'autre' (choix possibles : 'vite', 'lent')" in err
    with pytest.raises(SystemExit):
        parser.parse_args(["compter", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : outil compter") and "Arguments :" in out
    assert parser.parse_args(["compter", "7"]).n == 7


def test_argparse_is_left_as_it_was():
    import argparse

    FrenchArgumentParser(prog="x").format_help()
    assert argparse._("usage: ") == "usage: "  # the swap ends with the call
