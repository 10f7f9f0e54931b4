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


def shown(qtbot, dialog):
    """``dialog`` once on screen and done with its background work."""
    assert dialog is not None
    qtbot.waitExposed(dialog)
    settle(qtbot, dialog)
    return dialog


def assert_compact(widgets) -> None:
    """As wide as what they hold (a date, a number), not stretched across the form."""
    assert widgets
    for widget in widgets:
        assert widget.width() <= widget.sizeHint().width() + 2, widget.objectName()


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
    dialog = shown(qtbot, tab.dialog)
    assert_aligned(dialog, forms=3)
    assert_compact([d for d in dialog.findChildren(QDateEdit) if d.isVisibleTo(dialog)])
    dialog.reject()


def _partners(window, coord):
    coord.open_partners()
    return coord.partners_dialog


def _settings(window, coord):
    window.open_settings()
    return window.settings_dialog


# The partners directory (the partner above its contact) and the settings (three boxes).
@pytest.mark.parametrize(("open_dialog", "forms"), [(_partners, 2), (_settings, 3)])
def test_coordination_dialogs_align_their_boxes(qtbot, window, passwords, open_dialog, forms):
    coord = login(qtbot, window, "coord", passwords("coord"))
    dialog = shown(qtbot, open_dialog(window, coord))
    assert_aligned(dialog, forms=forms)
    if open_dialog is _settings:
        assert_compact([dialog.session_hours, dialog.retention_years, dialog.backup_keep])
    dialog.reject()


def test_setup_wizard_aligns_clinic_and_first_account(qtbot, services):
    wizard = SetupDialog(services.clinic, services.documents)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert_aligned(wizard, forms=2)
