"""The keystroke shapes ``benchmarks/bench_search.py`` breaks the search's times down by (what
the search's work depends on): each keystroke of a typed name, date or NIR in its shape."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_search import shape


@pytest.mark.parametrize(
    ("keystroke", "expected"),
    [
        ("r", "un mot de 1 ou 2 lettres"),
        ("Ro", "un mot de 1 ou 2 lettres"),
        ("Roc", "un mot plus long"),
        ("Bénard-L", "plusieurs mots"),
        ("Théry Hélène", "plusieurs mots"),
        ("Le B", "plusieurs mots"),
        ("12", "date ou NIR partiel"),
        ("12/03/19", "date ou NIR partiel"),
        ("12/03/1960", "date de naissance"),
        ("1850", "date ou NIR partiel"),
        ("18503", "NIR"),
        ("1 85 03 75", "NIR"),
    ],
)
def test_each_keystroke_has_its_shape(keystroke, expected):
    assert shape(keystroke) == expected
