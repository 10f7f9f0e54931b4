"""A UI-thread watchdog for the GUI tests: a 10 ms timer whose late ticks are event-loop stalls.

While a step is measured, every tick notes how late it came (on ``time.perf_counter``, in test
code only: the application has one clock, app/clock.py). On a loaded shared machine part of
that lateness is only the UI thread waiting for a free processor; Linux counts that wait per
thread (``/proc/thread-self/schedstat``, run-queue time), so each tick also notes the lateness
*without* it: the time the UI thread was running or blocked on the application's own work
(computing, waiting for a database, joining Argon2's threads). That second figure is the one a
test asserts; both are written out. Work done synchronously by the test itself, e.g. calling a
slot, counts too: that is what the slot would freeze when a user triggers it. Between steps
nothing is recorded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest

TICK_MS = 10
STALL_MS = 100
SCHEDSTAT = Path("/proc/thread-self/schedstat")


def run_queue_ms() -> float:
    """How long this thread has waited for a processor (Linux); 0 where unknown."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class StepStalls:
    step: str
    worst_ms: float = 0.0
    worst_own_ms: float = 0.0
    stalls_over_limit: int = 0
    ticks: int = 0
    asserted: bool = True
    owner: str = "shell"
    note: str = ""


@dataclass
class StallReport:
    limit_ms: float = STALL_MS
    tick_ms: int = TICK_MS
    steps: list[StepStalls] = field(default_factory=list)

    def step(self, name: str) -> StepStalls:
        return next(s for s in self.steps if s.step == name)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"limit_ms": self.limit_ms, "tick_ms": self.tick_ms}
        data["steps"] = [asdict(s) for s in self.steps]
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class UiWatchdog(QObject):
    def __init__(self, tick_ms: int = TICK_MS, limit_ms: float = STALL_MS) -> None:
        super().__init__()
        self.report = StallReport(limit_ms=limit_ms, tick_ms=tick_ms)
        self._tick_ms = tick_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)
        self._current: StepStalls | None = None
        self._last = 0.0
        self._last_wait = 0.0

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now, wait = time.perf_counter(), run_queue_ms()
        step = self._current
        if step is not None:
            late = (now - self._last) * 1000 - self._tick_ms
            own = late - (wait - self._last_wait)
            step.ticks += 1
            step.worst_ms = max(step.worst_ms, round(late, 1))
            step.worst_own_ms = max(step.worst_own_ms, round(own, 1))
            if late > self.report.limit_ms:
                step.stalls_over_limit += 1
        self._last, self._last_wait = now, wait

    @contextmanager
    def measure(
        self, name: str, *, asserted: bool = True, owner: str = "shell", note: str = ""
    ) -> Iterator[StepStalls]:
        """Record the stalls of one step (the loop runs a few ticks after it, to see its end)."""
        step = StepStalls(name, asserted=asserted, owner=owner, note=note)
        self.report.steps.append(step)
        self._last, self._last_wait = time.perf_counter(), run_queue_ms()
        self._current = step
        try:
            yield step
            QTest.qWait(self._tick_ms * 4)
        finally:
            self._current = None
