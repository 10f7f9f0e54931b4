"""Heavy libraries loaded at their first use, not at start-up (issue 16: start → login ≤ 1 s).

``on_first_use("icalendar")`` stands for the module: the first attribute looked up on it
imports the module (through the normal, thread-safe import machinery: a background task may be
first) and every later lookup goes to it. Modules that use it keep a ``TYPE_CHECKING`` import
of the real module for the type checker. The heavy ones, and who loads them:

- reportlab (~150 ms), through ``app.services.kernel.pdf``: the documents modules;
- icalendar (~170 ms): the agenda's iCalendar export; holidays (~60 ms): session dates;
- phonenumbers and email-validator (~90 ms together): the contact checks;
- pypdfium2 (~40 ms): the PDF preview;
- segno (~25 ms): the QR code of a second factor's enrolment.

``tests/unit/test_lazy_imports.py`` checks that starting Relais loads none of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

# reportlab.lib.units, computed the same way, without loading reportlab.
inch = 72.0
cm = inch / 2.54
mm = cm * 0.1


class _OnFirstUse:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        module: ModuleType = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<{self._name}, loaded on first use>"


def on_first_use(name: str) -> Any:
    """A stand-in for the module ``name`` that imports it at the first attribute lookup."""
    return _OnFirstUse(name)
