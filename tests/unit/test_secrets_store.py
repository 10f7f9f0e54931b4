"""The one keyring wrapper: a usable backend stores secrets; fail, null, locked, erroring and
plain-file backends count as "no keyring" (French message), and nothing is ever written to a
file instead."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError, KeyringLocked

from app.container import find_audit_key
from app.services.security.secrets_store import (
    AUDIT_HEAD,
    AUDIT_KEY,
    BACKUP_KEY,
    SERVICE,
    KeyringUnavailable,
    SecretStore,
)


class LockedKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise KeyringLocked("locked")

    def set_password(self, service, username, password):
        raise KeyringLocked("locked")

    def delete_password(self, service, username):
        raise KeyringLocked("locked")


class BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise KeyringError("D-Bus is not running")

    def set_password(self, service, username, password):
        raise KeyringError("D-Bus is not running")

    def delete_password(self, service, username):
        raise KeyringError("D-Bus is not running")


class SilentKeyring(KeyringBackend):
    """Accepts secrets and forgets them (e.g. an empty chain)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        return None

    def delete_password(self, service, username):
        return None


class PlaintextKeyring(SilentKeyring):
    """Named like keyrings.alt's file backend: secrets in clear in a file."""


UNUSABLE = {
    "fail": fail.Keyring,
    "null": null.Keyring,
    "locked": LockedKeyring,
    "error": BrokenKeyring,
    "plaintext": PlaintextKeyring,
}


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_memory_backend_stores_scoped_secrets(memory_keyring):
    one, two = SecretStore("installation-1"), SecretStore("installation-2")
    assert one.available()
    one.set(AUDIT_KEY, "aa" * 32)
    assert one.get(AUDIT_KEY) == "aa" * 32
    assert two.get(AUDIT_KEY) is None  # another installation's secrets are apart
    assert (SERVICE, "installation-1:audit-key") in memory_keyring.store
    one.delete(AUDIT_KEY)
    assert one.get(AUDIT_KEY) is None


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_unusable_backends_mean_no_keyring(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    before = _files(tmp_path)
    keyring.set_keyring(UNUSABLE[name]())
    store = SecretStore("installation-1")
    assert not store.available()
    assert store.get(BACKUP_KEY) is None
    with pytest.raises(KeyringUnavailable) as raised:
        store.set(BACKUP_KEY, "secret-de-test-" + name)
    assert "trousseau" in raised.value.message and "jamais en clair" in raised.value.message
    store.delete(BACKUP_KEY)  # no error either
    assert _files(tmp_path) == before  # nothing written instead


@pytest.mark.parametrize("backend", [LockedKeyring, BrokenKeyring, fail.Keyring, null.Keyring])
def test_put_is_one_best_effort_write(backend, memory_keyring):
    # The audit chain head is rewritten after each commit: one call, never an exception.
    assert SecretStore("installation-1").put(AUDIT_HEAD, "12 " + "ab" * 32)
    assert memory_keyring.store[(SERVICE, "installation-1:audit-head")] == "12 " + "ab" * 32
    assert SecretStore("installation-1", backend=backend()).put(AUDIT_HEAD, "13") is False


def test_a_key_is_drawn_once_then_read_back(memory_keyring):
    store = SecretStore("installation-1")
    first = store.key_bytes(BACKUP_KEY)
    assert first is not None and len(first) == 32
    assert store.key_bytes(BACKUP_KEY) == first  # kept, not drawn again
    assert SecretStore("installation-2").key_bytes(BACKUP_KEY) != first


def test_a_key_without_keyring_or_spoilt_is_none(memory_keyring):
    assert SecretStore("x", backend=LockedKeyring()).key_bytes(BACKUP_KEY) is None
    assert SecretStore("x", backend=SilentKeyring()).key_bytes(BACKUP_KEY) is None
    store = SecretStore("installation-1")
    store.set(BACKUP_KEY, "not hexadecimal")
    assert store.key_bytes(BACKUP_KEY) is None  # never replaced: backups made with it stay readable
    assert store.get(BACKUP_KEY) == "not hexadecimal"


def test_a_backend_that_drops_secrets_is_found_out():
    store = SecretStore("installation-1", backend=SilentKeyring())
    with pytest.raises(KeyringUnavailable, match="pas été conservé"):
        store.set(BACKUP_KEY, "secret")
    assert store.get(BACKUP_KEY) is None


def test_an_explicit_backend_overrides_the_global_one():
    store = SecretStore("x", backend=LockedKeyring())
    assert not store.available() and store.get(AUDIT_KEY) is None


def test_audit_key_without_keyring_comes_from_the_environment(
    services, team, monkeypatch: pytest.MonkeyPatch
):
    key = services.audit.key
    assert key is not None and find_audit_key(services.db) == key  # from the memory keyring
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("RELAIS_AUDIT_KEY", raising=False)
    assert find_audit_key(services.db) is None
    monkeypatch.setenv("RELAIS_AUDIT_KEY", key.hex())
    assert find_audit_key(services.db) == key
    monkeypatch.setenv("RELAIS_AUDIT_KEY", "pas-hexadécimal")
    assert find_audit_key(services.db) is None


def test_setup_without_keyring_hands_the_audit_key_to_the_coordinator(
    database, clock, helpers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from app.container import Services
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput
    from app.services.clinic.records import ClinicInput

    keyring.set_keyring(null.Keyring())
    monkeypatch.chdir(tmp_path)
    services = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    result = services.clinic.setup(
        ClinicInput("MSP sans trousseau"),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        helpers.coordinator_password,
    )
    assert result.audit_key is not None and len(bytes.fromhex(result.audit_key)) == 32
    # The key is nowhere on disk: not in the database file, not in the working folder.
    db_file = Path(str(database.url.database))
    for path in [db_file, *_files(tmp_path)]:
        if path.exists() and path.is_file():
            data = path.read_bytes()
            assert result.audit_key.encode() not in data
            assert bytes.fromhex(result.audit_key) not in data
    assert os.environ.get("RELAIS_AUDIT_KEY") != result.audit_key
