"""Issue 3 screens: audit viewer, exceptional access, archiving, settings, inbox, key messages,
session lifetime, audit key banner, documents."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from gui_helpers import login, visible_texts
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton

from app.models.enums import Compartment, Profession, Role
from app.services.accounts.records import UserInput
from app.services.kernel.timefmt import local
from app.views.admin.audit_model import AuditModel
from app.views.common import pdf_view
from app.views.common.tasks import TaskRunner
from app.views.patient_file.notes_tab import NotesTab

pytestmark = pytest.mark.gui


def update_clinic(services, team, **changes) -> None:
    info = services.clinic.settings(team.coordinator)
    services.clinic.update(team.coordinator, replace(info.as_input(), **changes), info.version)


# ---- audit viewer ------------------------------------------------------------------------
def test_audit_viewer_filters_and_verifies(qtbot, qtmodeltester, window, services, team, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.open_audit()
    dialog = workspace.audit_dialog
    assert dialog is not None and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() > 0
    everyone = dialog.model.rowCount()
    gp = services.accounts.find_user(team.coordinator, "dr.durand")
    dialog.select_combo(dialog.user, gp.id)
    dialog.apply()
    rows = [dialog.model.record(r) for r in range(dialog.model.rowCount())]
    assert rows and all(r.user_id == gp.id for r in rows)
    assert len(rows) < everyone
    dialog.select_combo(dialog.action, "login")
    dialog.apply()
    assert {dialog.model.record(r).action for r in range(dialog.model.rowCount())} == {"login"}
    dialog.use_from.setChecked(True)
    dialog.date_from.setDate(dialog.date_from.date().addYears(5))
    dialog.apply()
    assert dialog.model.rowCount() == 0
    assert "Aucune entrée" in dialog.count_label.text()

    dialog.verify()
    window.runner.wait()
    assert dialog.last_report is not None and dialog.last_report.ok
    assert "intact" in dialog.result_label.text()


def test_audit_viewer_finds_a_patient(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Lemoine", "Alice")
    services.patients.get(team.gp, patient)  # one reading of the file
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.open_audit()
    dialog = workspace.audit_dialog
    dialog.patient_query.setText("Lemoine")
    dialog.find_patients()
    assert dialog.patient.currentData() == patient
    dialog.apply()
    records = [dialog.model.record(r) for r in range(dialog.model.rowCount())]
    assert records and all(r.patient_id == patient for r in records)
    shown = {
        dialog.model.data(dialog.model.index(r, dialog.model.PATIENT)) for r in range(len(records))
    }
    assert shown == {"LEMOINE Alice"}  # the patient's name, never the file's number


def test_audit_model_fetches_lazily(qtmodeltester, services, team):
    model = AuditModel(page_size=5)
    calls: list[int] = []

    def fetch(offset: int, limit: int):
        calls.append(offset)
        return services.audit_log.search(team.coordinator, limit=limit, offset=offset)

    model.set_source(fetch)
    assert model.rowCount() == 5 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10 and calls == [0, 5]
    qtmodeltester.check(model)


# ---- exceptional access ------------------------------------------------------------------
def test_exceptional_access_tab_appears_marked_and_expires(
    qtbot, window, services, team, clock, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Allergie grave à la pénicilline")
    update_clinic(services, team, break_glass_enabled=True, break_glass_minutes=30)
    services.auth.grant_pending(team.gp)  # a holder prepares the break-glass copies
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = workspace.open_patient(patient)
    assert "medical" not in file.tab_keys()
    assert file.exceptional_button.isVisible()
    file.ask_exceptional()
    dialog = file.exceptional_dialog
    warning = dialog.findChild(type(dialog.error), "exceptionalWarning").text()
    assert "tracé" in warning and "informés" in warning
    dialog.justification.setPlainText("urgence")
    dialog.ok.click()
    assert "15 caractères" in dialog.error.text()
    assert "exceptional:medical" not in file.tab_keys()
    dialog.justification.setPlainText("Patiente inconsciente, besoin des allergies")
    dialog.ok.click()
    assert "exceptional:medical" in file.tab_keys()
    title = next(t for t in file.tab_titles() if "exceptionnel" in t)
    until = local(file.exceptional_until[Compartment.MEDICAL]).strftime("%H:%M")  # clinic time
    assert title == f"Médical — exceptionnel, jusqu'à {until}"
    tab = file.exceptional_tabs[Compartment.MEDICAL]
    assert tab.loaded and not tab.new_button.isVisible()
    assert "pénicilline" in tab.model.note(0).text
    # The owners are told in their inbox.
    assert services.inbox.unread_count(team.gp) == 1

    clock.advance(minutes=31)
    file.refresh_exceptional()
    assert "exceptional:medical" not in file.tab_keys()
    assert file.findChild(NotesTab, "notesTab_medical") is None or not tab.isVisible()
    assert "pénicilline" not in visible_texts(window)


def test_no_exceptional_button_when_the_setting_is_off(qtbot, window, make_patient, passwords):
    patient = make_patient()
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = workspace.open_patient(patient)
    assert file.exceptional_button.isHidden()


# ---- inbox -------------------------------------------------------------------------------
def test_inbox_count_and_mark_read(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    update_clinic(services, team, break_glass_enabled=True)
    services.auth.grant_pending(team.gp)
    sw = services.auth.login("as.moreau", passwords("as.moreau"))
    services.exceptional.start(sw, patient, "medical", "Urgence vitale, patient inconscient")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    # The application-wide rule may give the button a mnemonic: compare what is read.
    assert workspace.inbox_button.text().replace("&", "") == "Messages (1)"
    workspace.open_inbox()
    dialog = workspace.inbox_dialog
    qtbot.waitUntil(lambda: not dialog.loading)  # read on the task runner
    assert dialog.model.rowCount() == 1
    assert "Accès exceptionnel" in dialog.model.item(0).text
    dialog.table.selectRow(0)
    dialog.mark_selected_read()
    assert workspace.inbox_button.text().replace("&", "") == "Messages"


# ---- archiving ---------------------------------------------------------------------------
def test_archive_flow_and_read_only_file(
    qtbot, window, services, team, clock, make_patient, passwords
):
    old = make_patient("Ancien", "Paul")
    clock.advance(days=6 * 365)
    recent = make_patient("Récent", "Marc")
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.open_archive()
    dialog = workspace.archive_dialog
    names = [
        dialog.candidates_model.row_item(r).patient.id
        for r in range(dialog.candidates_model.rowCount())
    ]
    assert names == [old] and recent not in names
    assert not dialog.archive_button.isEnabled()
    dialog.candidates.selectAll()
    dialog.archive_button.click()
    qtbot.waitUntil(lambda: not dialog.busy)  # archived on the task runner
    assert "1 dossier archivé." in dialog.message.text()
    assert dialog.candidates_model.rowCount() == 0
    assert dialog.archived_model.row_item(0).patient.id == old
    dialog.accept()
    workspace.switch_button.click()

    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(old)
    assert file.archived_banner.isVisible()
    assert "Dossier archivé" in file.archived_banner.text()
    assert file.admin_tab.edit_button.isHidden()
    file.select_tab("medical")
    assert file.notes_tabs[Compartment.MEDICAL].new_button.isHidden()


def test_unarchive(qtbot, window, services, team, clock, make_patient, passwords):
    old = make_patient("Ancien", "Paul")
    clock.advance(days=6 * 365)
    services.retention.archive(team.coordinator, [old])
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.open_archive()
    dialog = workspace.archive_dialog
    dialog.archived.selectRow(0)
    dialog.unarchive_button.click()
    assert "désarchivé" in dialog.message.text()
    assert dialog.archived_model.rowCount() == 0


def test_archiving_runs_with_progress_and_a_cancel_leaves_nothing_archived(
    qtbot, window, services, team, clock, make_patient, passwords, audit_log
):
    olds = [make_patient(f"Ancien{i}", "Paul") for i in range(3)]
    clock.advance(days=6 * 365)
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.open_archive()
    dialog = workspace.archive_dialog
    assert dialog.candidates_model.rowCount() == 3
    dialog.candidates.selectAll()

    # « Annuler » pressed while the archiving runs: the worker waits for the click, then the
    # real service sees the cancellation and rolls its unit of work back.
    pressed = threading.Event()

    class ArchivingAfterTheClick:
        def __init__(self, real):
            self._real = real

        def __getattr__(self, name):
            return getattr(self._real, name)

        def archive(self, actor, ids, *, progress=None, cancelled=None):
            assert pressed.wait(30)
            return self._real.archive(actor, ids, progress=progress, cancelled=cancelled)

    dialog._retention = ArchivingAfterTheClick(services.retention)
    dialog.archive_button.click()
    progress = dialog.progress
    assert progress is not None and progress.isVisible()
    progress.findChild(QPushButton).click()  # « Annuler »
    pressed.set()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.progress is None
    assert "Archivage annulé" in dialog.error.text()
    assert services.retention.archived(team.coordinator) == []
    assert audit_log.rows(action="archive") == []
    assert dialog.candidates_model.rowCount() == len(olds)


# ---- settings ----------------------------------------------------------------------------
def test_settings_keep_every_field(qtbot, window, services, team, passwords):
    update_clinic(services, team, backup_keep=30, retention_years=7, backup_dir="/srv/sauvegardes")
    before = services.clinic.settings(team.coordinator)
    workspace = login(qtbot, window, "coord", passwords("coord"))
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog.backup_keep.value() == 30 and dialog.retention_years.value() == 7
    assert dialog.backup_dir.text() == "/srv/sauvegardes"
    assert not dialog.break_glass_minutes.isEnabled()
    dialog.name.setText("MSP des Tilleuls — site 2")
    dialog.session_hours.setValue(8)
    dialog.save_button.click()
    after = services.clinic.settings(team.coordinator)
    assert after.name == "MSP des Tilleuls — site 2" and after.session_hours == 8
    unchanged = replace(before, name=after.name, session_hours=8, version=after.version)
    assert after == unchanged
    assert workspace is window.current


def test_settings_enable_exceptional_access(qtbot, window, services, team, passwords):
    login(qtbot, window, "coord", passwords("coord"))
    window.open_settings()
    dialog = window.settings_dialog
    dialog.break_glass.setChecked(True)
    assert dialog.break_glass_minutes.isEnabled()
    dialog.break_glass_minutes.setValue(45)
    dialog.save_button.click()
    info = services.clinic.settings(team.coordinator)
    assert info.break_glass_enabled and info.break_glass_minutes == 45


# ---- keys, sessions, audit key -----------------------------------------------------------
def test_key_not_yet_granted_shows_a_french_message(
    qtbot, window, services, team, make_patient, passwords, helpers
):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Note médicale confidentielle")
    services.accounts.create_user(
        team.coordinator,
        UserInput(
            "dr.nouveau",
            "Noé",
            "Nouveau",
            Role.GP,
            Profession.GENERAL_PRACTITIONER,
            helpers.make_rpps(9),
        ),
        passwords("dr.nouveau"),
        must_change=False,
    )
    workspace = login(qtbot, window, "dr.nouveau", passwords("dr.nouveau"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[Compartment.MEDICAL]
    assert "n'est pas encore disponible" in tab.message.text()
    assert "Traceback" not in visible_texts(window)


def test_session_lifetime_forces_a_new_login(qtbot, window, clock, passwords):
    login(qtbot, window, "dr.durand", passwords("dr.durand"))
    clock.advance(hours=11)
    window.tick()
    assert window.current is not None
    clock.advance(hours=2)
    window.tick()
    assert window.current is None and window.stack.currentWidget() is window.login
    assert window.expired_box is not None
    assert "reconnectez-vous" in window.expired_box.text()


def test_expired_session_on_unlock_goes_back_to_login(qtbot, window, clock, passwords):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    workspace.lock_button.click()
    clock.advance(hours=13)
    window.lock_screen.password.setText(passwords("dr.durand"))
    window.lock_screen.attempt()
    qtbot.waitUntil(lambda: not window.lock_screen.busy)  # Argon2 runs in the background
    assert window.current is None and window.stack.currentWidget() is window.login
    assert "12 heures" in window.expired_box.text()


def test_missing_audit_key_banner(qtbot, services, team, make_window):
    from app.main import use_audit_key

    key = services.audit.key
    services.audit.key = None
    window = make_window(use_audit_key=lambda text: use_audit_key(services, text))
    banner = window.audit_banner
    qtbot.waitUntil(banner.isVisible)  # the keyring is asked on the task runner
    assert "sans scellement" in visible_texts(banner)
    banner.key.setText("pas une clé")
    banner.apply()
    assert "64 caractères" in banner.error.text()
    banner.key.setText("ab" * 32)
    banner.apply()
    assert "ne correspond pas" in banner.error.text() and services.audit.key is None
    banner.key.setText(key.hex())
    banner.apply()
    assert not banner.isVisible() and services.audit.key == key


def test_no_banner_when_the_audit_key_is_there(make_window, team):
    window = make_window()
    TaskRunner.wait_all()  # the keyring was asked on the task runner: it answered
    QCoreApplication.processEvents()
    assert window.audit_banner.isHidden()


def test_the_keyring_is_asked_for_the_audit_key_off_the_ui_thread(
    qtbot, services, team, make_window
):
    """A clinic workstation's keyring lookup (the audit key) is not part of the start: the
    services are built without it, the window asks once, on the task runner, and its answer
    shows the banner."""
    assert services.audit._find_key is not None, "the keyring was asked while building"
    asked: list[threading.Thread] = []

    def finder() -> bytes | None:
        asked.append(threading.current_thread())
        return None  # this workstation's keyring holds no audit key

    services.audit._find_key = finder
    window = make_window()
    qtbot.waitUntil(window.audit_banner.isVisible)
    assert len(asked) == 1 and asked[0] is not threading.main_thread()
    assert services.audit.key is None and len(asked) == 1  # asked once, remembered
    assert asked and asked[0] is not threading.main_thread()


# ---- documents ---------------------------------------------------------------------------
def test_access_report_and_export(
    qtbot, window, services, team, make_patient, passwords, monkeypatch, tmp_path
):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Note pour l'export")
    coord = login(qtbot, window, "coord", passwords("coord"))
    file = coord.open_patient(patient)
    file.select_tab("documents")
    docs = file.documents_tab
    assert docs.report_button.isVisible()
    docs.access_report()  # through the window's task runner
    qtbot.waitUntil(lambda: docs.preview is not None, timeout=5000)
    qtbot.waitUntil(lambda: docs.preview.rendered)  # pages rendered on the task runner
    assert docs.preview.page_labels
    docs.preview.accept()
    assert docs.model.rowCount() == 1
    coord.switch_button.click()

    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.select_tab("documents")
    docs = file.documents_tab
    assert docs.report_button.isHidden() and docs.export_button.isVisible()
    # The latest document is selected on opening: « Aperçu » and Return show it at once.
    assert docs.model.rowCount() == 1 and docs.selected() is not None
    assert docs.preview_button.isEnabled() and docs.save_button.isEnabled()
    docs.ask_export()
    docs.export_dialog.password.setText("pas le bon")
    docs.export_dialog.ok.click()
    qtbot.waitUntil(lambda: docs.export_dialog.error.isVisible(), timeout=5000)
    target = tmp_path / "export.pdf"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a: target)
    docs.export_dialog.password.setText(passwords("dr.durand"))
    docs.export_dialog.ok.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=10000)
    assert target.read_bytes().startswith(b"%PDF")
    assert b"Note pour l'export" in (tmp_path / "export.json").read_bytes()
    assert "export.pdf" in docs.message.text()
