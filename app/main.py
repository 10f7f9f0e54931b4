"""``relais``: the desktop application (``relais [--demo] [--database URL]``)."""

from __future__ import annotations

# isort: off
import app.views  # noqa: F401  (first: PySide6 then skips reading every later module's source)

# isort: on
import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from app import __version__
from app.cli import FrenchArgumentParser, integer
from app.container import Services
from app.i18n import LANGUAGES
from app.models.db import ENV_DATABASE_URL, Database, resolve_url
from app.resources import APP_ID
from app.services.audit import chain as audit_chain
from app.services.clinic.pre_migration import pg_backup
from app.services.clinic.server_connection import saved_password
from app.services.kernel import logs
from app.services.kernel.change_listener import ChangeListener
from app.services.kernel.errors import RelaisError
from app.views.common.accessibility import install_accessibility
from app.views.common.app_icon import app_icon
from app.views.common.data_changed import DataChangedHub
from app.views.common.garbage import collect_on_ui_thread
from app.views.common.language import install_language, startup_language
from app.views.common.tasks import ProgressCallback, TaskRunner
from app.views.shell.connection_dialog import ConnectionDialog, load_server
from app.views.shell.crash_dialog import CrashHandler
from app.views.shell.main_window import parse_audit_key
from app.views.shell.startup import Startup

DEFAULT_DEMO_PATIENTS = 2000
RESTART = -4242  # run_application's code when the workstation was pointed at another server
SELF_TEST_DEMO_PATIENTS = 20  # app.selftest.DEMO_PATIENTS


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = FrenchArgumentParser(
        prog="relais",
        description="Relais : dossier partagé médico-social de la maison de santé.",
        version=f"Relais {__version__}",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="ouvrir la base de démonstration (patients fictifs, un compte par rôle)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="base de données (URL SQLAlchemy) ; sinon RELAIS_DATABASE_URL, sinon le dossier "
        "de données de l'utilisateur",
    )
    parser.add_argument(
        "--connect",
        action="store_true",
        help="ouvrir d'abord la fenêtre « Connexion au serveur » (serveur PostgreSQL de la "
        "maison de santé ; le mot de passe va dans le trousseau du système)",
    )
    parser.add_argument(
        "--demo-patients",
        metavar="N",
        type=integer(minimum=0),
        default=None,
        help=f"nombre de patients fictifs créés au premier lancement en démonstration "
        f"(défaut : {DEFAULT_DEMO_PATIENTS} ; {SELF_TEST_DEMO_PATIENTS} avec --self-test)",
    )
    parser.add_argument(
        "--langue",
        dest="language",
        choices=list(LANGUAGES),
        default=None,
        help="langue de l'interface (fr ou en) ; sinon le choix fait dans « Mon compte », "
        "sinon celle du système (anglais sur un système en anglais, français sinon)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="vérifier l'installation sans toucher aux données ni au trousseau : base "
        "temporaire, migrations, fenêtre principale, PDF, note scellée ; code de sortie 0 si "
        "tout va bien (avec --demo : les données de démonstration et l'écran de connexion)",
    )
    parser.add_argument(
        "--platform",
        metavar="NOM",
        help="plateforme graphique de Qt (xcb, wayland, windows, offscreen…) ; avec "
        "--self-test, offscreen par défaut quand aucun écran n'est disponible",
    )
    return parser.parse_args(argv)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def describe_open_error(url: str, error: BaseException) -> str:
    """A French sentence saying why the database could not be opened, and what to check."""
    where = safe_url(url)
    if isinstance(error, RelaisError):  # e.g. the backup before a migration failed
        return error.message
    if isinstance(error, ArgumentError):
        return (
            f"L'adresse de la base de données « {where} » n'est pas valide. Exemples : "
            "sqlite:///chemin/relais.sqlite ou postgresql://utilisateur@serveur/relais."
        )
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0:1]
    reason = f"\n\nDétail technique : {detail[0]}" if detail else ""
    if isinstance(error, OperationalError | DatabaseError):
        return (
            f"Relais n'a pas pu ouvrir la base de données « {where} ».\n\n"
            "Vérifiez que le serveur PostgreSQL est joignable, que le dossier de la base est "
            "accessible en écriture et que le fichier n'est pas endommagé (restaurez alors la "
            f"dernière sauvegarde).{reason}"
        )
    if isinstance(error, OSError):
        return (
            f"Relais n'a pas pu créer ou lire la base de données « {where} » : dossier "
            f"inaccessible ou en lecture seule.{reason}"
        )
    return f"Relais n'a pas pu ouvrir ni mettre à jour la base de données « {where} ».{reason}"


def install_french(app: QApplication) -> bool:
    """French dates and Qt's own French strings (qtbase_fr.qm); True if the latter loaded."""
    install_language(app, "fr")
    return bool(app.property("relais_language") == "fr")


