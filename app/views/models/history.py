"""A patient file's history (changes the reader's role may know about)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.models.enums import Compartment, Role
from app.services.records import COMPARTMENT_LABELS, HistoryItem
from app.views.labels import datetime_fr, role_label

AnyIndex = QModelIndex | QPersistentModelIndex
OBJECT_LABELS = {"patient": "Identité", "note": "Note"}


class HistoryModel(QAbstractTableModel):
    DATE, WHO, ACTION, COMPARTMENT = range(4)
    COLUMN_COUNT = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[HistoryItem] = []
        self._headers = [self.tr("Date"), self.tr("Par"), self.tr("Action"), self.tr("Volet")]

    def set_items(self, items: list[HistoryItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.DATE:
            return datetime_fr(item.at)
        if column == self.WHO:
            try:
                return f"{item.who} ({role_label(Role(item.role))})"
            except ValueError:
                return item.who
        if column == self.ACTION:
            what = OBJECT_LABELS.get(item.object_type or "", "")
            return f"{item.action_label} — {what}" if what else item.action_label
        if column == self.COMPARTMENT:
            try:
                return COMPARTMENT_LABELS[Compartment(item.compartment)]
            except ValueError:
                return ""
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
