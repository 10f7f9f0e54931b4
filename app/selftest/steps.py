"""The self-test's steps that share state: the database, the services, the window."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__, crash_report
from app.resources import font_file
from app.selftest.environment import (
    DEMO_TIMEOUT_S,
    LIGHT_HASHER,
    MARKER_PREFIX,
    WINDOW_TIMEOUT_S,
    Outcome,
    SelfTestFailure,
    _exposed,
    _leaky_function,
    detach_log,
    files_holding,
    wait_for,
)


def fresh_password() -> str:
    """A password for the self-test's accounts, random through and through: « autotest- »
    followed by hex digits was refused about once in a hundred runs, as built from the
    username (« autotest ») and predictable digits."""
    return secrets.token_urlsafe(18)


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
        password = fresh_password()
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
        self.gp_password = fresh_password()
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
