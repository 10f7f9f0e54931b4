"""The patient export from its dialog (issue 11): the re-authentication (Argon2), the notes
decrypted and the PDF are one task on the window's task runner. The dialog stays busy but
responsive meanwhile (its progress, « Annuler »), a wrong password comes back in French in the
dialog with the input kept, and « Annuler » leaves nothing archived and no file.

Each test holds the real service call on its worker thread until the UI thread has done
something (a click, timer ticks): work left on the UI thread would never get there."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Document
from app.views.common import pdf_view
from app.views.patient_file.file_view import PatientFileWidget
from tests.gui.gui_helpers import event_loop_turns

pytestmark = pytest.mark.gui


class HeldCalls:
    """Wraps a real service method: notes the thread of each call; the first call waits for
    ``go`` (set by the test once the UI thread has shown it answers)."""

    def __init__(self, real) -> None:
        self._real = real
        self.threads: list[threading.Thread] = []
        self.started = threading.Event()
        self.go = threading.Event()

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        if not self.started.is_set():
            self.started.set()
            assert self.go.wait(30)
        return self._real(*args, **kwargs)


@pytest.fixture
def documents_tab(qtbot, services, team, make_patient, runner):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Note pour l'export")
    record = services.patients.get(team.gp, patient)
    file = PatientFileWidget(services, team.gp, record, runner=runner)
    qtbot.addWidget(file)
    file.show()
    qtbot.waitExposed(file)
    file.select_tab("documents")
    return file.documents_tab


@pytest.fixture
def reauth(services, monkeypatch) -> HeldCalls:
    held = HeldCalls(services.auth.reauthenticate)
    monkeypatch.setattr(services.auth, "reauthenticate", held)
    return held


def _archived(database) -> int:
    with database.session(write=False) as session:
        return session.scalar(select(func.count()).select_from(Document))


def test_the_whole_export_runs_off_the_ui_thread_with_progress(
    qtbot, documents_tab, reauth, helpers, monkeypatch, tmp_path: Path, audit_log
):
    docs = documents_tab
    exports = HeldCalls(docs._documents.export_patient)
    exports.go.set()  # only its thread is noted
    monkeypatch.setattr(docs._documents, "export_patient", exports)
    target = tmp_path / "export.pdf"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a: target)
    docs.ask_export()
    dialog = docs.export_dialog
    qtbot.keyClicks(dialog.password, helpers.password)
    dialog.ok.click()
    qtbot.waitUntil(reauth.started.is_set, timeout=30000)
    # The password is being checked on a worker thread: the dialog is busy and answers.
    assert dialog.busy and dialog.isVisible()
    assert dialog.password.isReadOnly() and not dialog.ok.isEnabled()
    assert dialog.progress.isVisible() and dialog.status.text() == "Vérification du mot de passe…"
    event_loop_turns(qtbot)
    reauth.go.set()
    qtbot.waitUntil(lambda: target.exists(), timeout=30000)
    main = threading.main_thread()
    assert reauth.threads and all(t is not main for t in reauth.threads)
    assert exports.threads == reauth.threads  # one task: re-authentication, notes, PDF
    assert target.read_bytes().startswith(b"%PDF")
    assert b"Note pour l'export" in (tmp_path / "export.json").read_bytes()
    assert docs.export_dialog is None and "export.pdf" in docs.message.text()
    assert len(audit_log.rows(action="export")) == 1


def test_a_wrong_password_is_told_in_the_dialog_with_the_input_kept(
    qtbot, documents_tab, reauth, database, audit_log, monkeypatch
):
    docs = documents_tab
    asked: list[str] = []
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *a: asked.append("save") or None)
    reauth.go.set()
    docs.ask_export()
    dialog = docs.export_dialog
    qtbot.keyClicks(dialog.password, "pas le bon")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30000)
    assert dialog.error.text() == "Identifiant ou mot de passe incorrect."
    assert dialog.password.text() == "pas le bon" and dialog.password.selectedText()
    assert not dialog.busy and not dialog.password.isReadOnly() and dialog.ok.isEnabled()
    assert dialog.isVisible() and docs.export_dialog is dialog
    assert reauth.threads[0] is not threading.main_thread()
    assert asked == [] and _archived(database) == 0
    assert audit_log.rows(action="export") == []


def test_annuler_while_the_password_is_checked_leaves_nothing(
    qtbot, documents_tab, reauth, helpers, database, audit_log, monkeypatch
):
    docs = documents_tab
    asked: list[str] = []
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *a: asked.append("save") or None)
    docs.ask_export()
    dialog = docs.export_dialog
    qtbot.keyClicks(dialog.password, helpers.password)
    dialog.ok.click()
    qtbot.waitUntil(reauth.started.is_set, timeout=30000)
    dialog.cancel_button.click()  # the UI thread answers the click while the worker is held
    assert dialog.isVisible() and dialog.status.text() == "Annulation en cours…"
    reauth.go.set()
    qtbot.waitUntil(lambda: docs.export_dialog is None, timeout=30000)
    assert docs.work is not None and docs.work.done and docs.export_button.isEnabled()
    assert docs.error.text() == "Export annulé : rien n'a été enregistré ni archivé."
    assert asked == [] and _archived(database) == 0
    assert audit_log.rows(action="export") == []
    assert reauth.threads[0] is not threading.main_thread()


def test_closing_the_tab_during_the_export_stops_it(
    qtbot, documents_tab, reauth, helpers, database, audit_log, runner
):
    docs = documents_tab
    docs.ask_export()
    dialog = docs.export_dialog
    qtbot.keyClicks(dialog.password, helpers.password)
    dialog.ok.click()
    qtbot.waitUntil(reauth.started.is_set, timeout=30000)
    gone: list[int] = []
    docs.destroyed.connect(lambda: gone.append(1))
    docs.setParent(None)
    docs.deleteLater()  # the file closed while its export runs
    qtbot.waitUntil(lambda: bool(gone), timeout=30000)
    reauth.go.set()
    runner.wait()
    assert runner.pending == 0
    assert _archived(database) == 0 and audit_log.rows(action="export") == []
