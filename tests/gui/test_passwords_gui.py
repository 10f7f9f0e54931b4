"""Choosing a password on screen (issue 10 §4): the strength bar follows the typing, and every
screen where a password is chosen refuses common ones with a French message, saving nothing."""

from __future__ import annotations

import pytest
from gui_helpers import click_and_wait, login, visible_texts
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.kernel.errors import AuthenticationError, NotFound
from app.services.security.passwords import COMMON, CONTEXT, SEQUENCE
from app.views.shell.password_dialog import ChangePasswordDialog, ResetPasswordDialog
from app.views.shell.setup_wizard import SetupDialog

pytestmark = pytest.mark.gui

# The same fifteen kinds as tests/unit/test_passwords.py.
COMMON_KINDS = [
    "password1234",
    "motdepasse123",
    "azertyuiop123",
    "qwerty123456",
    "Soleil-2024!",
    "P@ssw0rd2024",
    "MOTDEPASSE!!",
    "1234motdepasse",
    "mot de passe 2024",
    "jetaime-jetaime",
    "doudou123456",
    "Marseille2026",
    "chocolat01011990",
    "123456789012",
    "aaaaaaaaaaaa",
]
# Typed key by key: ASCII only (QTest aborts on some accented keys).
PHRASE = "le phare breton veille sur les goelands"


def typed_levels(qtbot, strength, edit, text: str) -> list[int]:
    """Type ``text`` key by key; the bar's value after each key."""
    edit.clear()
    levels = []
    for char in text:
        qtbot.keyClicks(edit, char)
        levels.append(strength.bar.value())
    return levels


def test_setup_wizard_shows_strength_and_refuses_common_and_context_passwords(qtbot, services):
    dialog = SetupDialog(services.clinic, services.documents)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.clinic_name.setText("MSP du Vieux-Marché")
    dialog.first_name.setText("Anne")
    dialog.last_name.setText("Martin")
    dialog.username.setText("coordination")
    strength = dialog.strength
    assert strength.bar.value() == 0 and strength.label.text() == ""
    levels = typed_levels(qtbot, strength, dialog.password, PHRASE)
    assert levels[0] >= 1 and levels[-1] == 5  # from « very weak » up to the full bar
    assert max(levels[:11]) <= 2  # too short: « very weak » or « weak » at most
    assert strength.label.text() == "Très bon" and strength.assessment.acceptable
    for password, message in (("motdepasse123", COMMON), ("vieux-marche-2026", CONTEXT)):
        dialog.password.setText(password)
        dialog.confirm.setText(password)
        assert strength.label.text() == "Refusé" and strength.hint.text() == message
        dialog.save_button.click()
        assert dialog.errors.messages()["password"] == message
        assert not services.clinic.is_set_up() and not services.accounts.has_accounts()
    dialog.password.setText(PHRASE)
    dialog.confirm.setText(PHRASE)
    dialog.save_button.click()
    assert dialog.recovery_page is not None and services.clinic.is_set_up()


def test_setup_wizard_context_follows_the_fields(qtbot, services):
    dialog = SetupDialog(services.clinic, services.documents)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("kerlouan-29-bzh")
    assert dialog.strength.assessment.acceptable
    dialog.clinic_name.setText("Maison de santé de Kerlouan")  # the bar re-rates at once
    assert dialog.strength.label.text() == "Refusé"
    assert dialog.strength.assessment.problem == CONTEXT


