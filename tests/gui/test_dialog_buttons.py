"""The common dialog rows: French texts with mnemonics, Échap cancels, the confirm button is
the default one and is left to the dialog (validate, then accept)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.views.common.buttons import DialogButtons

pytestmark = pytest.mark.gui


def test_ok_and_cancel(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = DialogButtons(dialog, "&Enregistrer", ok_name="saveThing")
    assert buttons.ok is not None and buttons.cancel is not None and buttons.close_button is None
    assert buttons.ok.text() == "&Enregistrer" and buttons.ok.objectName() == "saveThing"
    assert buttons.cancel.text() == "&Annuler"
    assert buttons.ok.isDefault() and not buttons.cancel.autoDefault()
    dialog.show()
    # The confirm button does not close the dialog by itself: the dialog validates first.
    buttons.ok.click()
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_close_only(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = DialogButtons(dialog, close=True)
    assert buttons.ok is None and buttons.cancel is None
    assert buttons.close_button is not None and buttons.close_button.text() == "&Fermer"
    dialog.show()
    buttons.close_button.click()
    assert not dialog.isVisible()
