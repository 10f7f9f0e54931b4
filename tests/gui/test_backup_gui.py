"""« Sauvegarder maintenant »: the backup runs on the task runner with its progress; « Annuler »
pressed while it runs leaves no file and no audit entry."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from app.views.admin.backup_run import BackupRun
from app.views.common.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(services, team, tmp_path: Path) -> Path:
    target = tmp_path / "sauvegardes"
    info = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(info.as_input(), backup_dir=str(target)), info.version
    )
    return target


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


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
