"""Reports of unexpected exceptions that carry no patient data (no Qt here).

An exception's message and its frames' local variables may hold anything the code was working
on: a patient's name, a note, a password. SQL errors quote the statement's parameters
(``[parameters: ('Dupont', …)]``), ``KeyError`` shows its key, ``ValueError`` the text it
could not read, ``OSError`` the file name (a PDF saved under a patient's name). So a report
keeps only what the program itself is made of:

- each exception's type, its chain (``raise … from …`` and "during handling of…"), and
  data-free codes: SQLAlchemy's error code, SQLite's error name, PostgreSQL's SQLSTATE, an
  OS error's errno name, and the verb and table of a failed SQL statement;
- each frame's file (relative to the package it belongs to), line number and function name;
- the versions of Relais, Python, Qt and the system.

Never the message, never ``args``, never a local value, never a source line.
"""

from __future__ import annotations

import errno as errno_names
import hashlib
import platform
import re
import sys
import threading
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from app import __version__
from app.clock import system_clock

APP_ROOT = Path(__file__).resolve().parents[1]  # the folder holding the `app` package
MAX_CHAIN = 6
MAX_FRAMES = 60  # per exception: the first 10 and the last 50
MESSAGE_LEFT_OUT = "Message de l'exception : non inclus (il peut contenir des données de patients)."
_SQL_VERB = re.compile(
    r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+\w+|DROP\s+\w+|ALTER\s+TABLE)"
    r"\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\"?[A-Za-z_][\w.]*\"?)",
    re.IGNORECASE,
)
_SQL_SELECT = re.compile(r"^\s*(SELECT|WITH)\b.*?\bFROM\s+(\"?[A-Za-z_][\w.]*\"?)", re.I | re.S)
_SQL_FIRST_WORD = re.compile(r"^\s*([A-Za-z]+)")


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    function: str


@dataclass(frozen=True)
class ExceptionPart:
    type_name: str
    details: tuple[str, ...]
    frames: tuple[Frame, ...]
    link: str  # how it leads to the next one: "cause", "context" or ""


@dataclass(frozen=True)
class CrashReport:
    reference: str  # a short fingerprint of the types and places: the same bug, the same one
    summary: str  # one line, e.g. "IntegrityError — app/services/notes.py:45 (NoteService.add)"
    text: str  # the whole report, to copy


def short_path(filename: str) -> str:
    """A frame's file without the folders above its package (no user name, no home)."""
    if not filename or filename.startswith("<"):
        return filename or "?"
    path = Path(filename)
    if not path.is_absolute():  # the bundle's frames are already relative
        return path.as_posix()
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            index = len(parts) - 1 - parts[::-1].index(marker)
            return "/".join(parts[index + 1 :])
    try:
        return path.resolve().relative_to(APP_ROOT).as_posix()
    except (ValueError, OSError):
        pass
    for base in {sys.base_prefix, sys.prefix}:
        try:
            return "<python>/" + path.relative_to(base).as_posix()
        except ValueError:
            continue
    return "…/" + "/".join(parts[-2:])


def sql_outline(statement: object) -> str | None:
    """A SQL statement's verb and first table (``INSERT INTO note``), never its values."""
    if not isinstance(statement, str):
        return None
    match = _SQL_VERB.match(statement)
    if match:
        return f"{' '.join(match.group(1).upper().split())} {match.group(2)}"
    match = _SQL_SELECT.match(statement)
    if match:
        return f"{match.group(1).upper()} … FROM {match.group(2)}"
    match = _SQL_FIRST_WORD.match(statement)
    return match.group(1).upper() if match else None


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    if module in ("builtins", "__main__"):
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def _details(exc: BaseException) -> tuple[str, ...]:
    """Data-free codes only: each one is a short identifier from a closed set."""
    found: list[str] = []
    module = type(exc).__module__
    code = getattr(exc, "code", None)
    if module.startswith("sqlalchemy") and isinstance(code, str) and code.isalnum():
        found.append(f"code SQLAlchemy : {code}")
    if module.startswith("sqlalchemy"):
        outline = sql_outline(getattr(exc, "statement", None))
        if outline:
            found.append(f"requête : {outline}")
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str) and re.fullmatch(r"SQLITE_[A-Z_]+", name):
        found.append(f"SQLite : {name}")
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(sqlstate, str) and re.fullmatch(r"[0-9A-Z]{5}", sqlstate):
        found.append(f"SQLSTATE : {sqlstate}")
    if isinstance(exc, OSError):
        if isinstance(exc.errno, int):
            found.append(f"errno : {errno_names.errorcode.get(exc.errno, exc.errno)}")
        winerror = getattr(exc, "winerror", None)
        if isinstance(winerror, int):
            found.append(f"winerror : {winerror}")
    return tuple(found)


