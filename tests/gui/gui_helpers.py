"""Helpers to drive the GUI in tests (imported by the test modules of this folder)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.views.common.tasks import runner_of
from app.views.shell.main_window import MainWindow
from app.views.shell.workspace import Workspace


def login(qtbot, window: MainWindow, username: str, password: str) -> Workspace:
    """Log in through the login screen, as a user would."""
    assert window.stack.currentWidget() is window.login
    window.login.username.clear()
    qtbot.keyClicks(window.login.username, username)
    window.login.password.clear()
    qtbot.keyClicks(window.login.password, password)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is not None and window.current.isVisible())
    # The workspace reads its counts in the background: wait for them, as the eye would.
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    assert window.current is not None
    return window.current


def visible_texts(root: QWidget) -> str:
    """Every text a user could read in ``root`` and in all visible top-level windows."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    chunks: list[str] = []
    roots = [root, *[w for w in QApplication.topLevelWidgets() if w.isVisible()]]
    for top in roots:
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                chunks.append(widget.text())
            elif isinstance(widget, QPlainTextEdit | QTextEdit):
                chunks.append(widget.toPlainText())
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                for row in range(model.rowCount()):
                    for column in range(model.columnCount()):
                        value = model.data(model.index(row, column))
                        if value is not None:
                            chunks.append(str(value))
        chunks.append(top.windowTitle())
    return "\n".join(chunks)


def click_and_wait(button) -> None:
    """Click, then let the window's task runner finish what the click started (the password
    is hashed there, off the UI thread) and deliver its outcome."""
    button.click()
    runner = runner_of(button)
    if runner is not None:
        runner.wait()


def event_loop_turns(qtbot) -> None:
    """Wait until the UI thread's event loop has turned a few times (it is not blocked)."""
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=30000)
    finally:
        timer.stop()


def settle(qtbot, widget) -> None:
    """Let the window's task runner finish what the last action started (service calls from
    slots run there) and deliver the outcomes, as the eye waits for a list to fill."""
    runner = runner_of(widget)
    if runner is not None:
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
