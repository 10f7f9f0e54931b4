"""Unexpected exceptions: an exception injected in a slot shows the French dialog, whose report
(copied to the clipboard, written to the log) carries no data; Relais goes on running."""

from __future__ import annotations

import io
import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

import app.views.shell.about_dialog as about_module
from app.views.shell.crash_dialog import CrashHandler

pytestmark = pytest.mark.gui


class Crashes:
    def __init__(self, handler: CrashHandler, log: io.StringIO) -> None:
        self.handler = handler
        self.log = log


@pytest.fixture
def crashes(qtbot, tmp_path: Path) -> Iterator[Crashes]:
    stream = io.StringIO()
    logger = logging.getLogger(f"relais.test-crash-{uuid.uuid4().hex}")
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    handler = CrashHandler(logger, log_file=tmp_path / "journal" / "relais.log")
    handler.install()  # after pytest-qt's own hook: the test's exceptions come to us
    yield Crashes(handler, stream)
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


def shown_dialog(qtbot, crashes: Crashes):
    qtbot.waitUntil(
        lambda: crashes.handler.dialog is not None and crashes.handler.dialog.isVisible()
    )
    return crashes.handler.dialog


def test_an_exception_in_a_slot_shows_the_french_dialog_and_relais_goes_on(
    qtbot, window, crashes, monkeypatch
):
    marker = f"CANARI-{uuid.uuid4().hex}"

    def broken_about(*_args, **_kwargs):
        patient_name = marker  # noqa: F841 - a local value: never in the report
        raise ValueError(f"dossier de {marker} illisible")

    monkeypatch.setattr(about_module, "AboutDialog", broken_about)  # imported when opened
    QTimer.singleShot(0, window.about_action.trigger)  # from the event loop, as F1 does
    dialog = shown_dialog(qtbot, crashes)

    assert dialog.windowTitle() == "Relais — erreur inattendue"
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Une erreur inattendue s'est produite" in texts
    assert "Ce qui est enregistré" in texts and "Pour signaler le problème" in texts
    assert "aucune donnée de patient" in texts and str(Path("journal")) in texts
    report = dialog.report_text()
    assert marker not in report and "patient_name" not in report
    assert "Exception : ValueError" in report
    assert "app/views/shell/dialogs_mixin.py" in report and ".open_about" in report
    assert crashes.handler.dialog.reports[0].reference in texts

    assert not dialog.details.isVisible()
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible() and dialog.details.toPlainText() == report
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == report
    assert dialog.copied.isVisible()

    logged = crashes.log.getvalue()
    assert "unexpected error" in logged and "ShellDialogsMixin.open_about" in logged
    assert marker not in logged

    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: crashes.handler.dialog is None)
    # Relais goes on running: the same action works once the fault is gone.
    monkeypatch.undo()
    window.about_action.trigger()
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible())
    window.about_dialog.close()
    assert window.isVisible()


def test_more_errors_go_into_the_open_dialog(qtbot, crashes):
    button = QPushButton("Essai")
    qtbot.addWidget(button)
    count = {"n": 0}

    def fail() -> None:
        count["n"] += 1
        raise KeyError(f"clé {count['n']}")

    button.clicked.connect(fail)
    for _ in range(5):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(qtbot, crashes)
    assert len(dialog.reports) == 5
    assert dialog.more.isVisible() and "4 autres erreurs" in dialog.more.text()
    assert dialog.report_text().count("Exception : KeyError") == 5
    # The same error again and again is written in full only a few times.
    assert crashes.log.getvalue().count("Exception : KeyError") == 3


def test_an_exception_in_a_python_thread_reaches_the_dialog(qtbot, crashes):
    def work() -> None:
        raise RuntimeError("dans un fil")

    thread = threading.Thread(target=work, name="travail-test")
    thread.start()
    thread.join()
    dialog = shown_dialog(qtbot, crashes)
    assert "Fil d'exécution : travail-test" in dialog.report_text()
    assert "dans un fil" not in dialog.report_text()


def test_quit_closes_the_windows(qtbot, window, crashes):
    class Emitter(QObject):
        fired = Signal()

    emitter = Emitter()

    def fail() -> None:
        raise OSError(13, "Permission refusée", "/home/x/Dupont.pdf")

    emitter.fired.connect(fail)
    QTimer.singleShot(0, emitter.fired.emit)
    dialog = shown_dialog(qtbot, crashes)
    assert "errno : EACCES" in dialog.report_text()
    assert "Dupont" not in dialog.report_text()
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_keyboard_interrupt_is_not_a_crash(crashes, monkeypatch):
    seen = []
    monkeypatch.setattr(crashes.handler, "_previous_hook", lambda *args: seen.append(args[0]))
    crashes.handler.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and crashes.handler.dialog is None
