"""« Archivage » (coordination): files with no activity for the retention period, archived
files. Archived files leave the daily lists and open read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.patient_file.records import RetentionCandidate
from app.views.common.buttons import DialogButtons
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.progress_task import ProgressTask
from app.views.common.rows import ListModel
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label
from app.views.patient_file.form_ports import ArchivingPort

AnyIndex = QModelIndex | QPersistentModelIndex


class RetentionModel(ListModel[RetentionCandidate]):
    NAME, BORN, CITY, LAST_ACTIVITY, ARCHIVED = range(5)

    def __init__(self, *, archived: bool, parent=None) -> None:
        super().__init__(parent)
        self._archived = archived
        self._headers = [
            self.tr("Patient"),
            self.tr("Né(e) le"),
            self.tr("Ville"),
            self.tr("Dernière activité"),
            self.tr("Archivé le"),
        ]

    def row_item(self, row: int) -> RetentionCandidate | None:
        return self.row_at(row)

    def column_count(self) -> int:
        return 5 if self._archived else 4

    def header(self, section: int) -> str:
        return self._headers[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._row(index)
        if item is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.NAME: item.patient.display_name,
            self.BORN: date_fr(item.patient.birth_date),
            self.CITY: item.patient.city,
            self.LAST_ACTIVITY: datetime_fr(item.last_activity_at),
            self.ARCHIVED: datetime_fr(item.archived_at),
        }.get(index.column())


def _table(model: RetentionModel, name: str, *, multi: bool) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class ArchiveDialog(QDialog):
    """Archiving runs on the task runner (when given) with a progress dialog; « Annuler »
    there rolls the whole archiving back."""

    def __init__(
        self,
        retention: ArchivingPort,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("archiveDialog")
        self._retention = retention
        self._actor = actor
        self.task = ProgressTask(
            self,
            runner,
            title=self.tr("Archivage"),
            label=self.tr("Archivage des dossiers…"),
            name="archiveProgress",
        )
        self.setWindowTitle(self.tr("Archivage des dossiers"))
        self.resize(960, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_candidates(), self.tr("À &archiver"))
        self.tabs.addTab(self._build_archived(), self.tr("Dossiers archi&vés"))
        self.message = QLabel()
        self.message.setObjectName("archiveMessage")
        self.message.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("archiveError")
        self.buttons = DialogButtons(self, close=True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)
        self.archive_button.clicked.connect(self.archive_selected)
        self.select_all_button.clicked.connect(self.candidates.selectAll)
        self.unarchive_button.clicked.connect(self.unarchive_selected)
        self.candidates.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.archived.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.reload()

    def _build_candidates(self) -> QWidget:
        self.candidates_model = RetentionModel(archived=False, parent=self)
        self.candidates = _table(self.candidates_model, "candidatesTable", multi=True)
        self.candidates_info = QLabel()
        self.candidates_info.setObjectName("candidatesInfo")
        self.candidates_info.setWordWrap(True)
        self.archive_button = QPushButton(self.tr("Archiver la &sélection"))
        self.archive_button.setObjectName("archiveButton")
        self.select_all_button = QPushButton(self.tr("&Tout sélectionner"))
        self.select_all_button.setObjectName("selectAllButton")
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.candidates_info)
        column.addWidget(self.candidates, 1)
        row = QHBoxLayout()
        row.addWidget(self.select_all_button)
        row.addStretch(1)
        row.addWidget(self.archive_button)
        column.addLayout(row)
        for button in (self.archive_button, self.select_all_button):
            button.setAutoDefault(False)
        return page

    def _build_archived(self) -> QWidget:
        self.archived_model = RetentionModel(archived=True, parent=self)
        self.archived = _table(self.archived_model, "archivedTable", multi=False)
        self.unarchive_button = QPushButton(self.tr("&Désarchiver"))
        self.unarchive_button.setObjectName("unarchiveButton")
        self.unarchive_button.setAutoDefault(False)
        page = QWidget()
        column = QVBoxLayout(page)
        hint = QLabel(
            self.tr(
                "Un dossier archivé n'apparaît plus dans les recherches du quotidien et "
                "s'ouvre en lecture seule. Désarchivez-le si le patient revient."
            )
        )
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addWidget(self.archived, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unarchive_button)
        column.addLayout(row)
        return page

    def reload(self) -> None:
        try:
            candidates = self._retention.candidates(self._actor)
            archived = self._retention.archived(self._actor)
        except RelaisError as exc:
            self._fail(exc)
            candidates, archived = [], []
        self.candidates_model.set_rows(candidates)
        self.archived_model.set_rows(archived)
        self.candidates_info.setText(
            self.tr(
                "%n dossier(s) sans aucune activité depuis la durée de conservation réglée "
                "dans les paramètres. Sélectionnez ceux à archiver.",
                "",
                len(candidates),
            )
            if candidates
            else self.tr("Aucun dossier à archiver : tous ont eu une activité récente.")
        )
        self._update()

    def _rows(self, table: QTableView) -> list[int]:
        return sorted({i.row() for i in table.selectionModel().selectedRows()})

    def _update(self) -> None:
        self.archive_button.setEnabled(bool(self._rows(self.candidates)))
        self.unarchive_button.setEnabled(bool(self._rows(self.archived)))

    def _fail(self, exc: RelaisError) -> None:
        message = "\n".join(exc.fields.values()) if isinstance(exc, ValidationError) else ""
        self.error.setText(message or exc.message)
        self.error.show()

    @property
    def busy(self) -> bool:
        """An archiving is running (its progress dialog is shown)."""
        return self.task.running

    @property
    def progress(self) -> QProgressDialog | None:
        return self.task.dialog

    def archive_selected(self) -> None:
        ids = [
            item.patient.id
            for r in self._rows(self.candidates)
            if (item := self.candidates_model.row_item(r)) is not None
        ]
        if not ids:
            return
        actor = self._actor

        def work(report: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
            return self._retention.archive(actor, ids, progress=report, cancelled=cancelled)

        self.task.start(work, success=self._archived, failure=self._archive_failed)

    def cancel_archiving(self) -> None:
        self.task.cancel()

    def _archived(self, done: int) -> None:
        self.error.hide()
        self.message.setText(self.tr("%n dossier(s) archivé(s).", "", done))
        self.reload()

    def _archive_failed(self, error: BaseException) -> None:
        if isinstance(error, RelaisError):
            self._fail(error)
        else:  # an unexpected failure: said in French, the list re-read
            self.error.setText(self.tr("L'archivage a échoué : {error}").format(error=error))
            self.error.show()
        self.reload()

    def unarchive_selected(self) -> None:
        rows = self._rows(self.archived)
        item = self.archived_model.row_item(rows[0]) if rows else None
        if item is None:
            return
        try:
            self._retention.unarchive(self._actor, item.patient.id)
        except RelaisError as exc:
            self._fail(exc)
            return
        self.error.hide()
        self.message.setText(
            self.tr("Dossier de {name} désarchivé.").format(name=item.patient.display_name)
        )
        self.reload()
