"""The self-test's environment: a temporary folder, an in-memory keyring, the checks that need
no database (shipped files, back ends loaded by name), and how steps report."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import keyring
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend

from app.resources import RESOURCES, font_file, icon_files

DEMO_PATIENTS = 20
WINDOW_TIMEOUT_S = 20.0
DEMO_TIMEOUT_S = 300.0
MARKER_PREFIX = "CANARI-AUTOTEST-"
# Argon2id and the key derivation with a light cost: the check is that they run, not how slow.
LIGHT_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


class SelfTestFailure(Exception):
    """One check failed; its message (French) says what."""


class MemoryKeyring(KeyringBackend):
    """The self-test's keyring: in memory, gone at the end (never the OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@dataclass
class Outcome:
    out: TextIO | None
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        if self.out is None:
            return
        try:
            self.out.write(text + "\n")
            self.out.flush()
        except (OSError, ValueError, UnicodeError):
            pass

    def check(self, title: str, step: Callable[[], str | None]) -> Any:
        started = time.monotonic()
        try:
            detail = step()
        except Exception as exc:  # every failure is reported, none stops the rest
            reason = getattr(exc, "message", "") if not isinstance(exc, SelfTestFailure) else ""
            reason = str(exc) if isinstance(exc, SelfTestFailure) else reason or type(exc).__name__
            self.failed.append(title)
            self.say(f"  [échec] {title} : {reason}")
            return None
        self.passed += 1
        took = time.monotonic() - started
        self.say(f"  [ok] {title}" + (f" : {detail}" if detail else "") + f" ({took:.1f} s)")
        return detail


def display_available() -> bool:
    """A screen to show windows on: always on Windows and macOS; X11 or Wayland on Linux."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def choose_platform(requested: str | None) -> str | None:
    """``--platform`` if given; else Qt's own choice (QT_QPA_PLATFORM, the display), or
    offscreen when there is no display."""
    if requested:
        return requested
    if os.environ.get("QT_QPA_PLATFORM") or display_available():
        return None
    return "offscreen"


@contextmanager
def sandbox() -> Iterator[Path]:
    """A temporary folder, the XDG folders inside it (Linux), an in-memory keyring."""
    folder = Path(tempfile.mkdtemp(prefix="relais-autotest-"))
    names = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    saved_env = {k: os.environ.get(k) for k in names}
    for key in saved_env:
        os.environ[key] = str(folder / key.lower())
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield folder
    finally:
        keyring.set_keyring(previous)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)


def files_holding(root: Path, marker: str) -> list[str]:
    """The files under ``root`` where ``marker`` appears (UTF-8 or UTF-16)."""
    needles = [marker.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path.relative_to(root)))
    return found


def _leaky_function(secret_text: str) -> None:
    """Fails the way code handling patient data fails: the data in the message and locals."""
    patient_note = secret_text  # noqa: F841 - a local value that a report must not show
    raise ValueError(f"valeur refusée : {secret_text}")


# ---- the checks ------------------------------------------------------------------------------
def check_shipped_files() -> str:
    from app.models.db import MIGRATIONS

    missing = []
    if not font_file().exists():
        missing.append(f"police {font_file().name}")
    if len(icon_files()) < 7 or not (RESOURCES / "icons" / "relais.svg").exists():
        missing.append("icônes")
    if not list((MIGRATIONS / "versions").glob("0001_*.py")):
        missing.append("migrations")
    catalogues = ("relais_en.qm", "relais_fr.qm", "en/LC_MESSAGES/relais.mo")
    if not all((RESOURCES / "i18n" / name).exists() for name in catalogues):
        missing.append("traductions")
    if missing:
        raise SelfTestFailure("introuvable(s) : " + ", ".join(missing))
    return f"polices, {len(icon_files())} icônes, migrations, traductions"


def check_back_ends() -> str:
    from importlib.metadata import entry_points

    names = {e.name: e for e in entry_points(group="keyring.backends")}
    expected = {"SecretService", "Windows", "macOS", "KWallet", "libsecret", "chainer"}
    if not expected <= set(names):
        raise SelfTestFailure(
            "trousseaux non déclarés : " + ", ".join(sorted(expected - set(names)))
        )
    for entry in names.values():
        entry.load()
    for module in ("keyring.backends.fail", "keyring.backends.null"):
        importlib.import_module(module)
    import psycopg

    from app.models.db import make_engine

    engine = make_engine("postgresql://relais@127.0.0.1/relais")  # no connection is made
    engine.dispose()
    libpq = psycopg.pq.version()
    import holidays

    name = holidays.France(years=2030, language="fr").get(date(2030, 5, 1))
    if name != "Fête du Travail":
        raise SelfTestFailure(f"jours fériés en français absents ({name!r})")
    usable = ", ".join(
        sorted(
            type(k).__module__.rsplit(".", 1)[-1]
            for k in keyring.backend.get_all_keyring()
            if type(k).__module__.startswith("keyring.backends.")
            and type(k).__module__.rsplit(".", 1)[-1] not in ("fail", "null", "chainer")
        )
    )
    return (
        f"trousseaux {len(names)} déclarés (utilisables ici : {usable or 'aucun'}), "
        f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {libpq}), jours fériés"
    )


def detach_log() -> None:
    """Close the self-test's log file (``logs.configure`` marks its handlers ``relais``)."""
    logger = logging.getLogger("relais")
    for handler in [h for h in logger.handlers if getattr(h, "relais", False)]:
        logger.removeHandler(handler)
        handler.close()


def _exposed(window: Any) -> bool:
    handle = window.windowHandle()
    return bool(window.isVisible() and handle is not None and handle.isExposed())


def wait_for(app: Any, condition: Callable[[], bool], seconds: float) -> bool:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    return True


def _fail(message: str) -> str:
    raise SelfTestFailure(message)
