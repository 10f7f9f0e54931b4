"""Search as you type, open a file, the tabs each role sees, notes and their conflicts."""

from __future__ import annotations

import pytest
from gui_helpers import login, visible_texts
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.models.enums import Role
from app.services.kernel import policy
from app.views.patient_file.file_view import PatientFileWidget
from app.views.patient_file.notes_tab import NotesTab

pytestmark = pytest.mark.gui

USERNAMES = {
    Role.GP: "dr.durand",
    Role.SOCIAL_WORKER: "as.moreau",
    Role.PARAMEDICAL: "ide.bernard",
    Role.SECRETARY: "sec.roux",
    Role.COORDINATOR: "coord",
}
ALL_TABS = {
    "administrative": "Administratif",
    "medical": "Médical",
    "social": "Social",
    "liaison": "Liaison",
}


def type_search(qtbot, workspace, text: str) -> None:
    workspace.search.search.clear()
    qtbot.keyClicks(workspace.search.search, text)
    qtbot.waitUntil(lambda: not workspace.search.pending)


def test_search_as_you_type_and_open_with_enter(qtbot, window, make_patient, passwords):
    make_patient("Dupré", "Jean", birth_date="12/05/1948")
    make_patient("Dupont", "Marie", sex="F")
    make_patient("Martin", "Paul")
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    type_search(qtbot, workspace, "dup")
    model = workspace.search.model
    assert model.rowCount() == 2
    type_search(qtbot, workspace, "dupre")  # no accent typed, finds "Dupré"
    assert model.rowCount() == 1
    assert model.data(model.index(0, model.NAME)) == "DUPRÉ Jean"
    assert model.data(model.index(0, model.BIRTH_DATE)) == "12/05/1948"
    assert "1 patient" in workspace.search.status.text()
    qtbot.keyClick(workspace.search.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(workspace.open_files()) == 1)
    file = workspace.open_files()[0]
    assert workspace.files.currentWidget() is file
    assert file.name_label.text() == "DUPRÉ Jean"
    assert "12/05/1948" in file.details_label.text()