def make_application(platform: str | None = None, language: str = "fr") -> QApplication:
    """The QApplication (Qt's ``-platform`` if given), named, in its language, with its icon."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1] + (["-platform", platform] if platform else []))
    assert isinstance(app, QApplication)
    app.setOrganizationName("Relais")
    app.setApplicationName("Relais")
    app.setApplicationDisplayName("Relais")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    install_language(app, language)
    install_accessibility(app)  # issue 14: Tab, names and mnemonics on every screen
    if app.findChild(QTimer, "uiThreadGarbageCollector") is None:
        collect_on_ui_thread(app)  # never destroy a Qt object from a background task
    return app


def show_fatal(message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "Relais", message)
    box.exec()


def use_audit_key(services: Services, text: str) -> None:
    """Seal the audit trail with a key typed by the coordinator (no keyring on this
    workstation), after checking that it is the key of this database's chain."""
    key = parse_audit_key(text)
    with services.db.engine.connect() as conn:
        matches = audit_chain.key_matches(conn, key)
    if matches is False:
        raise RelaisError("Cette clé d'audit ne correspond pas au journal de cette base.")
    services.audit.key = key


def backup_on_exit(services: Services) -> None:
    """The scheduled backup (daily, and when Relais closes); never blocks the exit."""
    clinic = services.clinic.public()
    if clinic is None or clinic.demo:
        return
    try:
        services.backups.run_scheduled(None)
    except Exception as exc:  # reported on the console/log; the data itself is safe
        print(f"Relais : la sauvegarde automatique a échoué : {exc}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from app import selftest

        return selftest.run(
            demo=args.demo, demo_patients=args.demo_patients, platform=args.platform
        )
    app = make_application(args.platform, startup_language(args.language))
    log_file = logs.configure()
    crashes = CrashHandler(logs.get("crash"), log_file=log_file, parent=app)
    crashes.install()
    try:
        while True:
            code = run_application(app, args, log_file)
            if code != RESTART:
                return code
            args.connect = False  # the dialog was just shown: use what it saved
    finally:
        crashes.uninstall()


def choose_url(args: argparse.Namespace) -> str | None:
    """``--database``, else ``RELAIS_DATABASE_URL``, else the server this workstation
    remembers (password from the keyring, else asked in « Connexion au serveur »), else the
    SQLite file of the user-data folder. None when the user closed the dialog."""
    if args.database or args.demo or os.environ.get(ENV_DATABASE_URL, "").strip():
        return resolve_url(args.database, args.demo)
    server = load_server()
    password = saved_password(server) if server is not None else None
    if args.connect or (server is not None and password is None):
        dialog = ConnectionDialog(server)
        if dialog.exec() != ConnectionDialog.DialogCode.Accepted or dialog.server is None:
            return None
        return dialog.server.url(dialog.password)
    if server is not None:
        return server.url(password)
    return resolve_url(None)


def connect_from_login(status: dict[str, int], app: QApplication) -> None:
    """« Connexion au serveur… » on the login screen: once saved, start again on it."""
    dialog = ConnectionDialog(load_server())
    if dialog.exec() == ConnectionDialog.DialogCode.Accepted:
        status["code"] = RESTART
        app.quit()


def run_application(app: QApplication, args: argparse.Namespace, log_file: Path | None) -> int:
    log = logs.get("app")
    url = choose_url(args)
    if url is None:
        return 0
    try:
        db = Database.open(url, pg_backup=pg_backup)
    except Exception as exc:  # any failure to open or migrate: say it in French, exit non-zero
        log.error("database open failed: %s", type(exc).__name__)
        show_fatal(describe_open_error(url, exc))
        return 1
    log.info("started (%s)", "demo" if args.demo else "clinic")
    services = Services.build(db)
    hub = DataChangedHub(services.changes, app)
    listener = None
    if db.dialect == "postgresql":  # the other workstations' changes, on a connection of its own
        listener = ChangeListener(
            db.url, services.changes, on_state=hub.report_state, engine=db.engine
        )
        listener.start()

    demo_accounts: list = []
    demo_password = ""
    fill_demo = None
    if args.demo:
        from app.demo import generator as demo

        demo_accounts, demo_password = list(demo.DEMO_ACCOUNTS), demo.DEMO_PASSWORD
        patients = DEFAULT_DEMO_PATIENTS if args.demo_patients is None else args.demo_patients

        def fill_demo(progress: ProgressCallback) -> object:
            return demo.create_demo(services, patients=patients, progress=progress)

    runner = TaskRunner(app)
    status = {"code": 0}
    startup = Startup(
        services,
        runner,
        demo=args.demo,
        fill_demo=fill_demo,
        demo_accounts=demo_accounts,
        demo_password=demo_password,
        window_options={
            "use_audit_key": lambda text: use_audit_key(services, text),
            "scheduled_backups": not args.demo,
            "log_folder": log_file.parent if log_file is not None else None,
            "connect_server": lambda: connect_from_login(status, app),
            "hub": hub,
        },
    )

    def fail(message: str) -> None:
        show_fatal(message)
        status["code"] = 1
        app.quit()

    startup.failed.connect(fail)
    startup.cancelled.connect(app.quit)
    startup.start()
    code = app.exec()
    runner.wait()
    if listener is not None:
        listener.stop()
    hub.close()
    if startup.window is not None:
        backup_on_exit(services)
    db.dispose()
    return status["code"] or code


if __name__ == "__main__":
    sys.exit(main())
