"""Render resources/icons/relais.svg to the PNG sizes and the Windows .ico Relais ships.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Run it again after editing the SVG and commit the results (resources/icons/). Qt's own
QSvgRenderer (QtSvg, in PySide6-Essentials) draws them: no other tool needed. The .ico holds
the same PNG images (the format Windows has read since Vista).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"PNG {size} px: Qt could not write it")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICONDIR with one PNG-compressed entry per size (0 in a byte means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    offset = 6 + 16 * len(images)
    payload = b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        payload += png
    return header + entries + payload


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "relais.svg"))
    if not renderer.isValid():
        print("relais.svg: not a valid SVG for Qt", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in SIZES}
    for size, png in images.items():
        (ICONS / f"relais-{size}.png").write_bytes(png)
    (ICONS / "relais.ico").write_bytes(ico({s: images[s] for s in ICO_SIZES}))
    print(f"{len(images)} PNG and relais.ico written in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
