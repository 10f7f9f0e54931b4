"""A workstation remembers its PostgreSQL server, never its password in a file (issue 12)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import admin
from app.admin import server as admin_server
from app.services.clinic.server_connection import (
    ServerSettings,
    load_settings_file,
    save_password,
    saved_password,
    settings_file,
)
from app.services.kernel.errors import RelaisError
from app.services.security.secrets_store import DATABASE_PASSWORD, SERVICE, KeyringUnavailable

SECRET = "mot-de-passe-du-serveur-7Q"
SERVER = ServerSettings(host="serveur.msp.local", database="relais", user="poste1")


@pytest.fixture(autouse=True)
def folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return tmp_path


def files_containing(folder: Path, text: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def test_settings_check_refuses_in_french():
    with pytest.raises(RelaisError, match="adresse du serveur"):
        ServerSettings(host=" ", database="relais", user="u").check()
    with pytest.raises(RelaisError, match="chiffrement"):
        ServerSettings(host="h", database="relais", user="u", sslmode="maybe").check()
    SERVER.check()


def test_url_quotes_the_password_and_names_the_tls_mode():
    url = ServerSettings(host="::1", database="relais", user="poste@1").url("a/b:c@d")
    assert url.startswith("postgresql+psycopg://poste%401:a%2Fb%3Ac%40d@[::1]:5432/relais?")
    assert "sslmode=verify-full" in url
    assert "@" not in SERVER.url(None).split("//")[1].split("@")[0]


def test_password_goes_to_the_keyring_scoped_by_server(memory_keyring):
    save_password(SERVER, SECRET)
    assert memory_keyring.store[(SERVICE, f"{SERVER.scope}:{DATABASE_PASSWORD}")] == SECRET
    other = ServerSettings(host="autre", database="relais", user="poste1")
    assert saved_password(SERVER) == SECRET and saved_password(other) is None


def test_no_keyring_backend_is_said_in_french():
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="trousseau"):
        save_password(SERVER, SECRET)
    assert saved_password(SERVER) is None


def test_admin_connect_keeps_the_server_in_a_file_and_the_password_in_the_keyring(
    folders, memory_keyring, monkeypatch, capsys
):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code = admin.main(
        [
            "connect",
            "--host",
            SERVER.host,
            "--base",
            "relais",
            "--user",
            "poste1",
            "--no-test",
            "--password-stdin",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "trousseau" in out.out
    assert load_settings_file() == SERVER
    assert settings_file().is_relative_to(folders)
    assert SECRET in memory_keyring.store.values()
    assert files_containing(folders, SECRET) == []
    # Every other command now uses the remembered server, with the keyring's password.
    assert admin_server.remembered_url() == SERVER.url(SECRET)


def test_admin_connect_without_keyring_says_so_and_writes_no_secret(folders, monkeypatch, capsys):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code = admin.main(
        [
            "connect",
            "--host",
            "h",
            "--base",
            "relais",
            "--user",
            "u",
            "--no-test",
            "--password-stdin",
            "--sslmode",
            "require",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert "trousseau" in err and "PGPASSWORD" in err
    assert files_containing(folders, SECRET) == []
    assert load_settings_file().sslmode == "require"


def test_admin_connect_reports_an_unreachable_server_in_french(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = admin.main(
        [
            "connect",
            "--host",
            "127.0.0.1",
            "--port",
            "1",
            "--base",
            "relais",
            "--user",
            "u",
            "--sslmode",
            "disable",
        ]
    )
    assert code == 1
    assert "Connexion au serveur impossible" in capsys.readouterr().err
    assert load_settings_file() is None
