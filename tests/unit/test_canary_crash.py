"""Log canary: a marker fed through a full session — notes in every compartment, then
unexpected errors whose messages, SQL parameters and local values hold it — is absent from the
log, from the crash report (dialog and clipboard) and from every file under the world's
folders (temporary files included); and ``relais --self-test`` leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from canary_support import hits
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.models.enums import Compartment
from app.services.kernel import logs
from app.views.shell.crash_dialog import CrashHandler

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_url(world: Path) -> str:  # the database under the world, like test_canary's
    return f"sqlite:///{world / 'base' / 'relais.sqlite'}"


# The dialog on the offscreen platform (no window manager): Qt's noise, not Relais's.
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_no_marker_in_log_crash_report_or_temp_files(
    qtbot, world: Path, services, team, make_patient, liaison_consent
):
    marker = f"CANARI-{uuid.uuid4().hex}"
    patient = make_patient("Canari")
    liaison_consent(patient)
    for compartment, actor in {
        Compartment.MEDICAL: team.gp,
        Compartment.SOCIAL: team.social_worker,
        Compartment.LIAISON: team.gp,
    }.items():
        services.notes.add(actor, patient, compartment, f"{compartment} {marker}")
    log_file = logs.log_folder() / logs.LOG_NAME
    assert world in log_file.parents
    handler = CrashHandler(logs.get("crash"), log_file=log_file)
    handler.install()
    try:

        def sql_error() -> None:
            # SQLAlchemy quotes the parameters in its message: "[parameters: ('CANARI-…',)]".
            with services.db.engine.connect() as conn:
                conn.execute(text("SELECT * FROM note WHERE missing = :x"), {"x": marker})

        def note_error() -> None:
            note_text = services.notes.list(team.gp, patient, "medical")[0].text
            raise ValueError(f"note illisible : {note_text}")

        def file_error() -> None:
            Path(world / "tmp" / f"courrier {marker}.pdf").read_bytes()

        for failing in (sql_error, note_error, file_error):
            QTimer.singleShot(0, failing)
        qtbot.waitUntil(lambda: handler.dialog is not None and len(handler.dialog.reports) == 3)
        dialog = handler.dialog
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        report = dialog.report_text()
        assert "OperationalError" in report and "ValueError" in report
        assert "FileNotFoundError" in report
        assert QApplication.clipboard().text() == report
        assert marker not in report
        dialog.close()
    finally:
        handler.uninstall()
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("unexpected error") == 3
    assert hits(world, marker) == []
    # The scan itself finds what it must find.
    logs.get("canari").info("témoin %s", marker)
    assert hits(world, marker) == [str(log_file.relative_to(world))]


def test_self_test_leaves_no_file_and_passes(world: Path):
    env = {
        **os.environ,
        "TMPDIR": str(world / "tmp"),
        "XDG_DATA_HOME": str(world / "donnees"),
        "XDG_STATE_HOME": str(world / "etat"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("DISPLAY", None)
    before = sorted(p for p in world.rglob("*") if p.is_file())
    done = subprocess.run(
        [sys.executable, "-m", "app.main", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Autotest réussi" in done.stdout and "[échec]" not in done.stdout
    for check in ("Note scellée", "Document PDF", "Fenêtre principale", "Rapport d'erreur"):
        assert f"[ok] {check}" in done.stdout
    # Nothing left in the temporary folder, the data folder or the log folder.
    assert sorted(p for p in world.rglob("*") if p.is_file()) == before
    assert not list((world / "tmp").iterdir())


def test_the_self_tests_passwords_are_always_accepted():
    """The self-test creates its accounts with fresh random passwords: the password rules
    (context, common, sequences, zxcvbn) must accept every one of them, or the self-test
    fails by chance (« autotest- » and hex digits were refused about once in a hundred)."""
    from app.selftest.steps import fresh_password
    from app.services.security.passwords import PasswordContext, password_problem

    clinic = "MSP de l'autotest"
    contexts = (
        PasswordContext("coord.autotest", "Camille", "Essai", clinic),
        PasswordContext("dr.autotest", "Dominique", "Essai", clinic),
    )
    refused = [
        (password, problem)
        for password in (fresh_password() for _ in range(1000))
        for problem in (password_problem(password, c) for c in contexts)
        if problem
    ]
    assert refused == []