def test_search_by_birth_date_and_double_click(qtbot, window, make_patient, passwords):
    make_patient("Lefèvre", "Anne", sex="F", birth_date="03/02/1950")
    make_patient("Bernard", "Luc", birth_date="04/02/1950")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    type_search(qtbot, workspace, "03/02/1950")
    model = workspace.search.model
    assert model.rowCount() == 1
    index = workspace.search.table.model().index(0, 0)
    rect = workspace.search.table.visualRect(index)
    viewport = workspace.search.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(
        workspace.search.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.waitUntil(lambda: len(workspace.open_files()) == 1)
    assert workspace.open_files()[0].record.birth_name == "Lefèvre"


def test_no_result_message(qtbot, window, make_patient, passwords):
    make_patient("Dupré", "Jean")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    type_search(qtbot, workspace, "zzz")
    assert workspace.search.model.rowCount() == 0
    assert "Aucun patient" in workspace.search.status.text()


@pytest.mark.parametrize("role", list(Role))
def test_tabs_each_role_sees(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, role
):
    patient = make_patient("Dupré", "Jean")
    liaison_consent(patient)
    services.notes.add(team.gp, patient, "medical", "Secret médical : diabète")
    services.notes.add(team.social_worker, patient, "social", "Situation sociale : dettes")
    services.notes.add(team.gp, patient, "liaison", "Liaison : rendez-vous CARSAT")
    username = USERNAMES[role]
    workspace = login(qtbot, window, username, passwords(username))
    file = workspace.open_patient(patient)
    assert isinstance(file, PatientFileWidget)
    readable = [str(c) for c in policy.readable_compartments(role)]
    # The social worker's own « Suivi social »; consent for every role that may read it;
    # referrals for those who see them by name.
    extra = ["social_follow_up"] if role is Role.SOCIAL_WORKER else []
    extra += ["consents"] + (["referrals"] if role is not Role.COORDINATOR else [])
    # Every role reads home-care requests and appointments' times and names.
    extra += ["home_care", "appointments"]
    titles = {
        "social_follow_up": "Suivi social",
        "consents": "Consentements",
        "referrals": "Orientations",
        "home_care": "Soins à domicile",
        "appointments": "Rendez-vous",
    }
    assert file.tab_keys() == [*readable, *extra, "documents", "history"]
    assert file.tab_titles() == [ALL_TABS[k] for k in readable] + [titles[k] for k in extra] + [
        "Documents",
        "Historique",
    ]
    for key, title in ALL_TABS.items():
        if key not in readable:
            assert title not in file.tab_titles()
            assert file.findChild(NotesTab, f"notesTab_{key}") is None
    for key in readable:
        if key == "administrative":
            continue
        assert file.select_tab(key)
    texts = visible_texts(window)
    if "medical" not in readable:
        assert "diabète" not in texts
    if "social" not in readable:
        assert "dettes" not in texts
    if "liaison" not in readable:
        assert "rendez-vous CARSAT" not in texts


def test_secretary_sees_no_trace_of_clinical_content(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Note médicale")
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = workspace.open_patient(patient)
    assert file.tab_titles() == [
        "Administratif",
        "Consentements",
        "Orientations",
        "Soins à domicile",
        "Rendez-vous",
        "Documents",
        "Historique",
    ]
    file.select_tab("history")
    texts = visible_texts(window)
    assert "Médical" not in texts and "Note médicale" not in texts
    assert file.admin_tab is not None and not file.admin_tab.edit_button.isHidden()


def test_gp_writes_a_note(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[policy.Compartment.MEDICAL]
    assert tab.loaded and tab.model.rowCount() == 0
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.editor.isVisible()
    tab.save()
    assert tab.editor_error.text() == "La note est vide."
    qtbot.keyClicks(tab.editor, "Tension 13/8, ")  # QTest types ASCII only
    tab.editor.insertPlainText("à revoir dans un mois.")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.editor_error.text() == ""
    assert not tab.editor_box.isVisible()
    saved = services.notes.list(team.gp, patient, "medical")
    assert [n.text for n in saved] == ["Tension 13/8, à revoir dans un mois."]
    assert tab.model.rowCount() == 1
    assert "Tension 13/8" in tab.reader.toPlainText()
    assert tab.edit_button.isEnabled()


def test_paramedical_cannot_edit_a_gp_note(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    services.notes.add(team.gp, patient, "medical", "Note du médecin")
    workspace = login(qtbot, window, "ide.bernard", passwords("ide.bernard"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[policy.Compartment.MEDICAL]
    assert tab.model.rowCount() == 1
    assert not tab.edit_button.isEnabled()
    assert tab.new_button.isVisible()  # paramedical staff write their own medical notes


def test_note_conflict_dialog_keeps_both_versions(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    note = services.notes.add(team.gp, patient, "medical", "Version d'origine")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[policy.Compartment.MEDICAL]
    tab.start_edit()
    tab.editor.setPlainText("Ma version (Dr Durand)")
    # Meanwhile Dr Lefèvre saves her own change.
    services.notes.edit(team.gp2, note.id, "Version de Dr Lefèvre", note.version)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.editor_error.text() == ""
    dialog = tab.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.mine_view.toPlainText() == "Ma version (Dr Durand)"
    assert dialog.theirs_view.toPlainText() == "Version de Dr Lefèvre"
    assert "Claire Lefèvre" in dialog.findChild(type(dialog.copied), "theirsTitle").text()
    # Nothing was overwritten, and the draft is still there.
    assert services.notes.list(team.gp, patient, "medical")[0].text == "Version de Dr Lefèvre"
    assert tab.has_draft
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Ma version (Dr Durand)"
    qtbot.mouseClick(dialog.replace_button, Qt.MouseButton.LeftButton)
    assert services.notes.list(team.gp, patient, "medical")[0].text == "Ma version (Dr Durand)"
    assert not tab.has_draft


def test_note_conflict_keep_saved_version(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    note = services.notes.add(team.gp, patient, "medical", "Version d'origine")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("medical")
    tab = file.notes_tabs[policy.Compartment.MEDICAL]
    tab.start_edit()
    tab.editor.setPlainText("Ma version")
    services.notes.edit(team.gp2, note.id, "Version enregistrée", note.version)
    tab.save()
    assert tab.conflict_dialog is not None
    qtbot.mouseClick(tab.conflict_dialog.keep_button, Qt.MouseButton.LeftButton)
    assert services.notes.list(team.gp, patient, "medical")[0].text == "Version enregistrée"
    assert not tab.has_draft
    assert tab.reader.toPlainText() == "Version enregistrée"
