"""The audit trail for the coordinator's viewer: fetched page by page as the user scrolls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.models.enums import Role
from app.services.audit.records import AuditPage, AuditRecord
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.kernel.timefmt import local
from app.views.common.labels import datetime_fr, role_label
from app.views.common.rows import ListModel

AnyIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], AuditPage]  # (offset, limit) -> one page
PAGE = 200


def _seconds(record: AuditRecord) -> str:
    value = local(record.at) if record.at.tzinfo else record.at
    return value.strftime("%d/%m/%Y %H:%M:%S")


class AuditModel(ListModel[AuditRecord]):
    WHEN, WHO, ROLE, ACTION, OUTCOME, PATIENT, PART, WORKSTATION, DETAIL = range(9)
    COLUMN_COUNT = 9

    def __init__(self, parent=None, *, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._has_more = False
        self._page = page_size
        self.error = ""
        self._headers = [
            self.tr("Date et heure"),
            self.tr("Utilisateur"),
            self.tr("Rôle"),
            self.tr("Action"),
            self.tr("Résultat"),
            self.tr("Patient"),
            self.tr("Volet"),
            self.tr("Poste"),
            self.tr("Détail"),
        ]

    def set_source(self, fetch: Fetch | None) -> None:
        """Start again with a new query; the first page is read at once."""
        self.beginResetModel()
        self._rows = []
        self._fetch = fetch
        self._has_more = False  # views must not fetch while the reset is being announced
        self.error = ""
        self.endResetModel()
        self._has_more = fetch is not None
        if self.canFetchMore():
            self.fetchMore()

    def record(self, row: int) -> AuditRecord | None:
        return self.row_at(row)

    @property
    def has_more(self) -> bool:
        return self._has_more

    # ---- lazy fetching ------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and self._fetch is not None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetch is None or not self._has_more:
            return
        try:
            page = self._fetch(len(self._rows), self._page)
        except RelaisError as exc:
            self.error = exc.message
            self._has_more = False
            return
        self._has_more = page.has_more
        if page.entries:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.entries) - 1)
            self._rows.extend(page.entries)
            self.endInsertRows()

    # ---- table --------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self._row(index)
        if record is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return (
                    _seconds(record)
                    if role == Qt.ItemDataRole.DisplayRole
                    else datetime_fr(record.at)
                )
            part = ""
            if record.compartment:
                try:
                    part = COMPARTMENT_LABELS[record.compartment]  # type: ignore[index]
                except KeyError:
                    part = record.compartment
            return {
                self.WHO: record.username,
                self.ROLE: _role(record.role),
                self.ACTION: record.action_label,
                self.OUTCOME: record.outcome_label,
                self.PATIENT: record.patient_name,  # never the file's internal number
                self.PART: part,
                self.WORKSTATION: record.workstation,
                self.DETAIL: record.detail,
            }.get(column)
        if role == Qt.ItemDataRole.ForegroundRole and record.outcome != "ok":
            return QColor("#b00020")
        return None

    def column_count(self) -> int:
        return self.COLUMN_COUNT

    def header(self, section: int) -> str:
        return self._headers[section]


def _role(code: str) -> str:
    """The role's French name (never its internal code)."""
    try:
        return role_label(Role(code))
    except ValueError:
        return code
