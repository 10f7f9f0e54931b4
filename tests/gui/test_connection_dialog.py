"""« Connexion au serveur »: the server in Qt's settings, the password in the keyring only."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt

from app.services.clinic.server_connection import ServerSettings, saved_password
from app.services.kernel.errors import RelaisError
from app.views.shell.connection_dialog import ConnectionDialog, forget_server, load_server

SECRET = "secret-du-serveur-41x"


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "poste.ini"), QSettings.Format.IniFormat)


def fill(qtbot, dialog: ConnectionDialog) -> None:
    qtbot.keyClicks(dialog.host, "serveur.msp.local")
    dialog.database.clear()
    qtbot.keyClicks(dialog.database, "relais")
    qtbot.keyClicks(dialog.user, "poste1")
    qtbot.keyClicks(dialog.secret, SECRET)


def test_password_lands_in_the_keyring_and_in_no_file(qtbot, qsettings, tmp_path, memory_keyring):
    calls = []
    dialog = ConnectionDialog(connect=lambda s, p: calls.append((s, p)), qsettings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog.remember.isVisibleTo(dialog) and not dialog.keyring_note.isVisibleTo(dialog)
    fill(qtbot, dialog)
    dialog.sslmode.setCurrentIndex(dialog.sslmode.findData("require"))
    with qtbot.waitSignal(dialog.accepted):
        dialog.submit.click()
    server = ServerSettings("serveur.msp.local", "relais", "poste1", 5432, "require")
    assert calls == [(server, SECRET)]
    assert dialog.server == server and dialog.password == SECRET
    assert dialog.secret.text() == ""
    assert saved_password(server) == SECRET
    qsettings.sync()
    assert load_server(qsettings) == server
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all(SECRET.encode() not in p.read_bytes() for p in files)
    forget_server(qsettings)
    assert load_server(qsettings) is None


def test_without_keyring_backend_it_says_so_and_still_connects(qtbot, qsettings):
    keyring.set_keyring(fail.Keyring())
    dialog = ConnectionDialog(connect=lambda s, p: None, qsettings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog.keyring_note.isVisibleTo(dialog) and not dialog.remember.isVisibleTo(dialog)
    assert "à chaque démarrage" in dialog.keyring_note.text()
    fill(qtbot, dialog)
    with qtbot.waitSignal(dialog.accepted):
        dialog.submit.click()
    assert dialog.password == SECRET  # for this start only
    assert load_server(qsettings) is not None


def test_a_refused_connection_is_shown_and_nothing_is_saved(qtbot, qsettings, memory_keyring):
    def refuse(_server, _password):
        raise RelaisError("Connexion au serveur impossible : le serveur est injoignable.")

    dialog = ConnectionDialog(connect=refuse, qsettings=qsettings)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog)
    dialog.submit.click()
    assert dialog.result() != ConnectionDialog.DialogCode.Accepted
    assert "injoignable" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert load_server(qsettings) is None and memory_keyring.store == {}


def test_missing_fields_are_refused_in_french(qtbot, qsettings):
    dialog = ConnectionDialog(connect=lambda s, p: None, qsettings=qsettings)
    qtbot.addWidget(dialog)
    dialog.submit.click()
    assert "adresse du serveur" in dialog.error.text()


def test_a_remembered_server_is_filled_in(qtbot, qsettings):
    server = ServerSettings("10.0.0.5", "msp", "accueil", 6543, "verify-ca")
    dialog = ConnectionDialog(server, connect=lambda s, p: None, qsettings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog._typed() == server


# ---- at start-up ----------------------------------------------------------------------------
def start_args(**values):
    import argparse

    base = {"database": None, "demo": False, "connect": False}
    return argparse.Namespace(**{**base, **values})


def test_start_up_uses_the_remembered_server_and_the_keyring(monkeypatch, memory_keyring):
    from app import main
    from app.services.clinic.server_connection import save_password

    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    server = ServerSettings("serveur.msp.local", "relais", "poste1")
    monkeypatch.setattr(main, "load_server", lambda: server)
    assert main.choose_url(start_args(database="sqlite:///x.db")) == "sqlite:///x.db"
    save_password(server, SECRET)
    monkeypatch.setattr(main.ConnectionDialog, "exec", lambda self: pytest.fail("no dialog"))
    assert main.choose_url(start_args()) == server.url(SECRET)


def test_start_up_asks_for_a_password_the_keyring_does_not_have(qtbot, monkeypatch):
    from app import main

    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    keyring.set_keyring(fail.Keyring())
    server = ServerSettings("serveur.msp.local", "relais", "poste1")
    monkeypatch.setattr(main, "load_server", lambda: server)
    shown = []

    def answer(dialog):
        shown.append(dialog.keyring_note.isVisibleTo(dialog))
        dialog.server, dialog.password = dialog._typed(), SECRET
        return main.ConnectionDialog.DialogCode.Accepted

    monkeypatch.setattr(main.ConnectionDialog, "exec", answer)
    assert main.choose_url(start_args()) == server.url(SECRET)
    assert shown == [True]  # « pas de trousseau » said in the dialog
    monkeypatch.setattr(
        main.ConnectionDialog, "exec", lambda self: main.ConnectionDialog.DialogCode.Rejected
    )
    assert main.choose_url(start_args()) is None  # closed: Relais does not start


def test_the_login_screen_offers_the_connection(qtbot, services, team):
    from app.views.shell.main_window import MainWindow

    asked = []
    window = MainWindow(services, idle_ms=3_600_000, connect_server=lambda: asked.append(1))
    qtbot.addWidget(window)
    window.show()
    assert window.server_button is not None and window.server_button.isVisible()
    assert window.server_button.text().replace("&", "") == "Connexion au serveur…"
    qtbot.mouseClick(window.server_button, Qt.MouseButton.LeftButton)
    assert asked == [1]
    window.watcher.stop()
    window.watcher.uninstall()