def _open_accounts(qtbot, window, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    workspace.accounts_button.click()
    accounts = window.accounts_dialog
    assert accounts is not None and accounts.isVisible()
    return accounts


def test_account_form_refuses_every_kind_of_common_password(
    qtbot, window, services, team, passwords
):
    accounts = _open_accounts(qtbot, window, passwords)
    accounts.new_button.click()
    form = accounts.form
    form.first_name.setText("Léa")
    form.last_name.setText("Garnier")
    form.username.setText("sec.garnier")
    form.select_role(Role.SECRETARY)
    # The generated temporary password is strong.
    assert form.strength.assessment.acceptable and form.strength.bar.value() >= 4
    for password in COMMON_KINDS:
        form.password.setText(password)
        assert form.strength.label.text() == "Refusé"
        click_and_wait(form.save_button)
        assert form.isVisible()
        message = form.errors.messages()["password"]
        assert message in (COMMON, SEQUENCE), password
        assert message in visible_texts(form)
        with pytest.raises(NotFound):  # nothing was created
            services.accounts.find_user(team.coordinator, "sec.garnier")
    form.password.setText("garnier-2026-lea")  # her own names
    click_and_wait(form.save_button)
    assert form.errors.messages()["password"] == CONTEXT
    levels = typed_levels(qtbot, form.strength, form.password, PHRASE)
    assert levels[-1] == 5 and min(levels) < 5
    click_and_wait(form.save_button)
    assert not form.isVisible()
    assert services.accounts.find_user(team.coordinator, "sec.garnier").must_change_password


def test_reset_dialog_refuses_a_common_password_and_keeps_the_old_one(
    qtbot, window, services, team, passwords
):
    accounts = _open_accounts(qtbot, window, passwords)
    accounts.select_username("sec.roux")
    accounts.reset_button.click()
    dialog = accounts.reset_dialog
    assert isinstance(dialog, ResetPasswordDialog) and dialog.isVisible()
    assert dialog.strength.assessment.acceptable  # the generated one
    levels = typed_levels(qtbot, dialog.strength, dialog.password, "azertyuiop123")
    assert levels[-1] == 1 and dialog.strength.label.text() == "Refusé"
    click_and_wait(dialog.ok)
    assert dialog.isVisible()
    assert dialog.errors.messages()["password"] == COMMON
    with pytest.raises(AuthenticationError):
        services.auth.login("sec.roux", "azertyuiop123")
    services.auth.login("sec.roux", passwords("sec.roux"))  # unchanged
    dialog.password.setText("nadia-roux-2026")  # her names
    click_and_wait(dialog.ok)
    assert dialog.errors.messages()["password"] == CONTEXT
    dialog.password.setText(PHRASE)
    click_and_wait(dialog.ok)
    qtbot.waitUntil(lambda: accounts.reset_dialog is None)
    assert "réinitialisé" in accounts.message.text()
    assert services.auth.login("sec.roux", PHRASE).username == "sec.roux"
    assert services.accounts.find_user(team.coordinator, "sec.roux").must_change_password


def test_forced_change_at_login_refuses_common_passwords(qtbot, window, services, team):
    services.accounts.create_user(
        team.coordinator,
        UserInput("nouvelle.sec", "Léa", "Nouvelle", Role.SECRETARY, Profession.SECRETARY),
        "provisoire-2026-abc",
    )
    window.login.username.setText("nouvelle.sec")
    window.login.password.setText("provisoire-2026-abc")
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.password_dialog is not None)
    dialog = window.password_dialog
    assert isinstance(dialog, ChangePasswordDialog)
    dialog.old.setText("provisoire-2026-abc")
    levels = typed_levels(qtbot, dialog.strength, dialog.new, "qwerty123456")
    assert dialog.strength.label.text() == "Refusé" and levels[-1] == 1
    dialog.confirm.setText("qwerty123456")
    click_and_wait(dialog.ok)
    assert dialog.errors.messages()["password"] == COMMON
    assert window.current is None
    assert services.accounts.find_user(team.coordinator, "nouvelle.sec").must_change_password
    dialog.new.setText("lea-nouvelle-2026")
    dialog.confirm.setText("lea-nouvelle-2026")
    click_and_wait(dialog.ok)
    assert dialog.errors.messages()["password"] == CONTEXT
    dialog.new.setText(PHRASE)
    dialog.confirm.setText(PHRASE)
    click_and_wait(dialog.ok)
    qtbot.waitUntil(lambda: window.current is not None)
    assert not services.accounts.find_user(team.coordinator, "nouvelle.sec").must_change_password


def test_my_account_menu_changes_the_password_with_the_strength_bar(
    qtbot, window, services, team, passwords
):
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert workspace.change_password_action.text() == "Changer le mot de passe…"
    workspace.change_password_action.trigger()
    dialog = workspace.password_dialog
    assert isinstance(dialog, ChangePasswordDialog) and dialog.isVisible()
    dialog.old.setText(passwords("dr.durand"))
    for password, message in (("Password2024!", COMMON), ("paul-durand-1960", CONTEXT)):
        dialog.new.setText(password)
        dialog.confirm.setText(password)
        click_and_wait(dialog.ok)
        assert dialog.isVisible() and dialog.errors.messages()["password"] == message
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", "Password2024!")
    levels = typed_levels(qtbot, dialog.strength, dialog.new, PHRASE)
    assert levels[-1] == 5 and dialog.strength.hint.text()
    dialog.confirm.setText(PHRASE)
    click_and_wait(dialog.ok)
    qtbot.waitUntil(lambda: workspace.password_dialog is None)
    assert services.auth.login("dr.durand", PHRASE).user_id == team.gp.user_id
    QApplication.processEvents()


def test_the_new_password_is_hashed_off_the_ui_thread(qtbot, window, services, passwords):
    import threading

    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    workspace.change_password_action.trigger()
    dialog = workspace.password_dialog
    threads: list[threading.Thread] = []
    release = threading.Event()
    real = services.accounts.change_own_password

    def held(*args, **kwargs):
        threads.append(threading.current_thread())
        release.wait(10)
        return real(*args, **kwargs)

    services.accounts.change_own_password = held
    try:
        dialog.old.setText(passwords("dr.durand"))
        dialog.new.setText(PHRASE)
        dialog.confirm.setText(PHRASE)
        dialog.ok.click()
        qtbot.waitUntil(lambda: bool(threads))
        assert threads[0] is not threading.main_thread()
        assert not dialog.ok.isEnabled()  # no second click while it is hashed
        QApplication.processEvents()  # the window keeps answering meanwhile
        release.set()
        qtbot.waitUntil(lambda: workspace.password_dialog is None)
    finally:
        release.set()
        del services.accounts.change_own_password
    assert services.auth.login("dr.durand", PHRASE).username == "dr.durand"
