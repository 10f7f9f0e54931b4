"""« Connexion au serveur »: point this workstation at the clinic's PostgreSQL server.

The server (host, port, database, user, TLS mode) is remembered in Qt's settings; the password
goes to the OS keyring, never to a file. Without a keyring backend the dialog says so and the
password is asked at each start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.clinic.server_connection import (
    DEFAULT_PORT,
    SSL_MODE_LABELS,
    SSL_MODES,
    ServerSettings,
    keyring_available,
    save_password,
    try_connect,
)
from app.services.kernel.errors import RelaisError
from app.services.security.secrets_store import KeyringUnavailable
from app.views.common.widgets import error_label, password_edit

SETTINGS_GROUP = "serveur"
Connector = Callable[[ServerSettings, "str | None"], None]


def load_server(settings: QSettings | None = None) -> ServerSettings | None:
    """The server this workstation remembers (no password), or None (SQLite)."""
    qs = settings or QSettings()
    qs.beginGroup(SETTINGS_GROUP)
    try:
        data = {key: qs.value(key) for key in qs.childKeys()}
    finally:
        qs.endGroup()
    return ServerSettings.from_dict(data) if data else None


def save_server(server: ServerSettings, settings: QSettings | None = None) -> None:
    qs = settings or QSettings()
    qs.beginGroup(SETTINGS_GROUP)
    for key, value in server.to_dict().items():
        qs.setValue(key, value)
    qs.endGroup()
    qs.sync()


def forget_server(settings: QSettings | None = None) -> None:
    qs = settings or QSettings()
    qs.remove(SETTINGS_GROUP)
    qs.sync()


class ConnectionDialog(QDialog):
    """After ``accepted``: ``server`` and ``password`` (kept in memory for this start)."""

    def __init__(
        self,
        server: ServerSettings | None = None,
        *,
        connect: Connector = try_connect,
        qsettings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle(self.tr("Connexion au serveur"))
        self._connect = connect
        self._qsettings = qsettings
        self.server: ServerSettings | None = None
        self.password: str | None = None
        self.keyring = False
        form = self._build_form(server)
        self._build_keyring_choice()
        self.error = error_label()
        self.error.setObjectName("connectionError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit = QPushButton(self.tr("Se connecter"))
        self.submit.setObjectName("connectButton")
        self.submit.setDefault(True)
        buttons.addButton(self.submit, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.submit.clicked.connect(self.try_accept)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.remember)
        column.addWidget(self.keyring_note)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.refresh_keyring()
        (self.secret if server else self.host).setFocus()

    def _build_form(self, server: ServerSettings | None) -> QFormLayout:
        """The server's fields, filled from the remembered server when there is one."""
        self.host = QLineEdit(server.host if server else "")
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText(self.tr("ex. : serveur.msp.local"))
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(server.port if server else DEFAULT_PORT)
        self.database = QLineEdit(server.database if server else "relais")
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit(server.user if server else "")
        self.user.setObjectName("serverUser")
        self.sslmode = QComboBox()
        self.sslmode.setObjectName("serverSslMode")
        for mode in SSL_MODES:
            self.sslmode.addItem(self.tr(SSL_MODE_LABELS[mode]), mode)
        self.sslmode.setCurrentIndex(SSL_MODES.index(server.sslmode if server else "verify-full"))
        self.secret = password_edit()
        self.secret.setObjectName("serverPassword")
        form = QFormLayout()
        form.addRow(self.tr("Serveur"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Base de données"), self.database)
        form.addRow(self.tr("Utilisateur"), self.user)
        form.addRow(self.tr("Chiffrement (TLS)"), self.sslmode)
        form.addRow(self.tr("Mot de passe"), self.secret)
        return form

    def _build_keyring_choice(self) -> None:
        """« Conserver le mot de passe… », or the note saying this workstation cannot."""
        self.remember = QCheckBox(self.tr("Conserver le mot de passe dans le trousseau du système"))
        self.remember.setObjectName("rememberPassword")
        self.remember.setChecked(True)
        self.keyring_note = QLabel(
            self.tr(
                "Ce poste n'a pas de trousseau de mots de passe : Relais ne conservera pas le "
                "mot de passe du serveur (jamais en clair sur le disque) et vous le demandera "
                "à chaque démarrage."
            )
        )
        self.keyring_note.setObjectName("noKeyringNote")
        self.keyring_note.setWordWrap(True)

    def refresh_keyring(self) -> None:
        """Show the « no keyring » note (and no « conserver » box) without a backend."""
        self.keyring = available = keyring_available(self._typed())
        self.remember.setVisible(available)
        self.keyring_note.setVisible(not available)

    def _typed(self) -> ServerSettings:
        return ServerSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            sslmode=str(self.sslmode.currentData()),
        )

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def try_accept(self) -> None:
        server = self._typed()
        password = self.secret.text() or None
        try:
            server.check()
            self._connect(server, password)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        save_server(server, self._qsettings)
        if password and self.keyring and self.remember.isChecked():
            try:
                save_password(server, password)
            except KeyringUnavailable as exc:
                self.refresh_keyring()
                self._fail(exc.message)  # connected all the same, for this start
        self.server, self.password = server, password
        self.secret.clear()
        self.accept()
