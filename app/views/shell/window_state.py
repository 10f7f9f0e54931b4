"""The main window's geometry and its splitters' positions, remembered per workstation.

Kept in the workstation's ``QSettings`` (the real application's, given by ``Startup``; tests
give one on a temporary file). Splitters are found as the screens open, restored once, and
saved whenever the user moves them.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

GEOMETRY_KEY = "window/geometry"
SPLITTER_GROUP = "splitters"
WATCHED = "relaisStateWatched"


def splitter_key(splitter: QSplitter) -> str:
    """A name stable across runs: the object names of its ancestors and its own position."""
    parts: list[str] = []
    widget: QWidget | None = splitter
    while widget is not None:
        name = widget.objectName()
        if name:
            parts.append(name)
        if isinstance(widget, QMainWindow):
            break
        widget = widget.parentWidget()
    parent = splitter.parentWidget()
    index = parent.findChildren(QSplitter).index(splitter) if parent is not None else 0
    return "/".join([*reversed(parts), str(index)]).replace("/", "-")


class WindowState:
    def __init__(self, settings: QSettings | None) -> None:
        self._settings = settings

    @property
    def enabled(self) -> bool:
        return self._settings is not None

    def restore_geometry(self, window: QMainWindow) -> bool:
        if self._settings is None:
            return False
        value = self._settings.value(GEOMETRY_KEY)
        return isinstance(value, QByteArray) and window.restoreGeometry(value)

    def save_geometry(self, window: QMainWindow) -> None:
        if self._settings is not None:
            self._settings.setValue(GEOMETRY_KEY, window.saveGeometry())
            self._settings.sync()

    def watch(self, root: QWidget) -> None:
        """Restore the splitters under ``root`` seen for the first time; save their moves."""
        if self._settings is None:
            return
        for splitter in root.findChildren(QSplitter):
            if splitter.property(WATCHED):
                continue
            splitter.setProperty(WATCHED, True)
            key = f"{SPLITTER_GROUP}/{splitter_key(splitter)}"
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
            splitter.splitterMoved.connect(
                lambda _pos, _index, s=splitter, k=key: self._save_splitter(s, k)
            )

    def _save_splitter(self, splitter: QSplitter, key: str) -> None:
        if self._settings is not None:
            self._settings.setValue(key, splitter.saveState())
