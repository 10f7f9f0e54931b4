"""The layout holds at 200 % on a 1366×768 screen (issue 14).

The screenshot script's walk runs in a process of its own with ``QT_SCALE_FACTOR=2`` on an
offscreen screen of 1366×768 physical pixels (683×384 logical). At each screen, the window is
brought to the screen's size (never below its own minimum) and checked: no visible widget cut
by its parent, squeezed below its minimum size or overlapping a sibling of its layout
(``screen_checks.layout_problems``), and the window's minimum size fits the screen.

What does not hold yet is listed below, with why, for the owners of those screens: the test
fails as soon as a listed screen fits (remove it from the list) or another one stops fitting.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gui.screen_checks import run_tour

SCREEN = (683, 384)  # 1366×768 at 200 %
SCREENS_FILE = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ]
}
MAIN_SCREENS = {
    "connexion": "03-connexion-demo",
    "recherche": "05-recherche",
    "dossier": "07-dossier-medecin-medical",
    "agenda": "47-agenda-jour-secretariat",
    "orientations du dossier": "39-orientation-envoyee",
    "liste des orientations": "41-orientations",
    "messages": "29-messages",
}
# Minimum width above 683 px today. The workspace's header (one row of about ten buttons:
# Messages, Orientations, Agenda, Annuaire, Mon compte, Verrouiller, Changer d'utilisateur,
# Se déconnecter…) alone needs 1,172 px for a GP, 1,274 for the coordinator; the patient
# file's tab pages need 685 px, the agenda's splitter 856 px.
KNOWN_TOO_WIDE = {"recherche", "dossier", "agenda", "orientations du dossier"}
# Minimum height above 384 px today (the window under the header, the file's tabs).
KNOWN_TOO_TALL = {
    "connexion",
    "recherche",
    "dossier",
    "agenda",
    "orientations du dossier",
    "liste des orientations",
}
# Squeezed today: the splitter of « Orientations » (the list above, the detail below) gets
# less than its minimum height when the dialog is at its own minimum size.
# The file's « Orientations » tab is too tall (above): its referral detail's history gets less
# than its minimum height.
KNOWN_PROBLEMS = {"liste des orientations", "orientations du dossier"}


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("layout200")
    config = folder / "screens.json"
    config.write_text(json.dumps(SCREENS_FILE), encoding="utf-8")
    found = run_tour(
        "layout",
        folder / "layout.json",
        QT_SCALE_FACTOR="2",
        QT_QPA_PLATFORM=f"offscreen:configfile={Path(config)}",
    )
    return {name: shown for name, shown in found.items() if not name.startswith("_")}


def main(screens: dict[str, dict]) -> dict[str, dict]:
    missing = [file for file in MAIN_SCREENS.values() if file not in screens]
    assert not missing, f"the walk did not reach {missing}"
    return {name: screens[file] for name, file in MAIN_SCREENS.items()}


def test_the_walk_runs_at_200_percent_on_a_1366x768_screen(screens):
    assert len(screens) >= 60
    assert {tuple(found["screen"]) for found in screens.values()} == {SCREEN}


def test_main_screens_have_no_cut_squeezed_or_overlapping_widget(screens):
    found = {name: shown["problems"] for name, shown in main(screens).items()}
    with_problems = {name for name, problems in found.items() if problems}
    details = {name: found[name] for name in with_problems ^ KNOWN_PROBLEMS}
    assert with_problems == KNOWN_PROBLEMS, details


def test_main_screens_fit_683_logical_pixels_wide(screens):
    widths = {name: shown["minimum"][0] for name, shown in main(screens).items()}
    too_wide = {name for name, width in widths.items() if width > SCREEN[0]}
    where = {name: main(screens)[name]["too_wide"] for name in too_wide ^ KNOWN_TOO_WIDE}
    assert too_wide == KNOWN_TOO_WIDE, (widths, where)


def test_main_screens_fit_384_logical_pixels_high(screens):
    heights = {name: shown["minimum"][1] for name, shown in main(screens).items()}
    too_tall = {name for name, height in heights.items() if height > SCREEN[1]}
    assert too_tall == KNOWN_TOO_TALL, heights
