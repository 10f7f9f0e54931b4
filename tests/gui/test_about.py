"""« À propos de Relais »: the one version number, reachable by F1 and from « Mon compte »."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import login
from PySide6.QtCore import Qt

from app import __version__
from app.views.common.app_icon import app_icon
from app.views.shell.about_dialog import AboutDialog

pytestmark = pytest.mark.gui


def test_f1_opens_about_with_the_version_from_the_login_screen(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible())
    dialog = window.about_dialog
    assert dialog.windowTitle() == "À propos de Relais"
    assert dialog.version.text() == f"Version {__version__}"
    assert "Python" in dialog.technical.text() and "Qt" in dialog.technical.text()
    window.open_about()  # once only
    assert window.about_dialog is dialog
    dialog.close()
    qtbot.waitUntil(lambda: window.about_dialog is None)


def test_about_from_the_account_menu(qtbot, make_window, team, passwords):
    window = make_window(log_folder=Path("/journaux/relais"))
    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    assert workspace.about_action.text() == "À propos de Relais…"
    workspace.about_action.trigger()
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible())
    assert "Journal de diagnostic : /journaux/relais" in window.about_dialog.technical.text()
    window.about_dialog.close()


def test_the_application_icon_has_every_size(qtbot):
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.findChild(type(dialog.version), "aboutVersion") is dialog.version
