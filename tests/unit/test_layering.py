"""The import-linter contracts of pyproject.toml are all kept (and really can break)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_the_layering_contracts_exist():
    contracts = {c["name"]: c for c in _contracts()}
    qt = contracts["Models and services never import Qt or views"]
    assert set(qt["source_modules"]) == {"app.models", "app.services"}
    assert {"PySide6", "app.views"} <= set(qt["forbidden_modules"])
    views = contracts["Views never import SQLAlchemy"]
    assert views["source_modules"] == ["app.views"]
    assert "sqlalchemy" in views["forbidden_modules"]


BASIC = {
    "Models and services never import Qt or views",
    "Views never import SQLAlchemy",
    "Models know nothing of services",
}


def test_the_feature_contracts_exist():
    """Features depend on kernel, security and audit; internals stay inside their feature;
    relais-admin has no import cycle (issue 11)."""
    contracts = {c["name"]: c for c in _contracts()}
    layers = contracts["Service features are layered, the kernel at the bottom"]
    assert layers["type"] == "layers" and layers["layers"][-1] == "kernel"
    internal = contracts["A feature's internal modules are used by that feature only"]
    assert "app.services.scheduling.base" in internal["protected_modules"]
    below = contracts["The kernel, security and audit know nothing of the features"]
    assert "app.services.kernel" in below["source_modules"]
    assert contracts["relais-admin's modules import one another without cycles"]["ancestors"] == [
        "app.admin"
    ]


def test_every_contract_is_kept():
    result = _run(ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    match = re.search(r"Contracts: (\d+) kept, (\d+) broken", output)
    assert match, output
    assert (int(match[1]), int(match[2])) == (len(_contracts()), 0)
    for contract in _contracts():
        assert f"{contract['name']} KEPT" in output


def test_a_broken_contract_is_reported(tmp_path):
    """The same contracts on a small package that breaks them: the linter says so."""
    package = tmp_path / "fakeapp"
    for sub, body in {
        "": "",
        "models": "",
        "services": "import fakeapp.views.window\n",
        "views": "",
    }.items():
        folder = package / sub
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(body)
    (package / "views" / "window.py").write_text("import sqlalchemy\n")
    lines = ["[tool.importlinter]", 'root_package = "fakeapp"', "include_external_packages = true"]
    for contract in _contracts():
        if contract["name"] not in BASIC:  # the feature contracts name packages fakeapp lacks
            continue
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            if isinstance(value, str):
                value = value.replace("app.", "fakeapp.").replace('"app"', '"fakeapp"')
            elif isinstance(value, list):
                value = [
                    v.replace("app.", "fakeapp.") if v.startswith("app.") else v for v in value
                ]
            lines.append(f"{key} = {json.dumps(value)}")
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = _run(tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Models and services never import Qt or views BROKEN" in output
    assert "Views never import SQLAlchemy BROKEN" in output
