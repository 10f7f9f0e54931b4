"""The window's icons: Tabler's outline set (MIT), shipped in ``resources/icons/tabler/``.

``icon("lock")`` gives a cached ``QIcon`` by the SVG's name. The SVGs are drawn with
``QSvgRenderer`` at the usual sizes (no image-format plugin needed, in a checkout as in the
PyInstaller bundle, which ships ``resources/`` beside ``app``). An unknown name gives an empty
icon rather than an error: an icon is never the only way to tell what an action does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.resources import RESOURCES

ICON_FOLDER = RESOURCES / "icons" / "tabler"
SIZES = (16, 20, 24, 32, 48)


def icon_path(name: str) -> Path:
    return ICON_FOLDER / f"{name}.svg"


def available() -> list[str]:
    """The names of the shipped icons."""
    return sorted(p.stem for p in ICON_FOLDER.glob("*.svg"))


@cache
def icon(name: str) -> QIcon:
    """The icon ``name`` (e.g. ``"printer"``), drawn once at each size and kept."""
    path = icon_path(name)
    renderer = QSvgRenderer(str(path)) if path.exists() else None
    result = QIcon()
    if renderer is None or not renderer.isValid():
        return result
    for size in SIZES:
        for ratio in (1, 2):
            pixmap = QPixmap(size * ratio, size * ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            result.addPixmap(pixmap)
    return result
