"""A patient file's history (changes the reader's role may know about), page by page."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.models.enums import Compartment, Role
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.patient_file.records import HistoryItem
from app.views.common.labels import datetime_fr, role_label
from app.views.common.paging import PagedRowsModel


class HistoryModel(PagedRowsModel[HistoryItem]):
    """Sorted and counted by the service; every cell in French (no internal code)."""

    PAGE = 100
    DATE, WHO, ACTION, DETAIL, COMPARTMENT = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Par"),
        QT_TRANSLATE_NOOP("Headers", "Action"),
        QT_TRANSLATE_NOOP("Headers", "Précision"),
        QT_TRANSLATE_NOOP("Headers", "Volet"),
    )

    def set_items(self, items: list[HistoryItem]) -> None:
        self.set_rows(items)

    def cell(self, item: HistoryItem, column: int) -> str:
        if column == self.DATE:
            return datetime_fr(item.at)
        if column == self.WHO:
            try:
                return f"{item.who} ({role_label(Role(item.role))})"
            except ValueError:
                return item.who
        if column == self.ACTION:
            return item.action_label
        if column == self.DETAIL:
            return item.object_label
        try:
            return COMPARTMENT_LABELS[Compartment(item.compartment)]
        except ValueError:
            return ""
