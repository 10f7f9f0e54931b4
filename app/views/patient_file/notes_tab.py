"""A note compartment tab (« Médical », « Social », « Liaison »): read, write, edit notes.

The editor keeps an unsaved draft for as long as the user's workspace lives (lock, user switch).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.kernel.records import Page
from app.services.patient_file.records import NoteView
from app.views.common.conflict_dialog import ConflictChoice, ConflictDialog
from app.views.common.labels import datetime_fr
from app.views.common.patient_tab import LazyTab
from app.views.common.widgets import error_label, record_table
from app.views.patient_file.notes_model import NotesModel
from app.views.patient_file.ports import NotesPort


class NotesTab(LazyTab):
    changed = Signal()

    def __init__(
        self,
        notes: NotesPort,
        actor: Actor,
        patient_id: int,
        compartment: Compartment,
        *,
        can_write: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name=f"notesTab_{compartment}", parent=parent)
        self._notes = notes
        self.compartment = compartment
        self._editing: NoteView | None = None  # the note being edited (None: a new note)
        self._drafting = False
        self._can_write = can_write
        self._can_add = True  # False: no new note (e.g. liaison without consent)
        self.conflict_dialog: ConflictDialog | None = None
        self.model = NotesModel(self)
        self.model.failed.connect(self._fetch_failed)
        top = self._build_top(can_write)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self._build_table())
        self.splitter.addWidget(self._build_reader())
        self.splitter.addWidget(self._build_editor())
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # ---- builders -----------------------------------------------------------------------
    def _build_top(self, can_write: bool) -> QHBoxLayout:
        self.new_button = QPushButton(self.tr("&Nouvelle note"), self)
        self.new_button.setObjectName("newNoteButton")
        self.new_button.setVisible(can_write)
        self.new_button.clicked.connect(self.start_new)
        self.edit_button = QPushButton(self.tr("&Modifier la note"), self)
        self.edit_button.setObjectName("editNoteButton")
        self.edit_button.setEnabled(False)
        self.edit_button.setVisible(can_write)
        self.edit_button.clicked.connect(self.start_edit)
        self.message = QLabel()
        self.message.setObjectName("notesMessage")
        self.message.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("notesNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffb300; padding: 6px; color: #3e2723;"
        )
        self.notice.hide()
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.new_button)
        return top

    def _build_table(self) -> QWidget:
        self.table = record_table(self.model, name="notesTable")
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setColumnWidth(NotesModel.DATE, 150)
        self.table.setColumnWidth(NotesModel.AUTHOR, 170)
        self.table.horizontalHeader().setSectionResizeMode(
            NotesModel.TEXT, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.open_current())  # Return, double-click
        return self.table

    def _build_reader(self) -> QWidget:
        self.reader_title = QLabel()
        self.reader_title.setObjectName("noteReaderTitle")
        self.reader = QTextBrowser()
        self.reader.setObjectName("noteReader")
        self.reader.setTabChangesFocus(True)
        reader_box = QWidget()
        reader_layout = QVBoxLayout(reader_box)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.reader_title)
        reader_layout.addWidget(self.reader, 1)
        return reader_box

    def _build_editor(self) -> QWidget:
        self.editor_box = QGroupBox()
        self.editor_box.setObjectName("noteEditorBox")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)  # Tab leaves the editor; the text has no tabs
        self.editor.setAccessibleName(self.tr("Texte de la note"))
        self.editor_error = error_label()
        self.save_button = QPushButton(self.tr("&Enregistrer la note"))
        self.save_button.setObjectName("saveNoteButton")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Abandonner le &brouillon"))
        self.cancel_button.setObjectName("cancelNoteButton")
        self.cancel_button.clicked.connect(self.discard_draft)
        editor_buttons = QHBoxLayout()
        editor_buttons.addWidget(self.editor_error, 1)
        editor_buttons.addStretch(1)  # buttons keep their size when no error shows
        editor_buttons.addWidget(self.cancel_button)
        editor_buttons.addWidget(self.save_button)
        editor_layout = QVBoxLayout(self.editor_box)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addLayout(editor_buttons)
        self.editor_box.hide()
        return self.editor_box

    def set_notice(self, text: str | None, *, can_add: bool = True) -> None:
        """A banner above the notes (e.g. no liaison consent); ``can_add`` False hides
        « Nouvelle note » (editing one's own notes stays possible)."""
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))
        self._can_add = can_add
        self.new_button.setVisible(self._can_write and can_add)

    @property
    def can_add(self) -> bool:
        """Whether « Nouvelle note » is offered here."""
        return self._can_write and self._can_add

    # ---- loading ------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """The first page of notes again (the next ones as the list scrolls)."""
        self._loaded = True
        try:
            self.model.start(self._fetch)
        except RelaisError as exc:
            self.model.clear()
            self.message.setText(exc.message)
            self._show_note(None)
            return
        self._show_count()
        if select_id is not None:
            self.model.fetch_until(lambda: self.model.row_of(select_id) >= 0)
        row = self.model.row_of(select_id) if select_id is not None else 0
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        else:
            self._show_note(None)

    def _fetch(self, offset: int, limit: int) -> Page[NoteView]:
        return self._notes.page(
            self._actor, self._patient_id, self.compartment, offset=offset, limit=limit
        )

    def _show_count(self) -> None:
        total = self.model.total
        self.message.setText(
            self.tr("%n note(s), de la plus récente à la plus ancienne.", "", total)
            if total
            else self.tr("Aucune note pour l'instant.")
        )

    def _fetch_failed(self, message: str) -> None:
        self.message.setText(message)

    def open_current(self) -> None:
        """Return (or a double click) on a note: edit it when allowed, else read it."""
        note = self.current_note()
        if note is None:
            return
        if note.can_edit and self._can_write and not self._drafting:
            self.start_edit()
        else:
            self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_note(self.model.note(rows[0].row()) if rows else None)

    def current_note(self) -> NoteView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.note(rows[0].row()) if rows else None

    def _show_note(self, note: NoteView | None) -> None:
        if note is None:
            self.reader_title.clear()
            self.reader.clear()
            self.edit_button.setEnabled(False)
            return
        title = self.tr("Note de {author}, le {when}").format(
            author=note.author_name, when=datetime_fr(note.created_at)
        )
        if note.version > 1:
            title += self.tr(" — modifiée le {when} par {who}").format(
                when=datetime_fr(note.updated_at), who=note.updated_by_name
            )
        self.reader_title.setText(title)
        self.reader.setPlainText(note.text)
        self.edit_button.setEnabled(note.can_edit and not self._drafting)

    # ---- drafts -------------------------------------------------------------------------
    @property
    def has_draft(self) -> bool:
        return self._drafting and bool(self.editor.toPlainText().strip())

    def draft_text(self) -> str:
        return self.editor.toPlainText() if self._drafting else ""

    def start_new(self) -> None:
        if self._drafting:
            self.editor.setFocus()
            return
        self._begin(None, "")

    def start_edit(self) -> None:
        note = self.current_note()
        if note is None or not note.can_edit or self._drafting:
            return
        self._begin(note, note.text)

    def _begin(self, note: NoteView | None, text: str) -> None:
        self._editing = note
        self._drafting = True
        self.editor_box.setTitle(
            self.tr("Nouvelle note (brouillon non enregistré)")
            if note is None
            else self.tr("Modification de la note du {when} (brouillon non enregistré)").format(
                when=datetime_fr(note.created_at)
            )
        )
        self.editor.setPlainText(text)
        self.editor_error.hide()
        self.editor_box.show()
        sizes = self.splitter.sizes()
        total = sum(sizes) or 600
        if sizes[2] < total // 4:  # the editor was hidden: give it room to write
            self.splitter.setSizes([total * 3 // 10, total * 3 // 10, total * 4 // 10])
        self.new_button.setEnabled(False)
        self.edit_button.setEnabled(False)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def discard_draft(self) -> None:
        self._editing = None
        self._drafting = False
        self.editor.clear()
        self.editor_error.clear()
        self.editor_error.hide()
        self.editor_box.hide()
        self.new_button.setEnabled(True)
        note = self.current_note()
        self.edit_button.setEnabled(bool(note and note.can_edit))

    def save(self) -> None:
        text = self.editor.toPlainText()
        try:
            if self._editing is None:
                saved = self._notes.add(self._actor, self._patient_id, self.compartment, text)
            else:
                saved = self._notes.edit(self._actor, self._editing.id, text, self._editing.version)
        except ValidationError as exc:
            self.editor_error.setText("\n".join(exc.fields.values()))
            self.editor_error.show()
            return
        except ConflictError as exc:
            self._show_conflict(exc, text)
            return
        except RelaisError as exc:
            self.editor_error.setText(exc.message)
            self.editor_error.show()
            return
        self.discard_draft()
        self.reload(select_id=saved.id)
        self.changed.emit()

    # ---- conflicts ----------------------------------------------------------------------
    def _show_conflict(self, error: ConflictError, mine: str) -> None:
        saved = error.extra.get("note")
        theirs = error.theirs if isinstance(error.theirs, str) else ""
        dialog = ConflictDialog(error, mine, theirs, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.conflict_dialog = dialog

        def resolve(choice: str) -> None:
            self.conflict_dialog = None
            if choice == ConflictChoice.KEEP_SAVED:
                self.discard_draft()
                self.reload(select_id=saved.id if isinstance(saved, NoteView) else None)
            elif choice == ConflictChoice.USE_MINE and isinstance(saved, NoteView):
                self._editing = saved  # retry against the version now in the database
                self.save()

        dialog.chosen.connect(resolve)
        dialog.rejected.connect(lambda: setattr(self, "conflict_dialog", None))
        dialog.open()
