"""Inactivity lock, user switch, identity form errors and duplicates, accounts, setup, main."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gui_helpers import click_and_wait, login, visible_texts
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from stdnum import luhn

from app.demo import generator as demo
from app.models.enums import Compartment, Role
from app.services.kernel.errors import NotFound
from app.views.common.tasks import TaskRunner
from app.views.shell.setup_wizard import SetupDialog

pytestmark = pytest.mark.gui


def open_with_note_draft(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Diabète de type 2 équilibré")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[Compartment.MEDICAL]
    tab.start_new()
    tab.editor.setPlainText("Brouillon confidentiel du Dr Durand")
    return workspace, file, tab


def test_inactivity_lock_hides_patient_data_and_unlock_restores(
    qtbot, make_window, services, team, make_patient, passwords
):
    window = make_window(idle_ms=200)
    workspace, file, tab = open_with_note_draft(
        qtbot, window, services, team, make_patient, passwords
    )
    file.edit_identity()  # an open dialog with patient data must disappear too
    assert file.identity_dialog is not None and file.identity_dialog.isVisible()
    assert "DUPRÉ" in visible_texts(window)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not workspace.isVisible() and not file.isVisible()
    assert not file.identity_dialog.isVisible()
    texts = visible_texts(window)
    for secret in ("DUPRÉ", "Dupré", "Diabète", "Brouillon confidentiel"):
        assert secret not in texts
    assert "Paul Durand" not in window.windowTitle()
    # Locked by inactivity: from now on no new lock while the password is checked (on a loaded
    # machine 200 ms could pass between the unlock and the assertions below).
    window._idle_override = 3_600_000
    # Wrong password: still locked.
    window.lock_screen.password.setText("pas-le-bon")
    window.lock_screen.unlock_button.click()
    qtbot.waitUntil(lambda: not window.lock_screen.busy)  # Argon2 runs in the background
    assert window.locked and "incorrect" in window.lock_screen.error.text()
    window.lock_screen.password.setText(passwords("dr.durand"))
    window.lock_screen.unlock_button.click()
    qtbot.waitUntil(lambda: not window.lock_screen.busy)
    assert not window.locked and workspace.isVisible()
    assert file.identity_dialog.isVisible()
    assert tab.draft_text() == "Brouillon confidentiel du Dr Durand"


def test_activity_postpones_the_lock(qtbot, make_window, team, passwords):
    window = make_window(idle_ms=400)
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    for _ in range(6):  # keep typing for longer than the delay
        qtbot.keyClick(workspace.search.search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)


def test_lock_button(qtbot, window, passwords):
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    workspace.lock_button.click()
    assert window.locked and not workspace.isVisible()


def test_user_switch_keeps_first_users_draft_hidden_from_second(
    qtbot, window, services, team, make_patient, passwords
):
    first, file, tab = open_with_note_draft(qtbot, window, services, team, make_patient, passwords)
    first.lock_button.click()
    window.lock_screen.switch_button.click()
    assert window.stack.currentWidget() is window.login
    assert "Paul Durand" in window.login.suspended_label.text()
    second = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    assert second is not first
    assert first.isHidden() or not first.isVisible()
    texts = visible_texts(window)
    assert "Brouillon confidentiel" not in texts and "Diabète" not in texts
    # The social worker logs out; the GP comes back to the draft.
    second.logout_button.click()
    assert second.actor.user_id not in window.workspaces
    again = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert again is first
    assert tab.draft_text() == "Brouillon confidentiel du Dr Durand"
    assert first.open_files() == [file]


def test_logout_with_draft_asks_and_destroys_workspace(
    qtbot, window, services, team, make_patient, passwords
):
    workspace, _file, _tab = open_with_note_draft(
        qtbot, window, services, team, make_patient, passwords
    )
    workspace.logout_button.click()
    box = window.findChild(QApplication.activeModalWidget().__class__, "logoutConfirm")
    assert box is not None and window.current is workspace
    discard = next(b for b in box.buttons() if "sans enregistrer" in b.text().replace("&", ""))
    discard.click()
    assert window.current is None and not window.workspaces


def new_patient_dialog(qtbot, window, passwords, username="sec.roux"):
    workspace = login(qtbot, window, username, passwords(username))
    workspace.search.new_button.click()
    dialog = workspace.identity_dialog
    assert dialog is not None and dialog.isVisible()
    return workspace, dialog


def fill(dialog, **values):
    defaults = {
        "birth_name": "Lefèvre",
        "first_names": "Jeanne Marie",
        "birth_date": "03/02/1950",
        "nir": "",
    }
    defaults.update(values)
    dialog.birth_name.setText(defaults["birth_name"])
    dialog.first_names.setText(defaults["first_names"])
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    dialog.birth_date.setText(defaults["birth_date"])
    dialog.nir.setText(defaults["nir"])


def test_bad_nir_shows_french_error_and_saves_nothing(qtbot, window, services, team, passwords):
    _workspace, dialog = new_patient_dialog(qtbot, window, passwords)
    fill(dialog, nir="2 50 02 75 123 456 00")
    dialog.save_button.click()
    assert dialog.isVisible()
    error = dialog.findChild(type(dialog.general_error), "error_nir")
    assert error.isVisible() and "clé du NIR est incorrecte" in error.text()
    assert services.patients.search(team.secretary, "lefevre").patients == []


def test_missing_fields_are_reported_next_to_each_field(qtbot, window, services, team, passwords):
    _workspace, dialog = new_patient_dialog(qtbot, window, passwords)
    dialog.birth_date.setText("31/02/1950")
    dialog.save_button.click()
    messages = dialog.errors.messages()
    assert "obligatoire" in messages["birth_name"]
    assert "prénom" in messages["first_names"]
    assert "jj/mm/aaaa" in messages["birth_date"]
    assert "sex" in messages
    assert services.patients.search(team.secretary, "31/02/1950").patients == []


def test_create_patient_opens_the_file(qtbot, window, services, team, passwords):
    workspace, dialog = new_patient_dialog(qtbot, window, passwords)
    fill(dialog)
    dialog.save_button.click()
    assert not dialog.isVisible()
    [found] = services.patients.search(team.secretary, "lefevre jeanne").patients
    assert workspace.open_files()[0].patient_id == found.id


def test_duplicate_warning_open_existing_or_create_anyway(
    qtbot, window, services, team, make_patient, passwords
):
    existing = make_patient(
        "Lefèvre",
        "Jeanne",
        sex="F",
        birth_date="03/02/1950",
        used_name="Dupré-Lœuvre",
        nir="250027654012359",
        city="Saint-Étienne-du-Rouvray",
    )
    workspace, dialog = new_patient_dialog(qtbot, window, passwords)
    fill(dialog, birth_name="Lefevre", first_names="Jeanne")
    dialog.save_button.click()
    duplicate = dialog.duplicate_dialog
    assert duplicate is not None and duplicate.isVisible()
    assert duplicate.candidates.count() == 1
    name, details = duplicate.candidates.item(0).text().split("\n")
    assert name == "DUPRÉ-LŒUVRE Jeanne (née Lefèvre)"
    assert details == "né(e) le 03/02/1950 · NIR 2 50 02 76 540 123 59 · Saint-Étienne-du-Rouvray"
    # Whole in the dialog's width: nothing to scroll sideways to read the NIR or the town.
    qtbot.waitExposed(duplicate)
    candidates = duplicate.candidates
    shown = candidates.visualItemRect(candidates.item(0))
    assert shown.right() <= candidates.viewport().width()
    assert candidates.fontMetrics().horizontalAdvance(details) <= shown.width()
    assert len(services.patients.search(team.secretary, "lefevre").patients) == 1
    duplicate.open_button.click()
    assert not dialog.isVisible()
    assert workspace.open_files()[0].patient_id == existing
    # Second time: create anyway.
    workspace.search.new_button.click()
    dialog = workspace.identity_dialog
    fill(dialog, birth_name="Lefevre", first_names="Jeanne")
    dialog.save_button.click()
    dialog.duplicate_dialog.create_button.click()
    assert len(services.patients.search(team.secretary, "lefevre").patients) == 2


def test_identity_conflict_shows_both_versions(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = workspace.open_patient(patient)
    file.edit_identity()
    dialog = file.identity_dialog
    dialog.phone.setText("02 35 00 00 01")
    record = services.patients.get(team.gp, patient)
    services.patients.update(
        team.gp, patient, replace(record.as_input(), city="Rouen"), record.version
    )
    dialog.save_button.click()
    conflict = dialog.conflict_dialog
    assert conflict is not None and conflict.isVisible()
    assert "Téléphone : 02 35 00 00 01" in conflict.mine_view.toPlainText()
    assert "Ville : Rouen" in conflict.theirs_view.toPlainText()
    assert services.patients.get(team.gp, patient).phone == ""
    conflict.replace_button.click()
    saved = services.patients.get(team.gp, patient)
    assert saved.phone == "02 35 00 00 01"
    assert file.admin_tab is not None and file.admin_tab.value("phone") == "02 35 00 00 01"


def test_accounts_dialog_bad_rpps_then_create(qtbot, window, services, team, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.accounts_button.click()
    accounts = window.accounts_dialog
    assert accounts is not None and accounts.isVisible()
    assert accounts.model.rowCount() == len(services.accounts.list_users(team.coordinator))
    accounts.new_button.click()
    form = accounts.form
    form.first_name.setText("Hugo")
    form.last_name.setText("Roussel")
    form.username.setText("dr.roussel")
    form.select_role(Role.GP)
    form.rpps.setText("12345678901")
    click_and_wait(form.save_button)
    assert form.isVisible()
    assert "RPPS" in form.errors.messages()["rpps"]
    with pytest.raises(NotFound):  # nothing was created
        services.accounts.find_user(team.coordinator, "dr.roussel")
    valid = "1000000012" + luhn.calc_check_digit("1000000012")
    form.rpps.setText(valid)
    click_and_wait(form.save_button)
    if form.errors.messages():
        pytest.fail(str(form.errors.messages()))
    user = services.accounts.find_user(team.coordinator, "dr.roussel")
    assert user.rpps == valid and user.must_change_password
    assert accounts.selected() is not None and accounts.selected().username == "dr.roussel"
    accounts.toggle_button.click()
    assert not services.accounts.find_user(team.coordinator, "dr.roussel").active


def test_settings_dialog_updates_inactivity(qtbot, window, services, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.settings_button.click()
    dialog = window.settings_dialog
    dialog.finess.setText("123")
    dialog.save_button.click()
    assert "FINESS" in dialog.errors.messages()["finess"]
    dialog.finess.setText("")
    dialog.inactivity.setValue(12)
    dialog.save_button.click()
    assert services.clinic.public().inactivity_minutes == 12


@pytest.mark.parametrize("on_runner", [False, True], ids=["at-once", "task-runner"])
def test_setup_wizard_creates_clinic_and_coordinator(qtbot, services, on_runner):
    # At start-up the set-up's two Argon2 hashes run on the task runner (Startup passes it).
    runner = TaskRunner() if on_runner else None
    dialog = SetupDialog(services.clinic, services.documents, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "aucun compte par défaut" in dialog.findChild(type(dialog.general), "setupIntro").text()
    dialog.clinic_name.setText("MSP du Vieux-Marché")
    dialog.first_name.setText("Anne")
    dialog.last_name.setText("Martin")
    dialog.username.setText("coordination")
    dialog.password.setText("une-phrase-de-passe-solide")
    dialog.confirm.setText("une-phrase-de-passe-differente")
    dialog.save_button.click()
    assert "identiques" in dialog.errors.messages()["confirm"]
    assert not services.clinic.is_set_up()
    dialog.confirm.setText("une-phrase-de-passe-solide")
    click_and_wait(dialog.save_button)
    page = dialog.recovery_page
    assert page is not None and page.isVisible()
    key = dialog.setup_result.recovery_key
    assert page.key_label.text() == key
    assert "personne ne pourra" in page.findChild(QLabel, "recoveryExplanation").text()
    # Without the tick, nothing moves on (and the dialog cannot be closed).
    assert not page.continue_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    page.confirm.setChecked(True)
    with qtbot.waitSignal(dialog.completed):
        page.continue_button.click()
    assert page.key_label.text() == ""  # taken off the screen once acknowledged
    assert services.clinic.is_set_up()
    assert services.clinic.public().name == "MSP du Vieux-Marché"
    services.auth.login("coordination", "une-phrase-de-passe-solide")
    if runner is not None:
        runner.shutdown()


def test_main_reports_unopenable_database(monkeypatch, tmp_path):
    from app import main as relais_main

    shown: list[str] = []
    monkeypatch.setattr(relais_main, "show_fatal", shown.append)
    (tmp_path / "corrompu.sqlite").write_bytes(b"ceci n'est pas une base SQLite" * 100)
    code = relais_main.main(["--database", f"sqlite:///{tmp_path / 'corrompu.sqlite'}"])
    assert code == 1
    assert "n'a pas pu ouvrir" in shown[0] and "corrompu.sqlite" in shown[0]


def test_demo_accounts_cover_every_role():
    assert {a.role for a in demo.DEMO_ACCOUNTS} == set(Role)
