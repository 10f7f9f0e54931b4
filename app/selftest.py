"""``relais --self-test``: is this installation whole? (also inside the PyInstaller bundle)

It works in a temporary folder, with an in-memory keyring: the user's data folder, log folder
and OS keyring are never touched. In order: the files Relais ships (fonts, icons, migrations,
Qt's French translation), the back ends loaded by name (keyring backends, psycopg, SQLAlchemy
dialects, holidays' French names), a temporary database brought to the last migration, a
clinic with two accounts, one sealed note written and read back, a PDF written and rendered,
the main window shown (offscreen, or on the real display: ``--platform xcb``) and a login into
it, a crash report that must not carry the note's text, and last a scan of every file written
for that text. Exit code 0 when every check passed.

With ``--demo`` it fills the temporary database with the demo data instead (a few fictitious
patients) and checks that the login window lists the demo accounts, as ``relais --demo`` does.
"""

from __future__ import annotations

import importlib
import logging
import os
import platform as platform_module
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import keyring
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend

from app import __version__, crash_report
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


class Run:
    """The steps that share state: the database, the services, the window."""

    def __init__(self, folder: Path, outcome: Outcome, *, demo: bool, demo_patients: int) -> None:
        self.folder = folder
        self.outcome = outcome
        self.demo = demo
        self.demo_patients = demo_patients
        self.marker = f"{MARKER_PREFIX}{uuid.uuid4().hex}"
        self.db: Any = None
        self.services: Any = None
        self.window: Any = None
        self.runner: Any = None
        self.startup: Any = None
        self.coordinator: Any = None
        self.gp_username = ""
        self.gp_password = ""
        self.patient_id = 0
        self.log_file: Path | None = None

    # ---- database and accounts -----------------------------------------------------------
    def open_database(self) -> str:
        from app.container import Services
        from app.models.db import Database, current_revision, head_revision
        from app.services.kernel import logs
        from app.services.security.crypto import KdfParams

        self.log_file = logs.configure(self.folder / "journal")
        self.db = Database.open(f"sqlite:///{self.folder / 'base' / 'relais-autotest.sqlite'}")
        revision = current_revision(self.db.engine)
        if revision != head_revision():
            raise SelfTestFailure(f"migration {revision} au lieu de {head_revision()}")
        light = KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1)
        self.services = Services.build(self.db, hasher=LIGHT_HASHER, kdf=light)
        return f"révision {revision}"

    def set_up_clinic(self) -> str:
        from stdnum import luhn

        from app.models.enums import Profession, Role
        from app.services.accounts.records import UserInput
        from app.services.clinic.records import ClinicInput
        from app.services.kernel.errors import RelaisError

        services = self.services
        password = f"autotest-{secrets.token_hex(10)}"
        services.clinic.setup(
            ClinicInput("MSP de l'autotest", require_totp=False),
            UserInput(
                "coord.autotest", "Camille", "Essai", Role.COORDINATOR, Profession.COORDINATOR
            ),
            password,
        )
        self.coordinator = services.auth.login("coord.autotest", password)
        try:  # the common-passwords list is shipped and read (long enough, but common)
            services.accounts.create_user(
                self.coordinator,
                UserInput("refus.autotest", "Refus", "Essai", Role.SECRETARY, Profession.SECRETARY),
                "nouveaumotdepasse",
            )
        except RelaisError as exc:
            if "courant" not in exc.message:
                raise SelfTestFailure(f"refus inattendu : {exc.message}") from None
        else:
            raise SelfTestFailure("un mot de passe courant a été accepté")
        rpps_body = "1000000042"
        self.gp_username = "dr.autotest"
        self.gp_password = f"autotest-{secrets.token_hex(10)}"
        services.accounts.create_user(
            self.coordinator,
            UserInput(
                self.gp_username,
                "Dominique",
                "Essai",
                Role.GP,
                Profession.GENERAL_PRACTITIONER,
                rpps_body + luhn.calc_check_digit(rpps_body),
            ),
            self.gp_password,
            must_change=False,
        )
        return "coordination et médecin créés, mot de passe courant refusé"

    def use_demo_accounts(self) -> str:
        from app.demo import generator as demo
        from app.models.enums import Role

        gp = next(a for a in demo.DEMO_ACCOUNTS if a.role == Role.GP)
        coordinator = next(a for a in demo.DEMO_ACCOUNTS if a.role == Role.COORDINATOR)
        self.gp_username, self.gp_password = gp.username, demo.DEMO_PASSWORD
        self.coordinator = self.services.auth.login(coordinator.username, demo.DEMO_PASSWORD)
        found = self.services.patients.search(self.coordinator, "a", limit=5)
        if not found.patients:
            raise SelfTestFailure("aucun patient de démonstration")
        return f"{len(demo.DEMO_ACCOUNTS)} comptes de démonstration"

    # ---- a sealed note, a PDF ------------------------------------------------------------
    def sealed_note(self) -> str:
        from app.services.patient_file.records import PatientInput

        services = self.services
        record = services.patients.create(
            self.coordinator,
            PatientInput("Éléonore-Autotest", "Zoé", "F", "02/03/1961"),
            confirm_duplicate=True,
        )
        self.patient_id = record.id
        found = services.patients.search(self.coordinator, "eleonore-autotest")
        if [p.id for p in found.patients] != [record.id]:
            raise SelfTestFailure("la recherche sans accents ne trouve pas le dossier")
        gp = services.auth.login(self.gp_username, self.gp_password)
        text = f"Note de l'autotest {self.marker} — é à ç ß"
        services.notes.add(gp, record.id, "medical", text)
        back = [n.text for n in services.notes.list(gp, record.id, "medical")]
        if text not in back:
            raise SelfTestFailure("la note relue diffère de la note écrite")
        services.auth.logout(gp)
        leaks = files_holding(self.folder, self.marker)
        if leaks:
            raise SelfTestFailure("texte de la note en clair dans " + ", ".join(leaks))
        return "écrite, relue, absente en clair de la base"

    def pdf(self) -> str:
        from reportlab.pdfbase import pdfmetrics

        from app.services.kernel.pdf import FONT
        from app.views.common.pdf_view import render_pages

        document = self.services.documents.access_report(self.coordinator, self.patient_id)
        target = self.folder / "documents" / "rapport-autotest.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document.pdf)
        data = target.read_bytes()
        if not data.startswith(b"%PDF") or f"Relais {__version__}".encode() not in data:
            raise SelfTestFailure("PDF sans en-tête ou sans la version de Relais")
        used = Path(pdfmetrics.getFont(FONT).face.filename)
        if used.resolve() != font_file().resolve():
            raise SelfTestFailure(f"police de repli utilisée ({used.name}), pas celle fournie")
        pages = render_pages(data, dpi=40)
        if not pages or pages[0].isNull():
            raise SelfTestFailure("le PDF ne s'affiche pas (pypdfium2)")
        return f"{len(data) // 1024} Ko, {len(pages)} page(s) affichée(s)"

    # ---- the main window -----------------------------------------------------------------
    def main_window(self, app: Any) -> str:
        from app.views.common.tasks import TaskRunner
        from app.views.shell.startup import Startup

        options: dict[str, Any] = {"idle_ms": 3_600_000, "scheduled_backups": False}
        options["settings"] = None  # the self-test leaves the workstation's window size alone
        fill = None
        accounts: list = []
        password = ""
        if self.demo:
            from app.demo import generator as demo

            accounts, password = list(demo.DEMO_ACCOUNTS), demo.DEMO_PASSWORD
            patients = self.demo_patients

            def fill(progress: Callable[[int, int], None]) -> object:
                return demo.create_demo(self.services, patients=patients, progress=progress)

        self.runner = TaskRunner(app)
        failure: list[str] = []
        startup = Startup(
            self.services,
            self.runner,
            demo=self.demo,
            fill_demo=fill,
            demo_accounts=accounts,
            demo_password=password,
            window_options=options,
        )
        self.startup = startup
        startup.failed.connect(failure.append)
        startup.start()
        timeout = DEMO_TIMEOUT_S if self.demo else WINDOW_TIMEOUT_S
        window = wait_for(app, lambda: startup.window is not None or bool(failure), timeout)
        if failure:
            raise SelfTestFailure(failure[0])
        if not window:
            raise SelfTestFailure(f"pas de fenêtre après {timeout:.0f} s")
        self.window = startup.window
        if not wait_for(app, lambda: _exposed(self.window), WINDOW_TIMEOUT_S):
            raise SelfTestFailure("la fenêtre de connexion n'est pas apparue à l'écran")
        if self.window.grab().isNull():
            raise SelfTestFailure("la fenêtre ne se dessine pas")
        shown = "fenêtre de connexion affichée"
        if self.demo:
            listed = self.window.login.demo_usernames()
            if len(listed) != len(accounts):
                raise SelfTestFailure("les comptes de démonstration ne sont pas listés")
            shown += f" avec {len(listed)} comptes de démonstration"
        return f"{shown} ({app.platformName()})"

    def log_in(self, app: Any) -> str:
        if self.window is None:
            raise SelfTestFailure("pas de fenêtre")
        login = self.window.login
        login.username.setText(self.gp_username)
        login.password.setText(self.gp_password)
        login.attempt()
        if not wait_for(app, lambda: self.window.current is not None, WINDOW_TIMEOUT_S):
            raise SelfTestFailure(login.error.text() or "connexion impossible")
        app.processEvents()
        if self.window.grab().isNull():
            raise SelfTestFailure("l'espace de travail ne se dessine pas")
        return "espace de travail du médecin affiché"

    # ---- crash report, traces --------------------------------------------------------------
    def crash_report(self) -> str:
        from sqlalchemy import text

        from app.services.kernel import logs

        reports = []
        try:
            _leaky_function(self.marker)
        except ValueError as exc:
            reports.append(crash_report.build(exc, context={"Autotest": "oui"}))
        try:
            with self.db.engine.connect() as conn:
                conn.execute(text("SELECT * FROM table_absente WHERE x = :x"), {"x": self.marker})
        except Exception as exc:  # any SQL error will do
            reports.append(crash_report.build(exc))
        for report in reports:
            logs.get("crash").error("self-test report %s\n%s", report.reference, report.text)
            if self.marker in report.text or "patient_note" in report.text:
                raise SelfTestFailure("le rapport d'erreur contient des données")
        return f"{len(reports)} rapports sans données"

    def traces(self) -> str:
        self.close()
        leaks = files_holding(self.folder, self.marker)
        if leaks:
            raise SelfTestFailure("texte de la note en clair dans " + ", ".join(leaks))
        count = sum(1 for p in self.folder.rglob("*") if p.is_file())
        return f"{count} fichiers écrits, aucun ne contient le texte de la note"

    def close(self) -> None:
        if self.window is not None:
            self.window.watcher.stop()
            self.window.watcher.uninstall()
            self.window._force_close = True
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.runner is not None:
            self.runner.wait()
            self.runner = None
        if self.db is not None:
            self.db.dispose()
            self.db = None
        if self.log_file is not None:  # detach the handler from the temporary folder
            detach_log()
            self.log_file = None


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


