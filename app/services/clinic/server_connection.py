"""Where a workstation finds the clinic's PostgreSQL server, and its password.

A workstation remembers the server (host, port, database, user, TLS mode) — the desktop
application in Qt's settings, ``relais-admin`` in a small JSON file of the user's config
folder — but never the password: that lives in the OS keyring (``SecretStore``, key
``DATABASE_PASSWORD``), scoped by the server so that two servers do not share a secret. When the
workstation has no keyring backend, the caller says so (``KeyringUnavailable``'s French
message) and asks for the password at each start.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import quote

import platformdirs

from app.services.kernel.errors import RelaisError
from app.services.security.secrets_store import DATABASE_PASSWORD, SecretStore

DEFAULT_PORT = 5432
# libpq's TLS modes, from weakest to strongest (``verify-full`` is the one to use).
SSL_MODES = ("disable", "prefer", "require", "verify-ca", "verify-full")
SSL_MODE_LABELS = {
    "disable": "Aucun chiffrement (déconseillé)",
    "prefer": "Chiffrement si le serveur le propose",
    "require": "Chiffrement obligatoire, serveur non vérifié",
    "verify-ca": "Chiffrement, certificat du serveur vérifié",
    "verify-full": "Chiffrement, certificat et nom du serveur vérifiés (recommandé)",
}
CONNECT_TIMEOUT_S = 5
SETTINGS_FILE = "serveur.json"
APP_NAME = "Relais"  # app.models.db.APP_NAME (views import this module: no SQLAlchemy here)


@dataclass(frozen=True)
class ServerSettings:
    """A PostgreSQL server as the workstation remembers it (no password)."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = "verify-full"

    def check(self) -> None:
        """French refusals for what cannot be a server address."""
        if not self.host.strip():
            raise RelaisError("Indiquez l'adresse du serveur.")
        if not self.database.strip():
            raise RelaisError("Indiquez le nom de la base de données.")
        if not self.user.strip():
            raise RelaisError("Indiquez l'utilisateur PostgreSQL.")
        if not 1 <= int(self.port) <= 65535:
            raise RelaisError("Le port doit être un nombre entre 1 et 65535.")
        if self.sslmode not in SSL_MODES:
            raise RelaisError("Mode de chiffrement inconnu : " + ", ".join(SSL_MODES) + ".")

    @property
    def scope(self) -> str:
        """The keyring scope of this server's password."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None) -> str:
        """The SQLAlchemy URL (with the password when given: keep it in memory only)."""
        secret = f":{quote(password, safe='')}" if password else ""
        host = f"[{self.host}]" if ":" in self.host else self.host  # IPv6
        return (
            f"postgresql+psycopg://{quote(self.user, safe='')}{secret}@{host}:"
            f"{int(self.port)}/{quote(self.database, safe='')}"
            f"?sslmode={self.sslmode}&connect_timeout={CONNECT_TIMEOUT_S}"
        )

    def describe(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ServerSettings | None:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        try:
            settings = cls(**values)  # type: ignore[arg-type]
            settings = cls(**{**settings.to_dict(), "port": int(settings.port)})  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return settings if settings.host and settings.database and settings.user else None


def password_store(settings: ServerSettings, store: SecretStore | None = None) -> SecretStore:
    return store or SecretStore(settings.scope)


def saved_password(settings: ServerSettings) -> str | None:
    """The password kept in the keyring, or None (none saved, or no keyring backend)."""
    return password_store(settings).get(DATABASE_PASSWORD)


def keyring_available(settings: ServerSettings) -> bool:
    return password_store(settings).available()


def save_password(settings: ServerSettings, password: str) -> None:
    """Keep the password in the OS keyring; ``KeyringUnavailable`` (French) without one."""
    password_store(settings).set(DATABASE_PASSWORD, password)


def forget_password(settings: ServerSettings) -> None:
    password_store(settings).delete(DATABASE_PASSWORD)


def try_connect(settings: ServerSettings, password: str | None) -> None:
    """Open and close one connection; a French ``RelaisError`` saying what went wrong."""
    import psycopg  # loaded when a workstation connects, not at start-up

    settings.check()
    try:
        with psycopg.connect(
            host=settings.host,
            port=int(settings.port),
            dbname=settings.database,
            user=settings.user,
            password=password or None,
            sslmode=settings.sslmode,
            connect_timeout=CONNECT_TIMEOUT_S,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        raise RelaisError(describe_connect_error(exc)) from exc


def describe_connect_error(exc: BaseException) -> str:
    text = str(exc).lower()
    if "password" in text or "authentication" in text:
        reason = "le serveur a refusé l'utilisateur ou le mot de passe"
    elif "does not exist" in text:
        reason = "cette base de données ou cet utilisateur n'existe pas sur le serveur"
    elif "ssl" in text or "certificate" in text:
        reason = "la connexion chiffrée (TLS) a échoué : vérifiez le certificat du serveur"
    elif "timeout" in text or "refused" in text or "resolve" in text or "translate" in text:
        reason = "le serveur est injoignable (adresse, port, pare-feu ou serveur arrêté)"
    else:
        reason = "erreur inattendue du serveur"
    return f"Connexion au serveur impossible : {reason}."


# ---- relais-admin's remembered server (a plain file, never the password) --------------------
def settings_file(folder: Path | None = None) -> Path:
    base = folder or Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return base / SETTINGS_FILE


def load_settings_file(path: Path | None = None) -> ServerSettings | None:
    path = path or settings_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ServerSettings.from_dict(data) if isinstance(data, dict) else None


def save_settings_file(settings: ServerSettings, path: Path | None = None) -> Path:
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings.to_dict(), indent=2), encoding="utf-8")
    return path
