"""Qt widgets, dialogs and item models. No SQLAlchemy, no SQL, no policy decisions.

Importing this package loads PySide6 and turns off its ``__feature__`` scan: PySide6 reads the
source of every module imported after it (``inspect.getsource``) to see whether the module
mentions PySide6, so that ``from __feature__ import snake_case`` can apply per module — about
a second of Relais's start-up for its and SQLAlchemy's modules. Relais uses no ``__feature__``:
every module keeps Qt's default behaviour, the one the scan would have chosen for it.
"""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401  (loads PySide6's feature support, patched below)


def _uses_no_feature(_module: object) -> bool:
    return False


_feature = sys.modules.get("shibokensupport.feature")
if _feature is not None and hasattr(_feature, "_mod_uses_pyside"):
    _feature._mod_uses_pyside = _uses_no_feature
