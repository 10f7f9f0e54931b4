"""The notes of one compartment, newest first."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.services.patient_file.records import NoteView
from app.views.common.labels import datetime_fr
from app.views.common.paging import PagedRowsModel

EXCERPT_LENGTH = 120


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_LENGTH else line[: EXCERPT_LENGTH - 1] + "…"


class NotesModel(PagedRowsModel[NoteView]):
    """Sorted by the service (SQL), read one page at a time."""

    DATE, AUTHOR, TEXT = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Auteur"),
        QT_TRANSLATE_NOOP("Headers", "Note"),
    )
    COLUMN_COUNT = len(HEADERS)

    def note(self, row: int) -> NoteView | None:
        return self.row_at(row)

    def cell(self, note: NoteView, column: int) -> str:
        if column == self.DATE:
            return datetime_fr(note.created_at)
        if column == self.AUTHOR:
            return note.author_name
        return excerpt(note.text)

    def tooltip(self, note: NoteView, column: int) -> str | None:
        if column == self.DATE and note.version > 1:
            return self.tr("Modifiée le {when} par {who}").format(
                when=datetime_fr(note.updated_at), who=note.updated_by_name
            )
        return None