def _frames(tb: TracebackType | None) -> tuple[Frame, ...]:
    frames = [
        Frame(
            short_path(frame.f_code.co_filename),
            line or 0,
            getattr(frame.f_code, "co_qualname", frame.f_code.co_name),
        )
        for frame, line in traceback.walk_tb(tb)
    ]
    if len(frames) > MAX_FRAMES:
        frames = [*frames[:10], Frame("…", 0, f"{len(frames) - MAX_FRAMES} appels"), *frames[-50:]]
    return tuple(frames)


def chain(exc: BaseException) -> list[ExceptionPart]:
    """The exception and those it came from, the oldest first (as Python prints them); each
    part's ``link`` says how it leads to the next one."""
    parts: list[ExceptionPart] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""  # how ``current`` leads to the part added before it (a newer one)
    while current is not None and id(current) not in seen and len(parts) < MAX_CHAIN:
        seen.add(id(current))
        parts.append(
            ExceptionPart(
                _type_name(current), _details(current), _frames(current.__traceback__), link
            )
        )
        if current.__cause__ is not None:
            current, link = current.__cause__, "cause"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "context"
        else:
            current = None
    parts.reverse()
    return parts


def _place(part: ExceptionPart) -> str:
    for frame in reversed(part.frames):
        if frame.file.startswith("app/"):
            return f"{frame.file}:{frame.line} ({frame.function})"
    if part.frames:
        last = part.frames[-1]
        return f"{last.file}:{last.line} ({last.function})"
    return "?"


def build(
    exc: BaseException,
    *,
    now: datetime | None = None,
    context: Mapping[str, str] | None = None,
    thread: str | None = None,
) -> CrashReport:
    """The report of ``exc``: nothing in it comes from the data the program handled."""
    parts = chain(exc)
    last = parts[-1]
    fingerprint = hashlib.sha256(
        "|".join(
            f"{p.type_name}:" + ",".join(f"{f.file}:{f.function}" for f in p.frames) for p in parts
        ).encode()
    ).hexdigest()[:10]
    short_type = last.type_name.rsplit(".", 1)[-1]
    summary = f"{short_type} — {_place(last)}"
    when = (now or system_clock()).astimezone(UTC)
    lines = [
        f"Relais {__version__} — rapport d'erreur {fingerprint}",
        f"Date (UTC) : {when:%Y-%m-%d %H:%M:%S}",
        f"Système : {platform.platform()} ({platform.machine()})",
        f"Python : {platform.python_version()}"
        + (" (application autonome)" if getattr(sys, "frozen", False) else ""),
    ]
    for key, value in (context or {}).items():
        lines.append(f"{key} : {value}")
    lines.append(f"Fil d'exécution : {thread or threading.current_thread().name}")
    lines.append(MESSAGE_LEFT_OUT)
    lines.append("")
    for index, part in enumerate(parts):
        lines.append(f"Exception : {part.type_name}")
        lines.extend(f"  {detail}" for detail in part.details)
        lines.append("  Pile d'appels (l'appel le plus récent en dernier) :")
        lines.extend(f"    {f.file}:{f.line} dans {f.function}" for f in part.frames)
        if index < len(parts) - 1:
            lines.append("")
            lines.append(
                "  … a directement causé :"
                if part.link == "cause"
                else "  … et pendant son traitement, une autre exception :"
            )
            lines.append("")
    return CrashReport(fingerprint, summary, "\n".join(lines) + "\n")
