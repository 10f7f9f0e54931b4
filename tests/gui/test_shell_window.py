"""The main window as software: menu bar and shortcuts, the shortcut list, icons, the eliding
header, recent patients, remembered geometry, the title, the width at 200 %."""

from __future__ import annotations

import threading

import pytest
from gui_helpers import login
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QSplitter

from app.services.referrals.records import ReferralInput, ReferralReason
from app.views.common.icons import available, icon
from app.views.shell.actions import ACTIONS, MENUS
from app.views.shell.header import ElidedLabel

pytestmark = pytest.mark.gui


def press(qtbot, window, sequence: str | QKeySequence.StandardKey) -> None:
    """Type a shortcut into the window, as a user would."""
    combination = QKeySequence(sequence)[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions() if a.isVisible()]


def hint(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "actionHint") is not None)
    box = window.findChild(QMessageBox, "actionHint")
    box.setObjectName("")
    return box


def sent_referral(services, team, make_patient, liaison_consent) -> tuple[int, int]:
    patient = make_patient("Dupré", "Jean")
    liaison_consent(patient)
    social = services.accounts.find_user(team.coordinator, "as.moreau")
    view = services.referrals.create(
        team.gp, ReferralInput(patient, ReferralReason.HOUSING, receiver_id=social.id)
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    return patient, view.id


# ---- menu bar --------------------------------------------------------------------------
def test_menus_follow_the_session_and_the_role(qtbot, window, passwords):
    assert menu_titles(window) == ["&Fichier", "Ai&de"]  # login screen: no patient menu
    assert not window.shell_actions.actions["lock"].isVisible()
    workspace = login(qtbot, window, "coord", passwords("coord"))
    assert menu_titles(window) == ["&Fichier", "&Patient", "Ag&enda", "Coordina&tion", "Ai&de"]
    actions = window.shell_actions.actions
    assert actions["accounts"].isVisible() and actions["audit"].isVisible()
    window.lock()
    assert menu_titles(window) == ["&Fichier", "Ai&de"]
    window.lock_screen.password.setText(passwords("coord"))
    window.lock_screen.attempt()
    qtbot.waitUntil(lambda: window.current is workspace and workspace.isVisible())
    workspace.switch_button.click()
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert menu_titles(window) == [
        "&Fichier", "&Patient", "Orientation&s", "Ag&enda", "Coordina&tion", "Ai&de"
    ]  # fmt: skip
    assert gp.capabilities.refer
    assert not actions["accounts"].isVisible() and not actions["audit"].isVisible()
    assert actions["refer"].isVisible() and not actions["refer"].isEnabled()  # no file open
    assert all(not a.icon().isNull() for a in actions.values())


def test_every_shortcut_is_unique_and_named_in_french(window):
    keys = [window.shell_actions.actions[s.key].shortcut() for s in ACTIONS]
    shown = [k.toString() for k in keys if not k.isEmpty()]
    assert len(shown) == len(set(shown))
    for wanted in (
        "Ctrl+F",
        "Ctrl+P",
        "Ctrl+L",
        "Ctrl+N",
        "Ctrl+O",
        "Ctrl+R",
        "Ctrl+M",
        "Ctrl+Shift+U",
    ):
        assert wanted in shown
    assert {m.key for m in MENUS} == {s.menu for s in ACTIONS}


def test_search_shortcut_comes_back_to_the_search_box(qtbot, window, make_patient, passwords):
    patient = make_patient()
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    workspace.open_patient(patient)
    assert workspace.files.currentIndex() != 0
    press(qtbot, window, QKeySequence.StandardKey.Find)
    assert workspace.files.currentIndex() == 0
    assert window.focusWidget() is workspace.search.search


def test_new_patient_and_lock_shortcuts(qtbot, window, passwords):
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    press(qtbot, window, QKeySequence.StandardKey.New)
    qtbot.waitUntil(lambda: workspace.identity_dialog is not None)
    workspace.identity_dialog.reject()
    qtbot.waitUntil(lambda: workspace.identity_dialog is None)
    press(qtbot, window, "Ctrl+L")
    assert window.locked


def test_new_note_and_refer_act_in_the_open_file(qtbot, window, make_patient, passwords):
    patient = make_patient()
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    press(qtbot, window, "Ctrl+Shift+N")
    tab = file.tabs.currentWidget()
    assert tab in file.notes_tabs.values() and not tab.editor_box.isHidden()
    press(qtbot, window, "Ctrl+O")
    qtbot.waitUntil(lambda: file.guide_dialog is not None and file.guide_dialog.isVisible())
    file.guide_dialog.reject()


def test_print_prints_the_referral_form(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, monkeypatch
):
    from app.views.common import pdf_view

    printed: list[str] = []  # the print dialog (first printing), answered
    monkeypatch.setattr(pdf_view, "print_pdf", lambda _p, _d, title: printed.append(title) or True)
    patient, _referral = sent_referral(services, team, make_patient, liaison_consent)
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    press(qtbot, window, QKeySequence.StandardKey.Print)  # nothing to print on the search
    assert not window.shell_actions.actions["print"].isEnabled() and printed == []
    file = workspace.open_patient(patient)
    window.shell_actions.actions["print"].trigger()
    detail = file.referrals_tab.detail
    qtbot.waitUntil(lambda: detail.printed is not None, timeout=10_000)
    assert file.tabs.currentWidget() is file.referrals_tab
    assert len(printed) == 1 and detail.printed.number in printed[0]


def test_book_from_the_file_and_from_the_agenda(
    qtbot, window, services, team, make_patient, liaison_consent, passwords
):
    patient, referral = sent_referral(services, team, make_patient, liaison_consent)
    services.referrals.acknowledge(team.social_worker, referral)
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = workspace.open_patient(patient)
    press(qtbot, window, "Ctrl+R")
    detail = file.referrals_tab.detail
    qtbot.waitUntil(lambda: detail.step_dialog is not None or detail.slot_picker is not None)
    (detail.step_dialog or detail.slot_picker).reject()
    workspace.switch_button.click()
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    window.shell_actions.actions["book"].trigger()  # nothing in the file: the agenda
    assert secretary.agenda is not None and secretary.files.currentWidget() is secretary.agenda


def test_inbox_shortcut_and_a_hint_when_there_is_nothing_to_do(qtbot, window, passwords):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    press(qtbot, window, "Ctrl+M")
    qtbot.waitUntil(lambda: workspace.inbox_dialog is not None)
    workspace.inbox_dialog.close()
    qtbot.waitUntil(lambda: workspace.inbox_dialog is None)
    window.run_action("new_note")  # no file open
    assert "Ouvrez d'abord le dossier" in hint(qtbot, window).text()


def test_the_shortcut_list_is_built_from_the_actions(qtbot, window, passwords):
    login(qtbot, window, "dr.durand", passwords("dr.durand"))
    press(qtbot, window, "Shift+F1")
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None)
    rows = window.shortcuts_dialog.rows()
    expected = [s for s in ACTIONS if s.shortcut is not None]  # all are defined on Linux
    assert len(rows) == len(expected)
    assert ("Fichier", "Rechercher un patient", "Ctrl+F") in rows
    assert ("Patient", "Imprimer la fiche d'orientation", "Ctrl+P") in rows
    assert ("Fichier", "Verrouiller", "Ctrl+L") in rows
    assert ("Agenda", "Fixer un rendez-vous", "Ctrl+R") in rows
    assert ("Orientations", "Orienter", "Ctrl+O") in rows
    window.shortcuts_dialog.close()


