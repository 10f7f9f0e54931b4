"""Login screen: success, French errors, throttling, disabled account, demo accounts."""

from __future__ import annotations

import pytest
from gui_helpers import click_and_wait, login, visible_texts
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget

from app.demo import generator as demo
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput

pytestmark = pytest.mark.gui


def attempt(qtbot, window, username: str, password: str) -> None:
    window.login.username.setText(username)
    window.login.password.setText(password)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.login.busy)  # the password is checked in the background


def test_login_success_shows_workspace_with_search_focused(qtbot, window, passwords):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert window.stack.currentWidget() is workspace
    assert not window.login.isVisible()
    assert "Paul Durand — Médecin généraliste" in workspace.user_label.text()
    assert "Paul Durand" in window.windowTitle()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is workspace.search.search)
    assert workspace.accounts_button is None and workspace.settings_button is None


def test_coordinator_sees_accounts_and_settings(qtbot, window, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    assert workspace.accounts_button is not None and workspace.accounts_button.isVisible()
    assert workspace.settings_button is not None and workspace.settings_button.isVisible()
    assert not workspace.search.new_button.isHidden()  # the coordinator may write identity


def test_wrong_password_shows_french_error(qtbot, window):
    attempt(qtbot, window, "dr.durand", "pas-le-bon-mot-de-passe")
    assert window.current is None
    assert window.login.error.isVisible()
    assert window.login.error.text() == "Identifiant ou mot de passe incorrect."
    assert window.login.password.text() == ""


def test_repeated_failures_are_throttled_with_the_wait_time(qtbot, window, passwords):
    for _ in range(3):
        attempt(qtbot, window, "dr.durand", "mauvais-mot-de-passe")
    text = window.login.error.text()
    assert "Trop de tentatives" in text and "5 secondes" in text
    # Even the right password waits now.
    attempt(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert window.current is None
    assert "Réessayez dans" in window.login.error.text()


def test_throttle_is_lifted_after_the_wait(qtbot, window, passwords, clock):
    for _ in range(3):
        attempt(qtbot, window, "dr.durand", "mauvais-mot-de-passe")
    clock.advance(seconds=6)
    login(qtbot, window, "dr.durand", passwords("dr.durand"))


def test_disabled_account_is_refused(qtbot, window, services, team, passwords):
    user = services.accounts.find_user(team.coordinator, "sec.roux")
    services.accounts.set_active(team.coordinator, user.id, False)
    attempt(qtbot, window, "sec.roux", passwords("sec.roux"))
    assert window.current is None
    assert "désactivé" in window.login.error.text()


def test_empty_fields_ask_for_credentials(qtbot, window):
    attempt(qtbot, window, "", "")
    assert "Saisissez votre identifiant" in window.login.error.text()


def test_no_demo_accounts_outside_demo_mode(make_window, team):
    window = make_window(demo_accounts=demo.DEMO_ACCOUNTS, demo_password=demo.DEMO_PASSWORD)
    assert window.login.demo_list is None
    assert window.login.demo_usernames() == []
    assert window.login.findChild(QListWidget, "demoAccounts") is None
    assert window.login.findChild(QLabel, "demoNote") is None
    assert demo.DEMO_PASSWORD not in visible_texts(window)


def test_demo_accounts_listed_and_clickable_in_demo_mode(qtbot, services, make_window):
    first = demo.DEMO_ACCOUNTS[0]
    services.clinic.setup(
        ClinicInput("MSP de démonstration"),
        UserInput(first.username, "Anne", "Démo", Role.COORDINATOR, Profession.COORDINATOR),
        demo.DEMO_PASSWORD,
        demo=True,
    )
    window = make_window(demo_accounts=demo.DEMO_ACCOUNTS, demo_password=demo.DEMO_PASSWORD)
    assert window.login.demo_list is not None and window.login.demo_list.isVisible()
    assert window.login.demo_usernames() == [a.username for a in demo.DEMO_ACCOUNTS]
    roles = {a.role for a in demo.DEMO_ACCOUNTS}
    assert roles == set(Role)
    item = window.login.demo_list.item(0)
    rect = window.login.demo_list.visualItemRect(item)
    qtbot.mouseClick(
        window.login.demo_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert window.login.username.text() == first.username
    assert window.login.password.text() == demo.DEMO_PASSWORD
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is not None)


def test_temporary_password_must_be_changed_after_login(qtbot, window, services, team):
    from app.services.accounts.records import UserInput as Input

    services.accounts.create_user(
        team.coordinator,
        Input("nouvelle.sec", "Léa", "Nouvelle", Role.SECRETARY, Profession.SECRETARY),
        "provisoire-2026-abc",
    )
    attempt(qtbot, window, "nouvelle.sec", "provisoire-2026-abc")
    qtbot.waitUntil(lambda: window.password_dialog is not None)
    dialog = window.password_dialog
    assert window.current is None  # no workspace before the new password
    dialog.old.setText("provisoire-2026-abc")
    dialog.new.setText("court")
    dialog.confirm.setText("court")
    click_and_wait(dialog.ok)
    assert "12 caractères" in dialog.errors.messages()["password"]
    dialog.new.setText("ma-phrase-de-passe-secrete")
    dialog.confirm.setText("ma-phrase-de-passe-secrete")
    click_and_wait(dialog.ok)
    qtbot.waitUntil(lambda: window.current is not None)
    info = services.accounts.find_user(team.coordinator, "nouvelle.sec")
    assert not info.must_change_password
