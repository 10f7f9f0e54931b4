"""A read-only table model over a list of plain records, the base of the small list models.

Subclasses name their columns with constants and say what each cell shows (``cell``), and
may add a colour (``foreground``), bold text (``bold``) or a tooltip (``tooltip``).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class ListModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over ``_rows``: subclasses give the column count, each header's
    text and ``data``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def column_count(self) -> int:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def header(self, section: int) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _row(self, index: AnyIndex) -> Row | None:
        """The record of a valid index (None for an invalid or stale one)."""
        return self.row_at(index.row()) if index.isValid() else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.column_count()
        ):
            return self.header(section)
        return None


class RowsModel(ListModel[Row]):
    HEADERS: tuple[str, ...] = ()

    def column_count(self) -> int:
        return len(self.HEADERS)

    def header(self, section: int) -> str:
        return QCoreApplication.translate("Headers", self.HEADERS[section])

    # ---- for subclasses -----------------------------------------------------------------
    def cell(self, row: Row, column: int) -> str:
        """The text of one cell; every subclass overrides it."""
        return ""

    def foreground(self, row: Row, column: int) -> QColor | None:
        return None

    def bold(self, row: Row) -> bool:
        return False

    def tooltip(self, row: Row, column: int) -> str | None:
        return None

    # ---- content ------------------------------------------------------------------------
    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, row_id: int) -> int:
        """The position of the record whose ``id`` is ``row_id`` (-1 when absent)."""
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == row_id), -1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        if row is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        if role == Qt.ItemDataRole.FontRole and self.bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        return None
