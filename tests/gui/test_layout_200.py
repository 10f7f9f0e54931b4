"""The layout holds at 200 % on a 1366×768 screen (issue 14).

The screenshot script's walk runs in a process of its own with ``QT_SCALE_FACTOR=2`` on an
offscreen screen of 1366×768 physical pixels (683×384 logical). At each screen, the window is
brought to the screen's size (never below its own minimum) and checked: no visible widget cut
by its parent, squeezed below its minimum size or overlapping a sibling of its layout
(``screen_checks.layout_problems``), and the window's minimum size fits the screen.

A page smaller than the window's screen may scroll downwards (``ResponsivePage``), never
sideways: rows wrap and splitters stack instead (``app.views.common.responsive``).
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
# Every main screen of the walk: the window's screens (login, search, each tab of the
# patient file, the agenda), the lists and dialogs reached from the main window (inbox,
# orientations, coordination) and the main dialogs (referral, booking, note conflict…).
MAIN_SCREENS = {
    "connexion": "03-connexion-demo",
    "erreur de connexion": "04-connexion-erreur",
    "recherche": "05-recherche",
    "dossier, administratif": "06-dossier-medecin-administratif",
    "dossier, médical": "07-dossier-medecin-medical",
    "éditeur de note": "08-dossier-brouillon",
    "conflit de note": "09-conflit-note",
    "verrouillage": "10-verrouillage",
    "doublon": "12-doublon",
    "dossier, secrétariat": "13-dossier-secretariat",
    "coordination": "14-coordination",
    "compte, erreurs": "16-compte-rpps-errone",
    "journal d'audit": "21-journal-audit",
    "archivage": "23-archivage",
    "dossier, documents": "24-dossier-documents",
    "aperçu PDF": "25-apercu-rapport-acces",
    "accès exceptionnel": "26-acces-exceptionnel",
    "dossier, accès exceptionnel": "27-acces-exceptionnel-onglet",
    "messages": "29-messages",
    "codes de secours": "31-codes-de-secours",
    "connexion avec code": "32-connexion-code",
    "dossier, consentements": "34-consentements",
    "orientation, saisie": "37-orientation-saisie",
    "orientations du dossier": "39-orientation-envoyee",
    "liste des orientations": "41-orientations",
    "orientation reçue": "42-orientation-recue",
    "clôture d'orientation": "43-cloture-retour",
    "orientation, secrétariat": "46-orientation-secretariat",
    "agenda": "47-agenda-jour-secretariat",
    "agenda, semaine": "48-agenda-semaine",
    "rendez-vous, créneau": "49-fixer-rendez-vous-creneau",
    "choix de créneau": "52-choix-creneau-orientation",
    "annulation de rendez-vous": "53-annulation-rendez-vous",
    "créneau libéré": "54-creneau-libere-candidats",
    "appels de la veille": "55-appels-de-la-veille",
    "permanences": "56-permanences",
    "permanence, erreurs": "58-permanence-erreurs",
    "agenda, assistante sociale": "57-agenda-assistante-sociale",
    "agenda, lecture seule": "59-agenda-medecin-lecture-seule",
    "dossier, rendez-vous": "60-dossier-rendez-vous",
    "dossier, suivi social": "62-suivi-social",
    "comptes, paramètres": "17-parametres",
    "double authentification": "30-double-authentification",
    "consentement, saisie": "33-consentement-saisie",
    "consultation sociale": "61-consultation-sociale",
    "comptes": "15-comptes",
    "dossier, soins à domicile": "63-soins-a-domicile",
}


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
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_main_screens_fit_683_logical_pixels_wide(screens):
    widths = {name: shown["minimum"][0] for name, shown in main(screens).items()}
    too_wide = {name: width for name, width in widths.items() if width > SCREEN[0]}
    where = {name: main(screens)[name]["too_wide"] for name in too_wide}
    assert too_wide == {}, where


def test_main_screens_fit_384_logical_pixels_high(screens):
    heights = {name: shown["minimum"][1] for name, shown in main(screens).items()}
    assert {name: height for name, height in heights.items() if height > SCREEN[1]} == {}


def test_main_screens_scroll_only_downwards(screens):
    """Scrolling is fine when the screen is smaller than a page, but a page wider than the
    window (a row that does not wrap, a splitter that does not stack) is not."""
    sideways = {name: shown["sideways"] for name, shown in main(screens).items()}
    assert {name: pages for name, pages in sideways.items() if pages} == {}
