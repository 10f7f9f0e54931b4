"""Search results: rows fetched page by page from the patient service as the view scrolls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.services.kernel.records import PatientSummary
from app.services.patient_file.records import SearchResult
from app.views.common.labels import date_fr, nir_display, sex_label
from app.views.common.rows import ListModel

# fetch(query, limit, offset) -> SearchResult
Fetcher = Callable[[str, int, int], SearchResult]
AnyIndex = QModelIndex | QPersistentModelIndex

PatientIdRole = Qt.ItemDataRole.UserRole + 1


class PatientSearchModel(ListModel[PatientSummary]):
    NAME, BIRTH_DATE, SEX, NIR, CITY = range(5)
    COLUMN_COUNT = 5

    def __init__(self, fetch: Fetcher, *, page_size: int = 100, parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._page_size = page_size
        self._query = ""
        self._has_more = False
        self._headers = [
            self.tr("Nom"),
            self.tr("Date de naissance"),
            self.tr("Sexe"),
            self.tr("NIR"),
            self.tr("Ville"),
        ]

    # ---- queries ----------------------------------------------------------------------
    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        """Replace the results by the first page for ``query`` (errors propagate)."""
        query = query.strip()
        result = self._fetch(query, self._page_size, 0) if query else SearchResult([], False)
        self.beginResetModel()
        self._query = query
        self._rows = list(result.patients)
        self._has_more = result.has_more
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._query, self._rows, self._has_more = "", [], False
        self.endResetModel()

    def patient(self, row: int) -> PatientSummary | None:
        return self.row_at(row)

    @property
    def has_more(self) -> bool:
        return self._has_more

    # ---- lazy fetching ----------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._has_more:
            return
        result = self._fetch(self._query, self._page_size, len(self._rows))
        known = {p.id for p in self._rows}
        new = [p for p in result.patients if p.id not in known]
        self._has_more = result.has_more and bool(new)
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    # ---- QAbstractTableModel ----------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        patient = self._row(index)
        if patient is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return patient.display_name
            if column == self.BIRTH_DATE:
                return date_fr(patient.birth_date)
            if column == self.SEX:
                return sex_label(patient.sex)
            if column == self.NIR:
                return nir_display(patient.nir)
            if column == self.CITY:
                return patient.city
        if role == PatientIdRole:
            return patient.id
        return None

    def column_count(self) -> int:
        return self.COLUMN_COUNT

    def header(self, section: int) -> str:
        return self._headers[section]
