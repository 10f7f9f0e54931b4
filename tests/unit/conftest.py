"""Unit-test fixtures: the folders Relais writes to, gathered for the canary tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from app.services.kernel import logs


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every folder Relais writes to lives under ``tmp_path/relais``."""
    root = tmp_path / "relais"
    temp = root / "tmp"
    temp.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "donnees"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "etat"))  # the log folder (Linux)
    log = logs.configure()
    assert log is not None and root in log.parents
    yield root
    logs.configure(tmp_path / "ailleurs")  # detach the handler from this test's folder
