"""Packaging: the desktop entry and the AppStream metainfo validate, the icons have their
sizes, the version has one source, and CI builds and checks the bundle (packaging/)."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest

from app import __version__
from app.resources import APP_ID, ICON_SIZES
from app.services.kernel import pdf

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
DESKTOP = LINUX / f"{APP_ID}.desktop"
ICONS = ROOT / "resources" / "icons"
IN_CI = os.environ.get("CI") == "true"


def tool(name: str, package: str) -> str:
    """The tool's path; outside CI a missing tool skips (with the reason), in CI it fails."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (Debian package {package}; .ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_metainfo_validates_with_appstreamcli():
    appstreamcli = tool("appstreamcli", "appstream")
    done = subprocess.run(
        [appstreamcli, "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"^[EW]:", done.stdout, re.MULTILINE), done.stdout


def test_desktop_entry_validates():
    validate = tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout


def test_desktop_entry_and_metainfo_agree():
    entry = dict(
        line.split("=", 1)
        for line in DESKTOP.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert entry["Exec"] == "relais" and entry["Icon"] == APP_ID and entry["Terminal"] == "false"
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert {b.text for b in root.iter("binary")} == {"relais", "relais-admin"}


def test_the_metainfo_release_is_the_one_version():
    root = ET.parse(METAINFO).getroot()
    latest = root.find("releases/release")
    assert latest is not None and latest.get("version") == __version__
    assert datetime.strptime(latest.get("date", ""), "%Y-%m-%d").replace(tzinfo=UTC)


def test_one_version_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "app.__version__"}
    assert installed_version("relais-msp") == __version__
    iss = (ROOT / "packaging" / "windows" / "relais.iss").read_text(encoding="utf-8-sig")
    assert "AppVersion={#AppVersion}" in iss and __version__ not in iss


def test_pdf_metadata_carries_the_version():
    pypdf = pytest.importorskip("pypdf")
    meta = pdf.DocumentMeta(
        "Essai",
        "2026-0001",
        "Dr Essai",
        datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        pdf.Letterhead("MSP"),
    )
    data = pdf.render(meta, [pdf.text("Bonjour")])
    info = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert info.creator == f"Relais {__version__}"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_icons_in_every_size():
    ET.parse(ICONS / "relais.svg")  # well-formed
    for size in ICON_SIZES:
        assert _png_size(ICONS / f"relais-{size}.png") == (size, size)
    ico = (ICONS / "relais.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count == len(ICON_SIZES)
    sides = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert sides == set(ICON_SIZES)


def test_ci_builds_and_checks_the_bundle():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("appstream", "desktop-file-utils", "xvfb", "xauth", "binutils"):
        assert re.search(rf"packages\+=\(.*\b{package}\b", script), package
    assert "xvfb-run -a .venv/bin/relais --demo --self-test --platform xcb" in script
    assert "pyinstaller" in script and "packaging/relais.spec" in script
    assert "packaging/check_bundle.py dist/relais --xvfb" in script
    spec = (ROOT / "packaging" / "relais.spec").read_text(encoding="utf-8")
    for needed in ("resources", "keyring", "psycopg", "migrations", "holidays", "_fr."):
        assert needed in spec
