"""Every input of every screen and dialog has an accessible name or a buddy label, and every
icon-only button a name or a tooltip (issue 14), with the application's rules installed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from app.views.common.accessibility import install_accessibility, uninstall_accessibility
from tests.gui.screen_checks import run_tour, unnamed_icon_buttons, unnamed_inputs

# The screenshot script's walk: at least this many screens (a broken walk must not pass).
TOUR_SCREENS = 60


@pytest.fixture
def rules(qapp) -> Iterator[None]:
    install_accessibility(qapp)
    yield
    uninstall_accessibility(qapp)


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> dict[str, dict]:
    return run_tour("names", tmp_path_factory.mktemp("names") / "names.json")


def test_every_screen_of_the_tour_names_its_inputs(screens):
    shown = {name: found for name, found in screens.items() if not name.startswith("_")}
    assert len(shown) >= TOUR_SCREENS, sorted(shown)
    missing = {
        name: found for name, found in shown.items() if found["inputs"] or found["icon_buttons"]
    }
    assert missing == {}


def test_every_screen_of_the_tour_lines_up_its_forms(screens):
    """Forms in boxes one below the other start their fields at the same place: the eye (and
    a screen magnifier following the focus) runs down one column."""
    shown = {name: found for name, found in screens.items() if not name.startswith("_")}
    assert {name: f["misaligned_forms"] for name, f in shown.items() if f["misaligned_forms"]} == {}


def test_no_widget_is_shown_before_it_has_a_parent(screens):
    """A widget shown while it has no parent is a window of its own for a moment, which takes
    the activation from the main window (the keyboard focus is lost: see
    test_keyboard_walkthrough): give it its parent when it is created."""
    assert screens["_stray_windows"]["windows"] == []


def dialogs(services, team, settings: QSettings) -> dict[str, Callable[[], QDialog]]:
    """Dialogs the screenshot walk does not open, built as their screens build them."""
    from app.views.agenda.agenda_actions import CancelAppointmentDialog, NoShowDialog
    from app.views.common.language import LanguageDialog
    from app.views.patient_file.documents_tab import ExportPasswordDialog
    from app.views.referrals.referral_actions import (
        BookDialog,
        CancelDialog,
        CloseDialog,
        FeedbackDialog,
        ReorientDialog,
    )
    from app.views.shell.about_dialog import AboutDialog
    from app.views.shell.connection_dialog import ConnectionDialog
    from app.views.shell.password_dialog import ChangePasswordDialog

    return {
        "about": AboutDialog,
        "language": LanguageDialog,
        "export password": lambda: ExportPasswordDialog("DUPRÉ Jean"),
        "change password": lambda: ChangePasswordDialog(services.accounts, team.gp, forced=True),
        "book (referral)": lambda: BookDialog(now=datetime(2026, 7, 1, 7, 30, tzinfo=UTC)),
        "close referral": CloseDialog,
        "feedback": FeedbackDialog,
        "cancel referral": CancelDialog,
        "reorient": lambda: ReorientDialog(services.partners.list(team.social_worker)),
        "cancel appointment": CancelAppointmentDialog,
        "no show": NoShowDialog,
        "connection": lambda: ConnectionDialog(connect=lambda _s, _p: None, qsettings=settings),
    }


def test_other_dialogs_name_their_inputs(qtbot, rules, services, team, tmp_path):
    settings = QSettings(str(tmp_path / "relais.ini"), QSettings.Format.IniFormat)
    missing: dict[str, list[str]] = {}
    for name, make in dialogs(services, team, settings).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems = unnamed_inputs(dialog) + unnamed_icon_buttons(dialog)
        if problems:
            missing[name] = problems
        dialog.close()
    assert missing == {}
