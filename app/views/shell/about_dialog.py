"""« À propos de Relais »: the version (the one of app/__init__.py), and what support asks."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app import __version__
from app.views.common.app_icon import app_icon


class AboutDialog(QDialog):
    def __init__(self, log_folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("À propos de Relais"))
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(self.tr("Relais"))
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.version = QLabel(self.tr("Version {version}").format(version=__version__))
        self.version.setObjectName("aboutVersion")
        self.version.setStyleSheet("font-size: 12pt;")
        what = QLabel(
            self.tr(
                "Dossier partagé médico-social des maisons de santé pluriprofessionnelles : "
                "médecins, assistante sociale, paramédicaux, secrétariat et coordination, "
                "chacun ne voyant que ce que sa profession et le consentement du patient "
                "permettent."
            )
        )
        what.setWordWrap(True)
        kind = (
            self.tr("application autonome")
            if getattr(sys, "frozen", False)
            else self.tr("installation Python")
        )
        lines = [
            self.tr("Python {python}, Qt {qt} (PySide6 {pyside}), {kind}").format(
                python=platform.python_version(),
                qt=qVersion(),
                pyside=PySide6.__version__,
                kind=kind,
            ),
            self.tr("Système : {system}").format(system=platform.platform(terse=True)),
        ]
        if log_folder is not None:
            lines.append(self.tr("Journal de diagnostic : {folder}").format(folder=str(log_folder)))
        self.technical = QLabel("\n".join(lines))
        self.technical.setObjectName("aboutTechnical")
        self.technical.setWordWrap(True)
        self.technical.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.technical.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version)
        top = QHBoxLayout()
        top.addWidget(icon, alignment=Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(what)
        layout.addWidget(self.technical)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
