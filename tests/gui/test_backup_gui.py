"""« Sauvegarder maintenant »: the backup runs on the task runner with its progress; « Annuler »
pressed while it runs leaves no file and no audit entry."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from app.views.admin.backup_run import BackupRun
from app.views.common.tasks import TaskRunner
from tests.gui.gui_helpers import event_loop_turns, login

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(services, team, tmp_path: Path) -> Path:
    target = tmp_path / "sauvegardes"
    info = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(info.as_input(), backup_dir=str(target)), info.version
    )
    return target


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_backup_runs_on_the_task_runner(qtbot, services, team, folder, parent, audit_log):
    runner = TaskRunner(parent)
    run = BackupRun(services.backups, team.coordinator, runner, parent)
    assert run.start()
    assert run.running and run.task.dialog is not None and run.task.dialog.isVisible()
    assert not run.start()  # one backup at a time
    qtbot.waitUntil(lambda: not run.running, timeout=30000)
    assert run.task.dialog is None
    assert run.message is not None
    assert "Sauvegarde chiffrée enregistrée" in run.message.text()
    assert len(_files(folder)) == 1
    assert audit_log.rows(action="backup")[-1].detail == _files(folder)[0]
    runner.shutdown()


def test_a_cancelled_backup_leaves_nothing(qtbot, services, team, folder, parent, audit_log):
    pressed = threading.Event()

    class BackupAfterTheClick:
        def __init__(self, real):
            self._real = real

        def __getattr__(self, name):
            return getattr(self._real, name)

        def create(self, actor, progress=None, *, cancelled=None):
            assert pressed.wait(30)
            return self._real.create(actor, progress, cancelled=cancelled)

    runner = TaskRunner(parent)
    run = BackupRun(BackupAfterTheClick(services.backups), team.coordinator, runner, parent)
    assert run.start()
    dialog = run.task.dialog
    assert dialog is not None
    dialog.findChild(QPushButton).click()  # « Annuler »
    assert dialog.labelText() == "Annulation en cours…"
    pressed.set()
    qtbot.waitUntil(lambda: not run.running, timeout=30000)
    assert run.message is not None
    assert "Sauvegarde annulée : aucun fichier de sauvegarde n'a été écrit." in run.message.text()
    assert _files(folder) == []
    assert audit_log.rows(action="backup") == []
    runner.shutdown()


# ---- « Sauvegarder maintenant » from the workspace menu: the same backup run ----------------
class HeldBackups:
    """The real backup manager, its thread noted; its first progress report waits for ``go``
    (the UI thread must click meanwhile: a backup run on the UI thread would never return)."""

    def __init__(self, real) -> None:
        self._real = real
        self.threads: list[threading.Thread] = []
        self.started = threading.Event()
        self.go = threading.Event()

    def __getattr__(self, name):
        return getattr(self._real, name)

    def create(self, actor, progress=None, *, cancelled=None):
        self.threads.append(threading.current_thread())

        def held(done: int, total: int) -> None:
            if not self.started.is_set():
                self.started.set()
                assert self.go.wait(30)
            if progress is not None:
                progress(done, total)

        return self._real.create(actor, held, cancelled=cancelled)


def _hold_backups(services, monkeypatch) -> HeldBackups:
    held = HeldBackups(services.backups)
    monkeypatch.setattr(services, "backups", held)
    return held


def _no_partial_file(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".")] if folder.exists() else True


def test_backup_now_runs_off_the_ui_thread_and_says_where(
    qtbot, window, services, team, folder, passwords, audit_log, monkeypatch
):
    held = _hold_backups(services, monkeypatch)
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.backup_now()
    run = workspace.backup_run
    assert run is not None and run.running
    qtbot.waitUntil(held.started.is_set, timeout=30000)
    # The backup is half-way, held on its worker thread: the window still answers.
    dialog = run.task.dialog
    assert dialog is not None and dialog.isVisible()
    workspace.backup_now()  # a second click starts nothing
    assert run.running and run.task.dialog is dialog
    try:
        event_loop_turns(qtbot)  # the event loop runs meanwhile
    finally:
        held.go.set()
    qtbot.waitUntil(lambda: not run.running, timeout=30000)
    assert held.threads and held.threads[0] is not threading.main_thread()
    assert run.message is not None and run.message.objectName() == "backupResult"
    assert "Sauvegarde chiffrée enregistrée" in run.message.text()
    assert len(_files(folder)) == 1 and _files(folder)[0] in run.message.text()
    assert _no_partial_file(folder)
    assert audit_log.rows(action="backup")[-1].detail == _files(folder)[0]


def test_backup_now_cancelled_half_way_leaves_no_file(
    qtbot, window, services, team, folder, passwords, audit_log, monkeypatch
):
    held = _hold_backups(services, monkeypatch)
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.backup_now()
    run = workspace.backup_run
    assert run is not None
    qtbot.waitUntil(held.started.is_set, timeout=30000)  # the copy has begun
    dialog = run.task.dialog
    assert dialog is not None
    cancel = dialog.findChild(QPushButton)
    assert cancel.text().replace("&", "") == "Annuler"
    cancel.click()
    assert dialog.labelText() == "Annulation en cours…"
    held.go.set()
    qtbot.waitUntil(lambda: not run.running, timeout=30000)
    assert run.message is not None
    assert run.message.text() == "Sauvegarde annulée : aucun fichier de sauvegarde n'a été écrit."
    assert _files(folder) == []  # neither the backup nor its partial file
    assert audit_log.rows(action="backup") == []
    assert held.threads[0] is not threading.main_thread()
