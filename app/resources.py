"""Where Relais finds the files it ships (fonts, icons), from a checkout and in the bundle.

The ``resources/`` folder sits beside the ``app`` package: at the root of a checkout, and in
the PyInstaller bundle's ``_internal/`` folder (packaging/relais.spec puts it there).
"""

from __future__ import annotations

from pathlib import Path

# The desktop entry, the AppStream metainfo and the icon's name (packaging/linux/).
APP_ID = "fr.relais_msp.Relais"
RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_files() -> list[Path]:
    """The application's icon in every size shipped (PNG), smallest first."""
    folder = RESOURCES / "icons"
    return [p for p in (folder / f"relais-{s}.png" for s in ICON_SIZES) if p.exists()]


def font_file(name: str = "DejaVuSans.ttf") -> Path:
    return RESOURCES / "fonts" / name
