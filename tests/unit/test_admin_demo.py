"""relais-admin --demo: the demo database ``relais --demo`` opens, with its demo keys."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import admin
from app.models.db import default_url, sqlite_path
from app.services.demo_keys import DEMO_AUDIT_KEY


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(admin.PASSWORD_ENV, raising=False)
    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("RELAIS_AUDIT_KEY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees-utilisateur"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "etat-utilisateur"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = admin.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(capsys) -> Path:
    code, _, err = run(capsys, ["--demo", "demo", "--patients", "4", "--notes-per-patient", "2"])
    assert code == 0, err
    path = sqlite_path(default_url(demo=True))
    assert path is not None and path.exists()
    return path


def test_demo_commands_need_the_demo_database(capsys, tmp_path: Path):
    code, _, err = run(capsys, ["--demo", "user", "list"])
    assert code == 1 and "relais --demo" in err
    code, _, err = run(capsys, ["user", "list"])  # read-only: no empty database created
    assert code == 1 and "relais-admin init" in err
    assert not list((tmp_path / "donnees-utilisateur").rglob("*.sqlite"))


def test_demo_user_list_reads_the_demo_without_warning(demo_db: Path, capsys, memory_keyring):
    memory_keyring.store.clear()  # no keyring entry at all: the demo does not need one
    code, out, err = run(capsys, ["--demo", "user", "list"])
    assert code == 0, err
    assert "coord.martin" in out and "sec.roux" in out
    assert "clé d'audit" not in err
    code, out, err = run(capsys, ["user", "list", "--demo"])  # after the command, too
    assert code == 0 and "dr.durand" in out


def test_demo_audit_verify_uses_the_demo_key(demo_db: Path, capsys, memory_keyring):
    memory_keyring.store.clear()
    code, out, err = run(capsys, ["--demo", "audit", "verify"])
    assert code == 0, err
    assert "clé de démonstration" in out
    assert "clé d'audit introuvable" not in err
    code, out, err = run(capsys, ["--demo", "audit", "key", "--show"])
    assert code == 0 and out.strip() == DEMO_AUDIT_KEY.hex()
    assert "clé de démonstration" in err


def test_demo_backup_create_and_verify(demo_db: Path, capsys, tmp_path: Path, memory_keyring):
    memory_keyring.store.clear()
    folder = tmp_path / "sauvegardes"
    code, out, err = run(capsys, ["--demo", "backup", "create", "--folder", str(folder)])
    assert code == 0, err
    assert "trousseau" not in err
    backup = next(folder.iterdir())
    memory_keyring.store.clear()  # another workstation verifies it
    code, out, err = run(capsys, ["--demo", "backup", "verify", str(backup)])
    assert code == 0, err
    assert "intacte" in out and "clé de démonstration" in out


def test_relais_admin_demo_in_a_subprocess(demo_db: Path, tmp_path: Path):
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "donnees-utilisateur"),
        "XDG_STATE_HOME": str(tmp_path / "etat-utilisateur"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    env.pop("RELAIS_DATABASE_URL", None)
    env.pop("RELAIS_AUDIT_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "app.admin", "--demo", "audit", "verify"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "clé de démonstration" in done.stdout
    assert "Attention" not in done.stderr
