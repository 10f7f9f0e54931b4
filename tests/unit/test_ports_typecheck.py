"""mypy proves that the real services satisfy every port the views declare.

The conformance module is generated from the Protocol classes found in every
``app/views/**/*ports.py`` (see ``tests/typecheck/conformance.py``), so a port added by any
feature is covered without touching this test. A second, deliberately wrong port module shows
that a diverging signature makes mypy fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.typecheck.conformance import (
    ROOT,
    container_attributes,
    discover,
    ports_modules,
    render,
)

# Only the generated modules are checked; what they import is analysed silently.
MYPY_CONFIG = """\
[mypy]
mypy_path = {path}
follow_imports = silent
ignore_missing_imports = True
warn_unused_configs = False
cache_dir = {cache}
"""

WRONG_PORTS = '''\
from __future__ import annotations

from typing import Protocol

from app.services.home_care.records import HomeCareRecord
from app.services.kernel.actor import Actor


class HomeCarePort(Protocol):
    """``patient_id`` is an int in the service: this port diverges."""

    def for_patient(self, actor: Actor, patient_id: str) -> list[HomeCareRecord]: ...


class DischargePort(Protocol):
    def plans_for(self, actor: Actor, patient_id: int, *, archived: bool) -> list: ...


class NowhereMappedPort(Protocol):
    def nothing(self) -> None: ...
'''
WRONG_MODULE = "relais_wrong_ports"


@pytest.fixture(scope="module")
def mypy_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One mypy run over the real conformance module and the wrong one."""
    folder = tmp_path_factory.mktemp("typecheck")
    attributes = container_attributes()
    real = folder / "conformance_real.py"
    real.write_text(render(discover(ports_modules(), attributes)), encoding="utf-8")
    (folder / f"{WRONG_MODULE}.py").write_text(WRONG_PORTS, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        wrong_ports = [p for p in discover([WRONG_MODULE], attributes) if p.attribute]
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(WRONG_MODULE, None)
    wrong = folder / "conformance_wrong.py"
    wrong.write_text(render(wrong_ports), encoding="utf-8")
    config = folder / "mypy.ini"
    config.write_text(
        MYPY_CONFIG.format(path=f"{ROOT}:{folder}", cache=folder / "cache"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), str(real), str(wrong)],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=600,
    )
    assert "error:" in result.stdout or result.returncode == 0, result.stdout + result.stderr
    return real, wrong, result.stdout


def test_every_port_maps_to_a_container_attribute() -> None:
    ports = discover(ports_modules(), container_attributes())
    assert ports, "no port found under app/views"
    modules = {p.module for p in ports}
    assert {"app.views.home_care.ports", "app.views.social.ports", "app.views.admin.ports"} <= (
        modules
    )
    unmapped = [f"{p.module}.{p.name}" for p in ports if p.attribute is None]
    assert not unmapped, f"map these ports in tests/typecheck/conformance.py: {unmapped}"


def test_an_unknown_port_is_reported_unmapped(tmp_path: Path) -> None:
    (tmp_path / "relais_unmapped_ports.py").write_text(WRONG_PORTS, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        ports = discover(["relais_unmapped_ports"], container_attributes())
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("relais_unmapped_ports", None)
    by_name = {p.name: p.attribute for p in ports}
    assert by_name == {
        "HomeCarePort": "home_care",
        "DischargePort": "discharge",
        "NowhereMappedPort": None,
    }


def test_the_real_services_satisfy_every_port(mypy_run: tuple[Path, Path, str]) -> None:
    real, _wrong, output = mypy_run
    errors = [line for line in output.splitlines() if line.startswith(f"{real.name}:")]
    assert not errors, "\n".join(errors)
    assert "ServicesPort" in real.read_text(encoding="utf-8")


def test_a_diverging_signature_fails(mypy_run: tuple[Path, Path, str]) -> None:
    _real, wrong, output = mypy_run
    errors = [
        line
        for line in output.splitlines()
        if line.startswith(f"{wrong.name}:") and ": error:" in line
    ]
    assert len(errors) == 2, output
    assert any('"HomeCareService"' in e and '"HomeCarePort"' in e for e in errors), output
    assert any('"DischargeService"' in e and '"DischargePort"' in e for e in errors), output
