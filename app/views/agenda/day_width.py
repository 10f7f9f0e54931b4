"""The width of a professional's own day (with « Motif ») beside the side panel: the reason is
the column that gives way (:func:`stretch_reason`), and the day takes from the side panel what
its other columns need not to scroll sideways (``responsive.widen_first_pane`` with
``REASON_LEAST_WIDTH`` of room)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

from app.views.agenda.scheduling_model import DayModel

# The least width of « Motif » before the day takes room from the side panel.
REASON_LEAST_WIDTH = 160


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
