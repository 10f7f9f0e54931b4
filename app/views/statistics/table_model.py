"""One statistics table as a read-only Qt model: the row label, then its values (« < 5 » and
« masqué » shaded, explained in a tooltip), the « Total » row in bold."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.statistics.model import MASK_SMALL, StatTable

LABEL = 0  # the row label; columns 1… are the table's values
Index = QModelIndex | QPersistentModelIndex
MASKED_BACKGROUND = QColor("#eceff1")
SMALL_TIP = "Moins de 5 : masqué pour qu'aucun patient ne puisse être reconnu."
SECONDARY_TIP = "Masqué pour qu'une case « < 5 » ne puisse pas être retrouvée par soustraction."


class StatTableModel(QAbstractTableModel):
    def __init__(self, table: StatTable, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.table = table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == LABEL:
            return self.table.row_header
        if 0 < section <= len(self.table.columns):
            return self.table.columns[section - 1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table.rows):
            return None
        row = self.table.rows[index.row()]
        column = index.column()
        if column == LABEL:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.label
            return self._total_font(row.total, role)
        if not 0 < column <= len(row.values):
            return None
        value = row.values[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return value.text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and value.masked:
            return SMALL_TIP if value.text == MASK_SMALL else SECONDARY_TIP
        if role == Qt.ItemDataRole.BackgroundRole and value.masked:
            return QBrush(MASKED_BACKGROUND)
        return self._total_font(row.total, role)

    @staticmethod
    def _total_font(total: bool, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        return None
