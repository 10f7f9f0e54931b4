"""A patient file's history (changes the reader's role may know about)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.models.enums import Compartment, Role
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.patient_file.records import HistoryItem
from app.views.common.labels import datetime_fr, role_label
from app.views.common.rows import RowsModel

OBJECT_LABELS = {"patient": "Identité", "note": "Note"}


class HistoryModel(RowsModel[HistoryItem]):
    DATE, WHO, ACTION, COMPARTMENT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Par"),
        QT_TRANSLATE_NOOP("Headers", "Action"),
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
            what = OBJECT_LABELS.get(item.object_type or "", "")
            return f"{item.action_label} — {what}" if what else item.action_label
        try:
            return COMPARTMENT_LABELS[Compartment(item.compartment)]
        except ValueError:
            return ""