def test_icons_are_shipped_with_their_licence():
    from app.views.common.icons import ICON_FOLDER

    assert (ICON_FOLDER / "LICENSE").read_text().startswith("MIT License")
    names = set(available())
    assert {s.icon for s in ACTIONS} <= names
    assert not icon("printer").isNull() and icon("no-such-icon").isNull()


# ---- header, title, width ----------------------------------------------------------------
def test_header_elides_the_clinic_with_a_tooltip(qtbot, window, services, team, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    name = "Maison de santé pluriprofessionnelle universitaire du Val de Loire — site principal"
    workspace.clinic_label.setText(name)
    window.resize(960, 700)
    qtbot.waitUntil(lambda: workspace.clinic_label.shown_text().endswith("…"))
    assert workspace.clinic_label.toolTip() == name and workspace.clinic_label.text() == name
    window.resize(3000, 700)
    qtbot.waitUntil(lambda: workspace.clinic_label.shown_text() == name)
    label = ElidedLabel("Court")
    assert label.text() == "Court"


def test_menu_buttons_keep_room_for_their_arrow(qtbot, window, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    for button in (workspace.account_button, workspace.coordination_button):
        text_width = button.fontMetrics().horizontalAdvance(button.text())
        assert button.menu() is not None
        assert button.sizeHint().width() > text_width + button.iconSize().width() + 8


def test_title_says_relais_once(qtbot, window, passwords):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    title = window.windowTitle()
    if QGuiApplication.applicationDisplayName() != "Relais":
        assert title.count("Relais") == 1
    assert title.endswith("Paul Durand") and workspace is window.current
    QGuiApplication.setApplicationDisplayName("Relais")
    try:
        window._set_title("Paul Durand")
        assert "Relais" not in window.windowTitle()  # the platform appends « — Relais »
    finally:
        QGuiApplication.setApplicationDisplayName("")


@pytest.mark.parametrize("username", ["coord", "dr.durand", "sec.roux"])
def test_the_window_fits_960_logical_pixels(qtbot, window, passwords, username):
    login(qtbot, window, username, passwords(username))
    assert window.minimumSizeHint().width() <= 960
    window.resize(960, 700)
    qtbot.waitUntil(lambda: window.width() == 960)


# ---- recent patients -----------------------------------------------------------------------
def test_recent_patients_on_the_empty_search(
    qtbot, window, services, team, make_patient, clock, passwords
):
    first = make_patient("Dupré", "Jean")
    second = make_patient("Martin", "Claire")
    archived = make_patient("Ancien", "Paul")
    services.patients.get(team.gp, archived)
    clock.advance(days=6 * 365)
    services.retention.archive(team.coordinator, [archived])
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    search = workspace.search
    assert search.recent_ids() == [] and search.recent.isHidden()
    for patient in (first, second):
        workspace.open_patient(patient)
        clock.advance(seconds=5)
    workspace.focus_search()
    assert search.recent_ids() == [second, first]  # newest first, never the archived file
    assert search.recent.isVisible() and not search.table.isVisible()
    assert "MARTIN Claire" in search.recent.item(0).text()
    qtbot.keyClicks(search.search, "dup")
    assert not search.recent.isVisible() and search.table.isVisible()
    search.search.clear()
    assert search.recent.isVisible()
    workspace.close_file_at(workspace.files.indexOf(workspace.file_for(first)))
    qtbot.keyClick(search.search, Qt.Key.Key_Down)
    assert search.recent.hasFocus() or window.focusWidget() is search.recent
    qtbot.keyClick(search.recent, Qt.Key.Key_Down)
    qtbot.keyClick(search.recent, Qt.Key.Key_Return)
    assert workspace.files.currentWidget() is workspace.file_for(first)


def test_no_recent_patients_on_the_login_screen(qtbot, window, make_patient, passwords):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    workspace.open_patient(make_patient())
    workspace.logout_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login)
    assert "DUPRÉ" not in window.login.grab().toImage().text()
    assert all(not w.isVisible() for w in window.findChildren(type(workspace.search.recent)))


# ---- geometry -------------------------------------------------------------------------------
def test_geometry_and_splitters_are_remembered(qtbot, make_window, tmp_path, make_patient,
                                               passwords):  # fmt: skip
    settings = QSettings(str(tmp_path / "poste.ini"), QSettings.Format.IniFormat)
    patient = make_patient()
    window = make_window(settings=settings)
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    window.resize(781, 555)  # within the offscreen screen (800 × 600)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (781, 555))
    file = workspace.open_patient(patient)
    file.select_tab("referrals")
    splitter = file.referrals_tab.findChildren(QSplitter)[0]
    splitter.setSizes([300, 100])
    splitter.splitterMoved.emit(300, 1)  # what dragging the handle emits
    moved = splitter.sizes()
    window._force_close = True
    window.close()
    again = make_window(settings=QSettings(str(tmp_path / "poste.ini"), QSettings.Format.IniFormat))
    assert (again.width(), again.height()) == (781, 555)
    workspace = login(qtbot, again, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("referrals")
    assert file.referrals_tab.findChildren(QSplitter)[0].sizes() == moved


# ---- login off the UI thread -----------------------------------------------------------------
def test_login_checks_the_password_off_the_ui_thread(qtbot, window, services, passwords):
    threads: list[threading.Thread] = []
    real_login = services.auth.login

    def recording_login(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_login(*args, **kwargs)

    services.auth.login = recording_login  # the real login, its thread noted
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        window.login.username.setText("dr.durand")
        window.login.password.setText(passwords("dr.durand"))
        window.login.submit.click()
        assert window.login.busy and window.login.password.isReadOnly()
        assert window.login.submit.text() == "Connexion en cours…"
        qtbot.waitUntil(lambda: window.current is not None)
    finally:
        timer.stop()
        del services.auth.login
    assert threads and threads[0] is not threading.main_thread()
    assert ticks  # the event loop ran (the window repainted) while the password was checked
    assert not window.login.busy and not window.login.password.isReadOnly()
    assert QApplication.instance() is not None


def _mnemonic(text: str) -> str:
    cleaned = text.replace("&&", "")
    index = cleaned.find("&")
    return cleaned[index + 1].upper() if 0 <= index < len(cleaned) - 1 else ""


def test_menu_mnemonics_leave_the_screens_buttons_theirs(
    qtbot, window, services, team, make_patient, liaison_consent, passwords
):
    from PySide6.QtWidgets import QAbstractButton

    patient, _referral = sent_referral(services, team, make_patient, liaison_consent)
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    file.select_tab("referrals")
    qtbot.waitUntil(lambda: file.referrals_tab.detail.view is not None)
    menus = {_mnemonic(a.text()) for a in window.menuBar().actions() if a.isVisible()}
    buttons = {
        _mnemonic(b.text()): b.text()
        for b in window.findChildren(QAbstractButton)
        if b.isVisible() and _mnemonic(b.text())
    }
    assert len(menus) == len([a for a in window.menuBar().actions() if a.isVisible()])
    assert not menus & set(buttons), {m: buttons[m] for m in menus & set(buttons)}
