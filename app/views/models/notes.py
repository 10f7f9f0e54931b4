"""The notes of one compartment, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.records import NoteView
from app.views.labels import datetime_fr

AnyIndex = QModelIndex | QPersistentModelIndex
EXCERPT_LENGTH = 120


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_LENGTH else line[: EXCERPT_LENGTH - 1] + "…"


class NotesModel(QAbstractTableModel):
    DATE, AUTHOR, TEXT = range(3)
    COLUMN_COUNT = 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._notes: list[NoteView] = []
        self._headers = [self.tr("Date"), self.tr("Auteur"), self.tr("Note")]

    def set_notes(self, notes: list[NoteView]) -> None:
        self.beginResetModel()
        self._notes = sorted(notes, key=lambda n: (n.created_at, n.id), reverse=True)
        self.endResetModel()

    def note(self, row: int) -> NoteView | None:
        return self._notes[row] if 0 <= row < len(self._notes) else None

    def row_of(self, note_id: int) -> int:
        return next((i for i, n in enumerate(self._notes) if n.id == note_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return datetime_fr(note.created_at)
            if column == self.AUTHOR:
                return note.author_name
            if column == self.TEXT:
                return excerpt(note.text)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DATE and note.version > 1:
            return self.tr("Modifiée le {when} par {who}").format(
                when=datetime_fr(note.updated_at), who=note.updated_by_name
            )
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMN_COUNT
        ):
            return self._headers[section]
        return None
