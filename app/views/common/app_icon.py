"""The application's icon (every window's, and the task bar's)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.resources import icon_files


def app_icon() -> QIcon:
    """Relais's icon from resources/icons (an empty icon if the files are missing)."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon
