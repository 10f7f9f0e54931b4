"""Crash reports keep the program's shape (types, files, lines, functions) and drop the data
(messages, parameters, local values, file names of the user's documents)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from app import __version__, crash_report

SECRET = "Dupont-Éléonore-1961"


def _raise_from_patient_code(name: str) -> None:
    patient_name = name  # noqa: F841 - a local value the report must not show
    raise ValueError(f"nom refusé : {name}")


def _catch(function, *args) -> BaseException:
    try:
        function(*args)
    except Exception as exc:
        return exc
    raise AssertionError("no exception")


def test_message_and_locals_are_left_out():
    report = crash_report.build(_catch(_raise_from_patient_code, SECRET))
    assert SECRET not in report.text and "patient_name" not in report.text
    assert "Dupont" not in report.text
    assert "Exception : ValueError" in report.text
    assert "tests/unit/test_crash_report.py" in report.text
    assert "_raise_from_patient_code" in report.text
    assert crash_report.MESSAGE_LEFT_OUT in report.text
    assert report.text.startswith(f"Relais {__version__} — rapport d'erreur {report.reference}")
    assert report.summary.startswith("ValueError — ")


def test_sql_errors_keep_their_codes_not_their_parameters():
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE patient_name (value TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO patient_name VALUES (:v)"), {"v": SECRET})

    def insert_again() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO patient_name VALUES (:v)"), {"v": SECRET})

    error = _catch(insert_again)
    assert isinstance(error, IntegrityError) and SECRET in str(error)  # SQLAlchemy quotes it
    report = crash_report.build(error)
    assert SECRET not in report.text
    assert "Exception : sqlite3.IntegrityError" in report.text
    assert "SQLite : SQLITE_CONSTRAINT_UNIQUE" in report.text
    assert "Exception : sqlalchemy.exc.IntegrityError" in report.text
    assert "code SQLAlchemy : gkpj" in report.text
    assert "requête : INSERT INTO patient_name" in report.text
    assert "a directement causé" in report.text
    # The oldest exception first, as Python prints them.
    assert report.text.index("sqlite3.IntegrityError") < report.text.index("sqlalchemy.exc")


def test_os_errors_keep_errno_not_the_file_name(tmp_path: Path):
    missing = tmp_path / f"courrier {SECRET}.pdf"
    error = _catch(missing.read_bytes)
    report = crash_report.build(error)
    assert SECRET not in report.text and str(tmp_path) not in report.text
    assert "errno : ENOENT" in report.text


def test_key_errors_and_chained_contexts():
    def lookup() -> None:
        try:
            {}[SECRET]
        except KeyError:
            raise RuntimeError("pendant le traitement") from None

    report = crash_report.build(_catch(lookup))
    assert SECRET not in report.text and "Exception : RuntimeError" in report.text
    assert "KeyError" not in report.text  # `from None`: the context is suppressed

    def lookup_with_context() -> None:
        try:
            {}[SECRET]
        except KeyError:
            raise RuntimeError(SECRET)  # noqa: B904 - the implicit context is the point

    report = crash_report.build(_catch(lookup_with_context))
    assert SECRET not in report.text
    assert "pendant son traitement, une autre exception" in report.text


def test_paths_are_shortened_without_home_or_user_name():
    assert crash_report.short_path("/home/dr.martin/.venv/lib/python3.11/site-packages/x/y.py") == (
        "x/y.py"
    )
    app_file = str(Path(crash_report.__file__).resolve())
    assert crash_report.short_path(app_file) == "app/crash_report.py"
    assert crash_report.short_path("app/views/x.py") == "app/views/x.py"  # the bundle's
    assert crash_report.short_path("/home/dr.martin/ailleurs/outil.py") == "…/ailleurs/outil.py"
    assert crash_report.short_path("<string>") == "<string>"


@pytest.mark.parametrize(
    "statement, outline",
    [
        ("INSERT INTO note (a, b) VALUES (?, ?)", "INSERT INTO note"),
        ("update patient set x=? where id=?", "UPDATE patient"),
        ("SELECT a, b\nFROM referral JOIN x ON …", "SELECT … FROM referral"),
        ("DELETE FROM key_grant WHERE id = 'Dupont'", "DELETE FROM key_grant"),
        ("PRAGMA journal_mode = WAL", "PRAGMA"),
        (None, None),
    ],
)
def test_sql_outline_keeps_verb_and_table_only(statement, outline):
    assert crash_report.sql_outline(statement) == outline


def test_the_same_bug_has_the_same_reference():
    first = crash_report.build(_catch(_raise_from_patient_code, "a"))
    second = crash_report.build(_catch(_raise_from_patient_code, "b"))
    other = crash_report.build(_catch(sqlite3.connect(":memory:").execute, "nonsense"))
    assert first.reference == second.reference != other.reference


def test_long_stacks_are_cut():
    def deep(n: int) -> None:
        if n:
            deep(n - 1)
        raise ValueError(SECRET)

    report = crash_report.build(_catch(deep, 200))
    # The first 10 frames (_catch and 9 of deep), a "… N appels" line, the last 50.
    assert report.text.count("<locals>.deep\n") == crash_report.MAX_FRAMES - 1
    assert "appels" in report.text and SECRET not in report.text