def run(
    *,
    demo: bool = False,
    demo_patients: int | None = None,
    platform: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    from app.main import make_application

    out = sys.stdout if out is None else out
    started = time.monotonic()
    app = make_application(choose_platform(platform))
    outcome = Outcome(out)
    frozen = " (application autonome)" if getattr(sys, "frozen", False) else ""
    outcome.say(
        f"Relais {__version__}{frozen} — autotest, Python {platform_module.python_version()}, "
        f"plateforme Qt {app.platformName()}"
    )
    french = bool(app.property("relais_french"))
    with sandbox() as folder:
        checks = Run(folder, outcome, demo=demo, demo_patients=demo_patients or DEMO_PATIENTS)
        outcome.say(f"  Témoin : {checks.marker} (ne doit apparaître dans aucun fichier écrit)")
        try:
            outcome.check("Fichiers fournis", check_shipped_files)
            outcome.check(
                "Traduction française de Qt",
                lambda: "chargée" if french else _fail("qtbase_fr.qm introuvable"),
            )
            outcome.check("Modules chargés à la demande", check_back_ends)
            if outcome.check("Base temporaire et migrations", checks.open_database):
                if demo:
                    outcome.check(
                        "Fenêtre principale (démonstration)", lambda: checks.main_window(app)
                    )
                    outcome.check("Comptes de démonstration", checks.use_demo_accounts)
                else:
                    outcome.check("Clinique et comptes", checks.set_up_clinic)
                    outcome.check("Fenêtre principale", lambda: checks.main_window(app))
                outcome.check("Note scellée", checks.sealed_note)
                outcome.check("Document PDF", checks.pdf)
                outcome.check("Connexion", lambda: checks.log_in(app))
                outcome.check("Rapport d'erreur", checks.crash_report)
                outcome.check("Traces sur le disque", checks.traces)
        finally:
            checks.close()
    took = time.monotonic() - started
    if outcome.failed:
        outcome.say(
            f"Autotest en échec : {len(outcome.failed)} vérification(s) sur "
            f"{len(outcome.failed) + outcome.passed} ({took:.1f} s)."
        )
        return 1
    outcome.say(f"Autotest réussi : {outcome.passed} vérifications ({took:.1f} s).")
    return 0


def _fail(message: str) -> str:
    raise SelfTestFailure(message)
