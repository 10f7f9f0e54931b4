"""« Historique » tab: who changed the file, when (only compartments the role may read)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.patient_file.records import HistoryItem
from app.views.patient_file.history_model import HistoryModel


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            HistoryModel.ACTION, QHeaderView.ResizeMode.Stretch
        )
        self.table.setColumnWidth(HistoryModel.DATE, 150)
        self.table.setColumnWidth(HistoryModel.WHO, 280)
        self.empty = QLabel(self.tr("Aucune modification enregistrée."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_items(self, items: list[HistoryItem]) -> None:
        self.model.set_items(items)
        self.empty.setVisible(not items)
