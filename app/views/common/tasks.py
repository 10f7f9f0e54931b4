"""One background-task helper: work off the UI thread, results back on it.

Modelled on Anki's ``aqt.operations``: a task is a plain callable run on a thread pool; its
``success`` or ``failure`` callback runs on the UI thread. Tasks that write to the database
(``write=True``, the default) share one pool of a single thread, so writes are serialized; read
tasks use a separate pool.

Worker threads never call into Qt: they put their progress and outcome in a thread-safe queue
that the UI thread drains with a short timer. (Emitting PySide signals from pool threads
corrupted reference counts at interpreter exit in our tests.)
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

ProgressCallback = Callable[[int, int], None]
Task = Callable[[ProgressCallback], Any]
POLL_MS = 15

_PROGRESS, _SUCCESS, _FAILURE = range(3)


class TaskHandle(QObject):
    """One running task, seen from the UI thread."""

    finished = Signal()

    def __init__(
        self,
        success: Callable[[Any], None] | None,
        failure: Callable[[BaseException], None] | None,
        progress: ProgressCallback | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._success = success
        self._failure = failure
        self._progress = progress
        self.done = False

    def _deliver(self, kind: int, payload: Any) -> None:
        if kind == _PROGRESS:
            if self._progress is not None:
                self._progress(*payload)
            return
        self.done = True
        if kind == _SUCCESS and self._success is not None:
            self._success(payload)
        elif kind == _FAILURE and self._failure is not None:
            self._failure(payload)
        self.finished.emit()


class TaskRunner(QObject):
    """Runs tasks on background threads; database writes one at a time."""

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(max(1, readers))
        self._inbox: queue.SimpleQueue[tuple[TaskHandle, int, Any]] = queue.SimpleQueue()
        self._pending: set[TaskHandle] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.drain)

    def run(
        self,
        task: Task,
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        progress: ProgressCallback | None = None,
        write: bool = True,
    ) -> TaskHandle:
        """Start ``task(report_progress)``; callbacks run on the UI thread."""
        handle = TaskHandle(success, failure, progress, self)
        self._pending.add(handle)
        inbox = self._inbox

        def report(done: int, total: int) -> None:
            inbox.put((handle, _PROGRESS, (int(done), int(total))))

        def job() -> None:
            try:
                result = task(report)
            except Exception as exc:  # handed to the failure callback on the UI thread
                inbox.put((handle, _FAILURE, exc))
            else:
                inbox.put((handle, _SUCCESS, result))

        if not self._timer.isActive():
            self._timer.start()
        (self._writes if write else self._reads).start(job)
        return handle

    def drain(self) -> None:
        """Deliver what the workers reported (UI thread)."""
        while True:
            try:
                handle, kind, payload = self._inbox.get_nowait()
            except queue.Empty:
                break
            handle._deliver(kind, payload)
            if kind != _PROGRESS:
                self._pending.discard(handle)
                handle.deleteLater()
        if not self._pending:
            self._timer.stop()

    def shutdown(self) -> None:
        """Finish the queued tasks and join the pool threads (application exit)."""
        self.wait()
        for pool in (self._writes, self._reads):
            pool.setExpiryTimeout(0)
            pool.clear()
            pool.waitForDone()
        self._timer.stop()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        """Block until both pools are idle, then deliver the outcomes (shutdown, tests)."""
        idle = self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
        self.drain()
        return idle
