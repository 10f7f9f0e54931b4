"""Helpers of the canary tests: find a marker in the files Relais writes."""

from __future__ import annotations

from pathlib import Path


def encodings(marker: str) -> list[bytes]:
    return [marker.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def hits(root: Path, marker: str) -> list[str]:
    """The files under ``root`` holding ``marker`` (UTF-8 or UTF-16)."""
    needles = encodings(marker)
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path.relative_to(root)))
    return found
