"""« Historique » tab: who changed the file, when (only compartments the role may read)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import Page
from app.services.patient_file.records import HistoryItem
from app.views.common.patient_tab import LazyTab
from app.views.common.widgets import record_table
from app.views.patient_file.history_model import HistoryModel
from app.views.patient_file.ports import PatientFilePort


class HistoryTab(LazyTab):
    """Read when first shown, then a page at a time as the list scrolls."""

    def __init__(
        self,
        patient_file: PatientFilePort,
        actor: Actor,
        patient_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name="historyTab", parent=parent)
        self._service = patient_file
        self.model = HistoryModel(self)
        self.table = record_table(self.model, name="historyTable")
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(
            HistoryModel.ACTION, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(
            HistoryModel.DETAIL, QHeaderView.ResizeMode.Stretch
        )
        self.table.setColumnWidth(HistoryModel.DATE, 150)
        self.table.setColumnWidth(HistoryModel.WHO, 280)
        self.empty = QLabel(self.tr("Aucune modification enregistrée."))
        self.empty.setObjectName("historyEmpty")
        self.empty.setWordWrap(True)
        self.model.failed.connect(self.empty.setText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        self._loaded = True
        try:
            self.model.start(self._fetch)
        except RelaisError as exc:
            self.model.clear()
            self.empty.setText(exc.message)
            self.empty.show()
            return
        self.empty.setText(self.tr("Aucune modification enregistrée."))
        self.empty.setVisible(not self.model.total)

    def _fetch(self, offset: int, limit: int) -> Page[HistoryItem]:
        return self._service.history_page(self._actor, self._patient_id, offset=offset, limit=limit)

    def show_items(self, items: list[HistoryItem]) -> None:
        """Show these rows (no paging)."""
        self.model.clear()
        self.model.set_items(items)
        self.empty.setVisible(not items)
