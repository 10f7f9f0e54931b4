"""Boxes of a form stacked one below the other start their fields at the same place, so the
eye runs down one column: the social assessment (eight sections), the administrative tab
(« Coordonnées » above « Suivi »), the home-care request and the discharge plan. Date fields
are as wide as a date, not as the dialog."""

from __future__ import annotations

import pytest
from gui_helpers import login, settle
from PySide6.QtWidgets import QDateEdit, QFormLayout, QWidget

from app.views.shell.setup_wizard import SetupDialog
from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB
from tests.gui.screen_checks import misaligned_forms

pytestmark = pytest.mark.gui


def assert_aligned(root: QWidget, forms: int) -> None:
    shown = [f for f in root.findChildren(QFormLayout) if f.parentWidget().isVisibleTo(root)]
    assert len(shown) >= forms, len(shown)
    assert misaligned_forms(root.window()) == []


def test_assessment_sections_align_their_fields(qtbot, window, make_patient, passwords):
    patient = make_patient("Lenoir", "Marie", sex="F")
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    settle(qtbot, file)
    form = file.social_tab.screen_widget.form
    qtbot.waitUntil(lambda: form.isVisible())
    assert_aligned(form, forms=5)


def test_administrative_tab_aligns_contact_and_follow_up(qtbot, window, make_patient, passwords):
    patient = make_patient("Lenoir", "Marie", sex="F")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.select_tab("administrative")
    settle(qtbot, file)
    tab = file.tabs.currentWidget()
    qtbot.waitUntil(lambda: tab.isVisible())
    assert_aligned(tab, forms=3)


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
    assert_aligned(dialog, forms=3)
    dates = [d for d in dialog.findChildren(QDateEdit) if d.isVisibleTo(dialog)]
    assert dates
    for date in dates:  # as wide as a date, not stretched across the dialog
        assert date.width() <= date.sizeHint().width() + 2, date.objectName()
    dialog.reject()


def test_partners_directory_aligns_the_partner_and_its_contact(qtbot, window, passwords):
    coord = login(qtbot, window, "coord", passwords("coord"))
    coord.open_partners()
    dialog = coord.partners_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    settle(qtbot, dialog)
    assert_aligned(dialog, forms=2)
    dialog.reject()


def test_settings_align_their_three_boxes(qtbot, window, passwords):
    coord = login(qtbot, window, "coord", passwords("coord"))
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert_aligned(dialog, forms=3)
    for spin in (dialog.session_hours, dialog.retention_years, dialog.backup_keep):
        assert spin.width() <= spin.sizeHint().width() + 2, spin.objectName()
    dialog.reject()
    assert coord is not None


def test_setup_wizard_aligns_clinic_and_first_account(qtbot, services):
    wizard = SetupDialog(services.clinic, services.documents)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert_aligned(wizard, forms=2)
