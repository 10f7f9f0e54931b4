"""Second factor in the GUI: code asked at login, mandatory enrolment with a QR code and the
recovery codes, voluntary enrolment from the workspace."""

from __future__ import annotations

from dataclasses import replace

import pyotp
import pytest
from gui_helpers import visible_texts
from PySide6.QtCore import Qt

from app.views.common import pdf_view
from app.views.shell.second_factor import EnrolmentDialog, qr_image

pytestmark = pytest.mark.gui


def enrol(services, clock, username: str, password: str) -> str:
    secret, _uri = services.auth.new_second_factor(username)
    code = pyotp.TOTP(secret).at(clock.now)
    services.auth.enrol_second_factor(username, password, secret, code)
    clock.advance(seconds=31)  # the next login needs a fresh code (replay protection)
    return secret


def submit(qtbot, window, username: str, password: str) -> None:
    window.login.username.setText(username)
    window.login.password.setText(password)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.login.busy)  # the password is checked in the background


def test_login_asks_for_the_code_then_accepts_it(qtbot, window, services, clock, passwords):
    secret = enrol(services, clock, "dr.durand", passwords("dr.durand"))
    assert not window.login.asking_code
    submit(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert window.current is None
    assert window.login.asking_code and window.login.code.isVisible()
    assert "6 chiffres" in window.login.code_hint.text()
    window.login.code.setText("000000" if pyotp.TOTP(secret).at(clock.now) != "000000" else "1")
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.login.busy)
    assert window.current is None
    assert "incorrect" in window.login.error.text()
    assert window.login.code.text() == ""
    window.login.code.setText(pyotp.TOTP(secret).at(clock.now))
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is not None)
    assert not window.login.asking_code


def test_a_recovery_code_replaces_the_totp_code(qtbot, window, services, clock, passwords):
    secret, _uri = services.auth.new_second_factor("dr.durand")
    _actor, codes = services.auth.enrol_second_factor(
        "dr.durand", passwords("dr.durand"), secret, pyotp.TOTP(secret).at(clock.now)
    )
    submit(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert window.login.asking_code
    window.login.code.setText(codes[0].lower())
    window.login.attempt()
    qtbot.waitUntil(lambda: window.current is not None)


def require_totp(services, team) -> None:
    info = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(info.as_input(), require_totp=True), info.version
    )


def test_mandatory_enrolment_shows_qr_and_recovery_codes(
    qtbot, window, services, team, clock, passwords, monkeypatch, tmp_path
):
    require_totp(services, team)
    submit(qtbot, window, "as.moreau", passwords("as.moreau"))
    qtbot.waitUntil(lambda: window.login.enrolment is not None)
    dialog: EnrolmentDialog = window.login.enrolment
    assert window.current is None
    assert not dialog.qr_label.pixmap().isNull()
    assert dialog.qr_label.pixmap().width() > 150
    secret = dialog.secret_label.text().replace(" ", "")
    assert len(secret) >= 16
    assert "exige une double authentification" in visible_texts(dialog)
    dialog.code.setText("12")
    dialog.confirm()
    qtbot.waitUntil(lambda: not dialog.busy)  # the password is checked in the background
    assert "ne correspond pas" in dialog.error.text()
    dialog.code.setText(pyotp.TOTP(secret).at(clock.now))
    dialog.confirm()
    qtbot.waitUntil(lambda: not dialog.busy)
    page = dialog.codes_page
    assert page is not None and page.isVisible()
    codes = page.codes
    assert len(codes) == 10 and codes[0] in page.codes_label.text()
    assert dialog.secret_label.text() == ""  # the secret leaves the screen
    # « Enregistrer en PDF » writes the sheet produced by the documents service.
    target = tmp_path / "codes.pdf"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a: target)
    page.pdf_buttons.save_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert not page.done_button.isEnabled()
    page.confirm.setChecked(True)
    page.done_button.click()
    qtbot.waitUntil(lambda: window.current is not None)
    assert window.current.actor.username == "as.moreau"
    assert services.auth.second_factor_status(window.current.actor) == (True, 10)


def test_voluntary_enrolment_from_the_workspace(qtbot, window, services, clock, passwords):
    from gui_helpers import login

    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    workspace.open_second_factor()
    status = workspace.second_factor_dialog
    assert status is not None and "pas activée" in status.status.text()
    status.enrol_button.click()
    dialog = status.enrolment
    assert dialog is not None and dialog.password_field.isVisible()
    secret = dialog.secret_label.text().replace(" ", "")
    dialog.password_field.setText(passwords("dr.durand"))
    dialog.code.setText(pyotp.TOTP(secret).at(clock.now))
    dialog.confirm()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.codes_page is not None
    dialog.codes_page.confirm.setChecked(True)
    dialog.codes_page.done_button.click()
    assert "activée" in status.status.text() and "10" in status.status.text()


def test_qr_image_is_rendered_in_memory():
    image = qr_image("otpauth://totp/Relais:dr.durand?secret=JBSWY3DPEHPK3PXP&issuer=Relais")
    assert not image.isNull() and image.width() == image.height()
