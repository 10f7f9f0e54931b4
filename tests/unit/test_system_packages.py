"""The system packages a fresh machine needs are listed once (packaging/debian-packages.txt):
the README's quick start names exactly those, and .ci/run installs them from that file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def listed() -> list[str]:
    text = (ROOT / "packaging" / "debian-packages.txt").read_text(encoding="utf-8")
    return [p for line in text.splitlines() for p in line.split("#", 1)[0].split()]


def test_the_readme_installs_exactly_the_listed_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [command] = re.findall(r"`sudo apt-get install ([^`]+)`", readme)
    named = [word for word in command.split() if not word.startswith("-")]
    assert named == listed()


def test_the_list_covers_qt_for_x11_and_offscreen():
    packages = set(listed())
    # The xcb platform plugin's libraries that a minimal Debian lacks (Qt >= 6.5).
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0"} <= packages
    assert {"libegl1", "libfontconfig1", "fonts-dejavu-core", "python3-venv"} <= packages
    assert len(packages) == len(listed())  # no duplicates


def test_ci_installs_from_the_same_file():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "packaging/debian-packages.txt" in script
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in (
        script
    )
