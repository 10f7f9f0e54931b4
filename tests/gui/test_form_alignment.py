"""Boxes of a form stacked one below the other start their fields at the same place, so the
eye runs down one column: the social assessment (eight sections), the administrative tab
(« Coordonnées » above « Suivi »), the home-care request and the discharge plan. Date fields
are as wide as a date, not as the dialog."""

from __future__ import annotations

from collections import defaultdict

import pytest
from gui_helpers import login, settle
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDateEdit, QFormLayout, QGroupBox, QWidget

from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB

pytestmark = pytest.mark.gui
LABEL, FIELD = QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole


def field_columns(root: QWidget) -> dict[int, set[int]]:
    """For each column of boxes (the boxes' left edge in ``root``), where the fields of their
    forms start: one place per column when they are aligned."""
    columns: dict[int, set[int]] = defaultdict(set)
    for box in root.findChildren(QGroupBox):
        form = box.layout()
        if not isinstance(form, QFormLayout) or not box.isVisibleTo(root):
            continue
        left = box.mapTo(root, QPoint(0, 0)).x()
        for row in range(form.rowCount()):
            label, field = form.itemAt(row, LABEL), form.itemAt(row, FIELD)
            if label is None or label.widget() is None or field is None:
                continue
            columns[left].add(field.geometry().left() + box.mapTo(root, QPoint(0, 0)).x())
    return dict(columns)


def assert_aligned(root: QWidget, boxes: int) -> None:
    columns = field_columns(root)
    stacked = {left: places for left, places in columns.items() if places}
    assert sum(1 for box in root.findChildren(QGroupBox) if box.isVisibleTo(root)) >= boxes
    assert all(len(places) == 1 for places in stacked.values()), stacked


def test_assessment_sections_align_their_fields(qtbot, window, make_patient, passwords):
    patient = make_patient("Lenoir", "Marie", sex="F")
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    settle(qtbot, file)
    form = file.social_tab.screen_widget.form
    qtbot.waitUntil(lambda: form.isVisible())
    assert_aligned(form, boxes=5)


def test_administrative_tab_aligns_contact_and_follow_up(qtbot, window, make_patient, passwords):
    patient = make_patient("Lenoir", "Marie", sex="F")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.select_tab("administrative")
    settle(qtbot, file)
    tab = file.tabs.currentWidget()
    qtbot.waitUntil(lambda: tab.isVisible())
    assert_aligned(tab, boxes=3)


@pytest.mark.parametrize("button", ["new_request_button", "new_plan_button"])
def test_home_care_dialogs_align_their_fields(qtbot, window, team, make_patient, passwords, button):
    patient = make_patient("Lemoine", "Odette", sex="F", city="Rouen", postal_code="76000")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.select_tab("home_care")
    tab = file.home_care_tab
    getattr(tab, button).click()
    dialog = tab.dialog
    assert dialog is not None
    settle(qtbot, dialog)
    qtbot.waitExposed(dialog)
    assert_aligned(dialog, boxes=3)
    dates = [d for d in dialog.findChildren(QDateEdit) if d.isVisibleTo(dialog)]
    assert dates
    for date in dates:  # as wide as a date, not stretched across the dialog
        assert date.width() <= date.sizeHint().width() + 2, date.objectName()
    dialog.reject()
