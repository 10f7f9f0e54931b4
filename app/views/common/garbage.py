"""Python's garbage collector, run on the UI thread only.

CPython collects reference cycles on whichever thread happens to allocate. A background task
(``common/tasks.py``) could then destroy a Qt object left in a cycle by a closed dialog, off the
UI thread, and Qt crashes (seen as a segmentation fault in the test suite). As Anki does,
Relais turns automatic collection off and collects on the UI thread instead: a short timer
applies the interpreter's own thresholds, so memory behaves as before.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


def collect_due() -> int:
    """Collect the oldest generation whose threshold is reached, as the interpreter would
    have done on its own; returns the number of unreachable objects found."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    for generation in (2, 1, 0):
        if 0 < thresholds[generation] <= counts[generation]:
            return gc.collect(generation)
    return 0


def collect_on_ui_thread(parent: QObject, interval_ms: int = INTERVAL_MS) -> QTimer:
    """Turn automatic collection off and collect on ``parent``'s (UI) thread from now on.
    What exists at this point (modules, classes) is frozen out of later collections."""
    gc.freeze()
    gc.disable()
    timer = QTimer(parent)
    timer.setObjectName("uiThreadGarbageCollector")
    timer.setInterval(interval_ms)
    timer.timeout.connect(collect_due)
    timer.start()
    return timer
