"""The patient file builds its tabs when first shown and reads its lists a page at a time
(issue 16); capabilities, keyboard and menu-bar entry points, what changed (issues 11, 14).

Statement counts are measured with SQLAlchemy's ``before_cursor_execute`` on the real SQLite
file: counts, never time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sql_statements import statements

from app.models.enums import Compartment
from app.services.kernel.change_kinds import Change, ChangeBatch
from app.views.patient_file.file_view import PatientFileWidget
from app.views.patient_file.history_model import HistoryModel
from app.views.patient_file.notes_model import NotesModel
from app.views.patient_file.notes_tab import NotesTab

pytestmark = pytest.mark.gui

MEDICAL = str(Compartment.MEDICAL)


def open_file(qtbot, services, actor, patient_id: int, seen=None) -> PatientFileWidget:
    record = services.patients.get(actor, patient_id)  # the workspace reads it (perf's part)
    if seen is not None:
        with statements(services) as building:
            file = PatientFileWidget(services, actor, record)
        seen.extend(building)
    else:
        file = PatientFileWidget(services, actor, record)
    qtbot.addWidget(file)
    file.resize(1000, 700)
    file.show()
    qtbot.waitExposed(file)
    return file


def add_notes(services, actor, patient_id: int, count: int) -> None:
    for i in range(count):
        services.notes.add(actor, patient_id, "medical", f"Note {i}")


def test_opening_builds_only_the_first_tab_and_reads_no_list(qtbot, services, team, make_patient):
    small, large = make_patient("Petit", "Paul"), make_patient("Grand", "Jean")
    add_notes(services, team.gp, small, 3)
    add_notes(services, team.gp, large, 120)
    on_small: list[str] = []
    on_large: list[str] = []
    file_small = open_file(qtbot, services, team.gp, small, on_small)
    file = open_file(qtbot, services, team.gp, large, on_large)
    assert len(on_large) == len(on_small)  # the notes are not read at opening
    assert not any("FROM note" in s for s in on_large)
    assert len(on_large) <= 8
    keys = file.tab_keys()
    assert keys[0] == str(Compartment.ADMINISTRATIVE) and "history" in keys
    assert file.built_tab(keys[0]) is not None
    assert all(file.built_tab(k) is None for k in keys[1:])
    assert file_small.tab_keys() == keys


def test_notes_tab_reads_a_page_then_the_next_as_the_list_scrolls(
    qtbot, services, team, make_patient
):
    patient = make_patient()
    add_notes(services, team.gp, patient, 120)
    file = open_file(qtbot, services, team.gp, patient)
    with statements(services) as shown:
        file.select_tab(MEDICAL)
    tab = file.built_tab(MEDICAL)
    assert isinstance(tab, NotesTab) and file.tabs.currentWidget() is tab
    assert tab.model.rowCount() == NotesModel.PAGE and tab.model.total == 120
    assert "120 notes" in tab.message.text()
    notes_selects = [s for s in shown if s.lstrip().startswith("SELECT") and "FROM note" in s]
    assert len(notes_selects) == 2  # the count and the page, in SQL
    with statements(services) as scrolled:
        tab.table.scrollToBottom()
        qtbot.waitUntil(lambda: tab.model.rowCount() > NotesModel.PAGE)
    assert tab.model.rowCount() == 2 * NotesModel.PAGE
    assert len(scrolled) == len(shown)  # one page, the same statements as the first
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    texts = [tab.model.note(r).text for r in range(tab.model.rowCount())]
    assert texts == [f"Note {i}" for i in reversed(range(120))]


def test_history_and_documents_are_read_when_shown(qtbot, services, team, make_patient):
    patient = make_patient()
    add_notes(services, team.gp, patient, 2)
    file = open_file(qtbot, services, team.gp, patient)
    assert file.built_tab("history") is None
    file.select_tab("history")
    history = file.history_tab
    assert history.loaded and history.model.rowCount() >= 3
    model = history.model
    details = {model.data(model.index(r, HistoryModel.DETAIL)) for r in range(model.rowCount())}
    assert details == {"Identité", "Note"}  # French, never « note » or « patient »
    file.select_tab("documents")
    assert file.documents_tab.loaded and file.documents_tab.model.total == 0


def test_capabilities_drive_the_buttons(qtbot, services, team, make_patient):
    patient = make_patient()
    secretary = open_file(qtbot, services, team.secretary, patient)
    assert secretary.orient_button.isHidden() and not secretary.start_referral()
    assert MEDICAL not in secretary.tab_keys()
    assert not secretary.can_new_note()
    secretary.select_tab("documents")
    assert secretary.documents_tab.report_button.isHidden()
    assert not secretary.documents_tab.export_button.isHidden()
    coordinator = open_file(qtbot, services, team.coordinator, patient)
    coordinator.select_tab("documents")
    assert not coordinator.documents_tab.report_button.isHidden()
    assert "referrals" not in coordinator.tab_keys()  # aggregate only
    gp = open_file(qtbot, services, team.gp, patient)
    assert not gp.orient_button.isHidden()


def test_new_note_from_the_menu_opens_the_editor_with_the_focus(
    qtbot, services, team, make_patient
):
    patient = make_patient()
    file = open_file(qtbot, services, team.gp, patient)
    assert file.can_new_note()
    assert file.new_note()
    tab = file.tabs.currentWidget()
    assert isinstance(tab, NotesTab) and tab.compartment == Compartment.MEDICAL
    assert tab.editor_box.isVisible()
    assert file.window().focusWidget() is tab.editor
    # Tab leaves the editor instead of typing a tab character.
    assert tab.editor.tabChangesFocus()
    tab.editor.setFocus()
    qtbot.keyClicks(tab.editor, "Tension")
    qtbot.keyClick(tab.editor, Qt.Key.Key_Tab)
    assert tab.editor.toPlainText() == "Tension"
    assert file.window().focusWidget() is not tab.editor


def test_start_referral_opens_the_referral_form(qtbot, services, team, make_patient):
    file = open_file(qtbot, services, team.gp, make_patient())
    assert file.can_refer() and file.start_referral()
    dialog = file.referral_dialog or file.guide_dialog  # the form (or the guide, as fallback)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    file.orient_button.click()  # the header's button: the orientation guide
    assert file.guide_dialog is not None and file.guide_dialog.isVisible()
    file.guide_dialog.reject()


def test_return_on_a_note_row_opens_it(qtbot, services, team, make_patient):
    patient = make_patient()
    services.notes.add(team.paramedical, patient, "medical", "Ma note")
    services.notes.add(team.gp, patient, "medical", "Note du médecin")
    file = open_file(qtbot, services, team.paramedical, patient)
    file.select_tab(MEDICAL)
    tab = file.built_tab(MEDICAL)
    assert isinstance(tab, NotesTab)
    tab.table.setFocus()
    row_of_colleague = next(
        r for r in range(tab.model.rowCount()) if tab.model.note(r).text.startswith("Note du")
    )
    tab.table.selectRow(row_of_colleague)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert not tab.editor_box.isVisible()  # not his to edit: read it
    assert file.window().focusWidget() is tab.reader
    own = next(r for r in range(tab.model.rowCount()) if tab.model.note(r).text == "Ma note")
    tab.table.setFocus()
    tab.table.selectRow(own)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.editor_box.isVisible() and tab.editor.toPlainText() == "Ma note"


def test_return_on_a_document_row_previews_it(qtbot, services, team, make_patient):
    patient = make_patient()
    services.documents.access_report(team.coordinator, patient)
    file = open_file(qtbot, services, team.coordinator, patient)
    file.select_tab("documents")
    docs = file.documents_tab
    docs.table.setFocus()
    docs.table.selectRow(0)
    qtbot.keyClick(docs.table, Qt.Key.Key_Return)
    assert docs.preview is not None
    qtbot.waitUntil(lambda: docs.preview.rendered)  # pages rendered on the task runner
    assert docs.preview.page_labels
    docs.preview.accept()


def test_a_change_elsewhere_refreshes_the_tabs_read_and_keeps_a_draft(
    qtbot, services, team, make_patient
):
    patient = make_patient()
    services.notes.add(team.gp2, patient, "medical", "Première")
    file = open_file(qtbot, services, team.gp, patient)
    file.select_tab(MEDICAL)
    file.select_tab("history")
    tab = file.built_tab(MEDICAL)
    assert isinstance(tab, NotesTab) and tab.model.rowCount() == 1
    history_rows = file.history_tab.model.rowCount()
    note = services.notes.add(team.gp2, patient, "medical", "Deuxième")
    batch = ChangeBatch((Change("note", note.id, patient),), origin="un-autre-poste")
    with statements(services) as refreshed:
        file.apply_changes([batch])
    assert tab.model.rowCount() == 2
    assert file.history_tab.model.rowCount() == history_rows + 1
    assert file.built_tab("documents") is None  # never read: not read now either
    assert not any("FROM document" in s for s in refreshed)
    tab.start_new()
    tab.editor.setPlainText("Brouillon en cours")
    services.notes.add(team.gp2, patient, "medical", "Troisième")
    file.apply_changes([batch])
    assert tab.model.rowCount() == 2  # a note being typed is never reloaded under the user
    assert tab.editor.toPlainText() == "Brouillon en cours"


def test_cancelling_the_export_leaves_nothing_behind(
    qtbot, services, team, make_patient, helpers, database, monkeypatch
):
    """The export runs through the task runner; « Annuler » before its last step leaves no
    archived copy, no audited export and no file."""
    import threading

    from sqlalchemy import func, select

    from app.models import Document
    from app.views.common import pdf_view
    from app.views.common.tasks import TaskRunner

    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Pour l'export")
    runner = TaskRunner()
    record = services.patients.get(team.gp, patient)
    file = PatientFileWidget(services, team.gp, record, runner=runner)
    qtbot.addWidget(file)
    file.select_tab("documents")
    docs = file.documents_tab
    asked: list[str] = []
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *a: asked.append("save") or None)
    gate = threading.Event()
    runner.run(lambda _progress: gate.wait(10))  # the one writer thread is busy meanwhile
    try:
        docs.export(helpers.password)
        assert not docs.export_button.isEnabled()  # one slow work at a time
        docs.work.cancel()
    finally:
        gate.set()
    runner.wait()
    assert docs.work.done and docs.export_button.isEnabled()
    assert "Export annulé" in docs.error.text()
    assert asked == []
    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    runner.shutdown()


def test_asking_for_new_note_builds_no_tab(qtbot, services, team, make_patient, liaison_consent):
    """The window asks whether « Nouvelle note » applies as a file opens: the answer comes
    from the capabilities and the consent, the note tabs stay unbuilt until used."""
    with_consent, without = make_patient("Avec", "Anne"), make_patient("Sans", "Paul")
    liaison_consent(with_consent)
    file = open_file(qtbot, services, team.gp, with_consent)
    assert file.can_new_note()
    assert all(file.built_tab(k) is None for k in file.tab_keys()[1:])
    assert file.new_note() and file.tabs.currentWidget().can_add  # built when used
    # Without the liaison consent: the answer for each unbuilt tab is what the tab says once
    # built (no new liaison note).
    social = open_file(qtbot, services, team.social_worker, without)
    guessed = {c: social._could_add(c) for c in (Compartment.SOCIAL, Compartment.LIAISON)}
    assert guessed == {Compartment.SOCIAL: True, Compartment.LIAISON: False}
    for compartment, could in guessed.items():
        assert social.built_tab(str(compartment)) is None
        assert social.lazy.widget(str(compartment)).can_add is could, compartment
