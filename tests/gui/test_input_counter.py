"""The walkthrough counter counts what a person does, once per press."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from tests.gui.input_counter import InputCounter


def test_counts_clicks_keys_and_typed_text_as_one_action(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    edit, button = QLineEdit(), QPushButton("OK")
    layout.addWidget(edit)
    layout.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    with InputCounter() as counter:
        qtbot.keyClicks(edit, "Dupont")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert counter.counts.keys == 8
    assert counter.counts.clicks == 1
    # « Dupont » (1) + Tab (1) + the click (1) + Ctrl+A (1)
    assert counter.counts.actions == 4


def test_a_key_ignored_by_a_child_and_seen_by_its_parent_counts_once(qtbot):
    window = QWidget()
    child = QPushButton("x", window)
    qtbot.addWidget(window)
    window.show()
    with InputCounter() as counter:
        qtbot.keyClick(child, Qt.Key.Key_F5)  # a button ignores F5: it goes up to the window
    assert counter.counts.keys == 1


def test_a_key_taken_by_a_mnemonic_counts_once(qtbot):
    """Alt+E never arrives as a key press (the button's mnemonic takes it): still one key."""
    from PySide6.QtWidgets import QApplication

    window = QWidget()
    layout = QVBoxLayout(window)
    edit, button = QLineEdit(), QPushButton("&Envoyer")
    layout.addWidget(edit)
    layout.addWidget(button)
    clicked: list[bool] = []
    button.clicked.connect(lambda: clicked.append(True))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    edit.setFocus()
    with InputCounter() as counter:
        qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(edit, "ab")
    qtbot.waitUntil(lambda: clicked == [True])
    assert counter.counts.keys == 3
    assert counter.counts.actions == 2  # Alt+E, then « ab »
