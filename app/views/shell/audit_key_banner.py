"""The banner shown when this workstation has no audit key (entries would go unsealed)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.errors import RelaisError
from app.views.common.widgets import error_label

AuditKeySetter = Callable[[str], None]


def parse_audit_key(text: str) -> bytes:
    """64 hexadecimal characters → the 32-byte audit key (French error otherwise)."""
    cleaned = "".join(text.split()).lower()
    try:
        key = bytes.fromhex(cleaned)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise RelaisError(
            QCoreApplication.translate(
                "MainWindow", "La clé d'audit doit comporter 64 caractères hexadécimaux (0-9, a-f)."
            )
        )
    return key


class AuditKeyBanner(QFrame):
    """Shown when no audit key was found: entries are written unsealed until one is given."""

    def __init__(self, use_key: AuditKeySetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditKeyBanner")
        self._use_key = use_key
        self.setStyleSheet(
            "QFrame#auditKeyBanner { background: #fff3e0; border: 1px solid #e65100; }"
        )
        text = QLabel(
            self.tr(
                "<b>Trousseau sécurisé indisponible :</b> la clé d'audit de ce poste est "
                "introuvable, le journal d'audit est écrit <b>sans scellement</b> et la "
                "vérification du journal signalera ces entrées, invérifiables. Saisissez la "
                "clé d'audit (notée à l'installation) pour cette session, ou demandez à votre "
                "informaticien de la fournir par RELAIS_AUDIT_KEY."
            )
        )
        text.setWordWrap(True)
        text.setObjectName("auditKeyText")
        self.key = QLineEdit()
        self.key.setObjectName("auditKeyField")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("64 caractères hexadécimaux"))
        self.button = QPushButton(self.tr("Utiliser cette clé"))
        self.button.setObjectName("auditKeyButton")
        self.button.setAutoDefault(False)
        self.error = error_label()
        self.error.setObjectName("auditKeyError")
        row = QHBoxLayout()
        row.addWidget(self.key, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.button.clicked.connect(self.apply)
        self.key.returnPressed.connect(self.apply)

    def apply(self) -> None:
        try:
            self._use_key(self.key.text())
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        finally:
            self.key.clear()
        self.error.hide()
        self.hide()
