"""The one wrapper around the OS keyring (``keyring``).

Workstation secrets live here: the PostgreSQL password, the audit key, the backup key, and the
last audit chain head this workstation sealed (``app.services.audit.anchor``). A fail,
null or locked backend counts as "no keyring": callers get ``None`` from :meth:`get` and
:class:`KeyringUnavailable` from :meth:`set`, say so to the user in French, and ask for the
secret when they need it. Nothing here ever writes a secret to a file.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import TYPE_CHECKING

from app.i18n import _
from app.lazy import on_first_use
from app.services.kernel.errors import RelaisError

if TYPE_CHECKING:
    import keyring
    import keyring.errors as keyring_errors
    from keyring.backend import KeyringBackend
else:  # loaded at the first secret asked for (~60 ms: its backends' discovery), not at start
    keyring = on_first_use("keyring")
    keyring_errors = on_first_use("keyring.errors")

SERVICE = "Relais"
AUDIT_KEY = "audit-key"
AUDIT_HEAD = "audit-head"
BACKUP_KEY = "backup-key"
DATABASE_PASSWORD = "database-password"

UNUSABLE_BACKENDS = {"fail", "null"}


def _usable(backend: KeyringBackend) -> bool:
    """False for the fail and null backends, a backend of priority <= 0, an empty chain, and
    any backend that keeps secrets in a plain file (``keyrings.alt``'s ``PlaintextKeyring``)."""
    module = type(backend).__module__.rsplit(".", 1)[-1].lower()
    if module in UNUSABLE_BACKENDS or "plaintext" in type(backend).__name__.lower():
        return False
    try:
        if getattr(backend, "priority", 1) <= 0:
            return False
        chained = getattr(backend, "backends", None)
        if chained is not None and not isinstance(chained, str):
            return any(_usable(b) for b in chained)
    except Exception:  # a backend failing to even describe itself is unusable
        return False
    return True


class KeyringUnavailable(RelaisError):
    def __init__(self, reason: str = "") -> None:
        detail = f" ({reason})" if reason else ""
        super().__init__(
            "Le trousseau de mots de passe du système n'est pas disponible sur ce poste"
            f"{detail}. Relais ne peut pas y conserver ce secret : il vous le demandera quand "
            "il en aura besoin, et ne l'écrira jamais en clair sur le disque."
        )


class SecretStore:
    """Secrets of one Relais installation, scoped by a database identifier."""

    def __init__(self, scope: str, backend: KeyringBackend | None = None) -> None:
        self._scope = scope
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

    def _name(self, key: str) -> str:
        return f"{self._scope}:{key}"

    def available(self) -> bool:
        backend = self.backend
        if not _usable(backend):
            return False
        try:
            backend.get_password(SERVICE, self._name("probe"))
        except (keyring_errors.KeyringError, RuntimeError, OSError):
            return False
        return True

    def get(self, key: str) -> str | None:
        if not self.available():
            return None
        try:
            return self.backend.get_password(SERVICE, self._name(key))
        except (keyring_errors.KeyringError, RuntimeError, OSError):  # locked, none…
            return None

    def set(self, key: str, value: str) -> None:
        if not self.available():
            raise KeyringUnavailable()
        try:
            self.backend.set_password(SERVICE, self._name(key), value)
            stored = self.backend.get_password(SERVICE, self._name(key))
        except keyring_errors.KeyringLocked as exc:
            raise KeyringUnavailable(_("trousseau verrouillé")) from exc
        except (keyring_errors.KeyringError, RuntimeError, OSError) as exc:  # none…
            raise KeyringUnavailable(str(exc)[:100]) from exc
        if stored != value:  # a backend that silently dropped the secret
            raise KeyringUnavailable(_("le secret n'a pas été conservé"))

    def put(self, key: str, value: str) -> bool:
        """Best-effort write of a value that is rewritten often (the audit chain head): one
        keyring call, no probe and no read-back. False when the keyring refused it.

        The caller checks :meth:`available` once beforehand; unusable backends are still
        refused here (never a plain file)."""
        backend = self.backend
        if not _usable(backend):
            return False
        try:
            backend.set_password(SERVICE, self._name(key), value)
        except (keyring_errors.KeyringError, RuntimeError, OSError):  # locked, none…
            return False
        return True

    def key_bytes(self, key: str, size: int = 32) -> bytes | None:
        """A random key kept in the keyring under ``key``: read, or drawn and kept the first
        time. None when the keyring holds no usable value and cannot keep a new one."""
        text = self.get(key)
        if text:
            try:
                return bytes.fromhex(text)
            except ValueError:
                return None
        if not self.available():
            return None
        fresh = secrets.token_bytes(size)
        try:
            self.set(key, fresh.hex())
        except KeyringUnavailable:
            return None
        return fresh

    def delete(self, key: str) -> None:
        if not self.available():
            return
        with contextlib.suppress(keyring_errors.KeyringError, RuntimeError, OSError):  # nothing
            self.backend.delete_password(SERVICE, self._name(key))
