"""The width of a professional's own day (with « Motif ») beside the side panel: the reason is
the column that gives way, and the day takes from the side panel what its other columns need
not to scroll sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView

from app.views.agenda.scheduling_model import DayModel

# The least width of « Motif » before the day takes room from the side panel.
REASON_LEAST_WIDTH = 160


def columns_width(table: QTableView, *, leaving_out: int = -1) -> int:
    """What ``table``'s shown columns need side by side (their contents or their title,
    whichever is wider), but for column ``leaving_out``."""
    header = table.horizontalHeader()
    return sum(
        max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
        for c in range(header.count())
        if c != leaving_out and not table.isColumnHidden(c)
    )


def stretch_reason(table: QTableView, model: DayModel) -> None:
    """« Motif », when shown, takes the width left, cut short with the whole reason in its
    tooltip (``DayModel.tooltip``); without it, the patient's name does."""
    header = table.horizontalHeader()
    stretched = DayModel.REASON if model.show_reason else DayModel.PATIENT
    for kind in (DayModel.PATIENT, DayModel.REASON):
        column = model.column_of(kind)
        if column >= 0:
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if kind == stretched
                else QHeaderView.ResizeMode.ResizeToContents,
            )


def widen_day(splitter: QSplitter, table: QTableView, model: DayModel, side_least: int) -> bool:
    """Give the day (the splitter's first part) what its columns and the least of « Motif »
    need, taking it from the side panel down to ``side_least``. False when there is nothing
    to measure yet: a day without a line, or a window so narrow that the side panel is below
    the day (``stack_when_narrow``)."""
    sizes = splitter.sizes()
    horizontal = splitter.orientation() == Qt.Orientation.Horizontal
    if not horizontal or len(sizes) != 2 or not model.rowCount():
        return False
    columns = columns_width(table, leaving_out=model.column_of(DayModel.REASON))
    chrome = sizes[0] - table.viewport().width()  # frame, scroll bar, margins
    give = min(columns + REASON_LEAST_WIDTH + chrome - sizes[0], sizes[1] - side_least)
    if give > 0:
        splitter.setSizes([sizes[0] + give, sizes[1] - give])
    return True
