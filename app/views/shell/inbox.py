"""The user's inbox: exceptional-access notices, key grants, referrals, feedback, overdue."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import Page
from app.views.common.labels import datetime_fr
from app.views.common.paging import PagedRowsModel
from app.views.common.tasks import runner_of
from app.views.common.widgets import error_label, record_table
from app.views.shell.ports import InboxPort


class InboxModel(PagedRowsModel[InboxItem]):
    """The items, a page at a time as the list scrolls (unread first, then newest)."""

    PAGE = 100
    WHEN, KIND, PATIENT, TEXT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Type"),
        QT_TRANSLATE_NOOP("Headers", "Patient"),
        QT_TRANSLATE_NOOP("Headers", "Message"),
    )

    def set_items(self, items: list[InboxItem]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> InboxItem | None:
        return self.row_at(row)

    def cell(self, item: InboxItem, column: int) -> str:
        return {
            self.WHEN: datetime_fr(item.created_at),
            self.KIND: ("● " if not item.read else "") + item.kind_label,
            self.PATIENT: item.patient_name,
            self.TEXT: item.text,
        }[column]

    def bold(self, item: InboxItem) -> bool:
        return not item.read

    def tooltip(self, item: InboxItem, column: int) -> str | None:
        return item.text if column == self.TEXT else None


class InboxDialog(QDialog):
    """Lists the items; « Marquer comme lu », « Ouvrir le dossier »."""

    open_patient = Signal(int)
    open_referral = Signal(int, int)  # patient id, referral id
    open_source_item = Signal(object)  # an item of an inbox source (InboxItem.source set)
    changed = Signal()

    def __init__(self, inbox: InboxPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxDialog")
        self._inbox = inbox
        self._actor = actor
        self.setWindowTitle(self.tr("Messages"))
        self.resize(1100, 520)  # the message column keeps its lines short
        self.model = InboxModel(self)
        self.table = record_table(self.model, name="inboxTable", single=False)
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # fitted rows, never cramped
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InboxModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(self.tr("Aucun message."))
        self.empty.setObjectName("inboxEmpty")
        self.error = error_label()
        self.read_button = QPushButton(self.tr("Marquer comme lu"))
        self.read_button.setObjectName("markReadButton")
        self.open_button = QPushButton(self.tr("Ouvrir"))
        self.open_button.setObjectName("openFromInboxButton")
        close = QPushButton(self.tr("Fermer"))
        for button in (self.read_button, self.open_button, close):
            button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.read_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        close.clicked.connect(self.accept)
        self.read_button.clicked.connect(self.mark_selected_read)
        self.open_button.clicked.connect(self._open)
        self.table.doubleClicked.connect(lambda _i: self._open())  # and Return (record_table)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.model.failed.connect(lambda message: self._failed(RelaisError(message)))
        self.loading = False
        self.reload()

    def _fetch(self, offset: int, limit: int) -> Page[InboxItem]:
        """A page of items; the service does not count them all (it would cost the count of
        every source): a full page says there may be more."""
        items = self._inbox.items(self._actor, offset=offset, limit=limit)
        more = 1 if len(items) == limit else 0
        return Page(items, offset + len(items) + more, offset)

    def reload(self) -> None:
        """Read the first page again, on the task runner when the window has one."""
        self.loading = True
        runner = runner_of(self)
        if runner is None:
            try:
                self._loaded(self._fetch(0, InboxModel.PAGE))
            except RelaisError as exc:
                self._failed(exc)
            return
        fetch = self._fetch
        runner.run(
            lambda _report: fetch(0, InboxModel.PAGE),
            success=self._loaded,
            failure=self._failed,
            write=False,
            owner=self,
        )

    def _loaded(self, page: Page[InboxItem]) -> None:
        current = max(self.table.currentIndex().row(), 0)
        self.error.hide()
        self.model.show_first(page, self._fetch)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not page.items)
        self.loading = False
        if page.items:  # the keyboard starts on a message: Return opens it, Down goes on
            self.table.selectRow(min(current, len(page.items) - 1))
            self.table.setFocus()
        self._update()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, RelaisError):
            raise error
        self.error.setText(error.message)
        self.error.show()
        self.model.clear()
        self.empty.hide()
        self.loading = False
        self._update()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the message column has its final width now

    def selected(self) -> list[InboxItem]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [item for r in rows if (item := self.model.item(r)) is not None]

    def _update(self) -> None:
        chosen = self.selected()
        self.read_button.setEnabled(any(not i.read for i in chosen))
        self.open_button.setEnabled(
            len(chosen) == 1 and (chosen[0].patient_id is not None or bool(chosen[0].source))
        )

    def mark_selected_read(self) -> None:
        unread = [i for i in self.selected() if not i.read]
        if not unread:
            return
        try:
            self._inbox.mark_read(self._actor, unread)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.reload()
        self.changed.emit()

    def _open(self) -> None:
        chosen = self.selected()
        # Items of a source may have no patient (a freed slot): the source's screen opens.
        if len(chosen) == 1 and (chosen[0].patient_id is not None or chosen[0].source):
            item = chosen[0]
            if not item.read:
                self.mark_selected_read()
            if item.referral_id is not None:
                self.open_referral.emit(item.patient_id, item.referral_id)
            elif item.source:
                self.open_source_item.emit(item)
            else:
                self.open_patient.emit(item.patient_id)
            self.accept()
