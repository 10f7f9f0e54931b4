"""Re-running unit tests on PostgreSQL: import a unit-test module under a name of its own, so
that its test functions (and the fixtures they need) can be bound in a ``test_pg_*`` module,
where this folder's conftest points ``db_url`` at a fresh PostgreSQL database per test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

UNIT = Path(__file__).resolve().parents[1] / "unit"
PROPERTY = Path(__file__).resolve().parents[1] / "property"


def load_unit_module(
    name: str, folder: Path = UNIT, *, prefix: str = "relais_pg_reuse"
) -> ModuleType:
    module_name = f"{prefix}_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, folder / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
