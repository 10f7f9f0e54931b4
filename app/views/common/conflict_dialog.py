"""Two people saved the same record: show both versions and let the user choose."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.errors import ConflictError
from app.views.common.labels import datetime_fr


class ConflictChoice(StrEnum):
    KEEP_SAVED = "keep_saved"
    USE_MINE = "use_mine"


class ConflictDialog(QDialog):
    """« Votre version » / « Version enregistrée par X le … »; emits ``chosen``.

    Closing the dialog (Échap) decides nothing: the user's draft stays in the editor.
    """

    chosen = Signal(str)

    def __init__(
        self, error: ConflictError, mine: str, theirs: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Modification concurrente"))
        self.setModal(True)
        self.resize(900, 520)
        self.choice: ConflictChoice | None = None
        self._mine = mine

        intro = QLabel(error.message)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._build_versions(error, mine, theirs), 1)
        layout.addLayout(self._build_buttons())

    def _build_versions(self, error: ConflictError, mine: str, theirs: str) -> QGridLayout:
        """The two versions side by side, each under its title."""
        who = error.theirs_by or self.tr("un autre utilisateur")
        when = datetime_fr(error.theirs_at) if error.theirs_at else ""
        saved_title = (
            self.tr("Version enregistrée par {who} le {when}").format(who=who, when=when)
            if when
            else self.tr("Version enregistrée par {who}").format(who=who)
        )
        self.mine_view = QPlainTextEdit(mine)
        self.mine_view.setObjectName("mineText")
        self.mine_view.setReadOnly(True)
        self.theirs_view = QPlainTextEdit(theirs)
        self.theirs_view.setObjectName("theirsText")
        self.theirs_view.setReadOnly(True)
        mine_title = QLabel(self.tr("Votre version (non enregistrée)"))
        mine_title.setStyleSheet("font-weight: 600;")
        theirs_title = QLabel(saved_title)
        theirs_title.setObjectName("theirsTitle")
        theirs_title.setStyleSheet("font-weight: 600;")
        theirs_title.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(mine_title, 0, 0)
        grid.addWidget(theirs_title, 0, 1)
        grid.addWidget(self.mine_view, 1, 0)
        grid.addWidget(self.theirs_view, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _build_buttons(self) -> QHBoxLayout:
        """« Copier ma version », then the two choices."""
        self.copy_button = QPushButton(self.tr("Copier ma version"))
        self.copy_button.setObjectName("copyMineButton")
        self.keep_button = QPushButton(self.tr("Garder la version enregistrée"))
        self.keep_button.setObjectName("keepSavedButton")
        self.replace_button = QPushButton(self.tr("Remplacer par ma version"))
        self.replace_button.setObjectName("useMineButton")
        self.copied = QLabel()
        for button in (self.copy_button, self.keep_button, self.replace_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.copied, 1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.replace_button)
        self.copy_button.clicked.connect(self.copy_mine)
        self.keep_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_SAVED))
        self.replace_button.clicked.connect(lambda: self._choose(ConflictChoice.USE_MINE))
        return buttons

    def copy_mine(self) -> None:
        QGuiApplication.clipboard().setText(self._mine)
        self.copied.setText(self.tr("Votre version est copiée dans le presse-papiers."))

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()
        self.chosen.emit(str(choice))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
