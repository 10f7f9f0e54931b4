"""One background-task helper: work off the UI thread, results back on it.

Modelled on Anki's ``aqt.operations``: a task is a plain callable run on a thread pool; its
``success`` or ``failure`` callback runs on the UI thread. Tasks that write to the database
(``write=True``, the default) share one pool of a single thread, so writes are serialized; read
tasks use a separate pool.

Worker threads never call into Qt: they put their progress and outcome in a thread-safe queue
that the UI thread drains with a short timer. (Emitting PySide signals from pool threads
corrupted reference counts at interpreter exit in our tests.)

Cancelling: ``handle.cancel()`` (or the destruction of the task's ``owner`` widget) drops the
outcome, and the task sees ``report.cancelled`` become true: a long task checks it between
steps and stops before its unit of work commits, so nothing is left half-done; a task that
cannot stop finishes, unseen. ``cancelled`` callbacks run on the UI thread.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

ProgressCallback = Callable[[int, int], None]
Task = Callable[[ProgressCallback], Any]
POLL_MS = 15

_PROGRESS, _SUCCESS, _FAILURE = range(3)


class Report:
    """What a task is given: ``report(done, total)`` for progress, ``report.cancelled``."""

    def __init__(self, put: Callable[[int, int], None]) -> None:
        self._put = put
        self._cancelled = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        self._put(done, total)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()


class TaskHandle(QObject):
    """One running task, seen from the UI thread."""

    finished = Signal()

    def __init__(
        self,
        success: Callable[[Any], None] | None,
        failure: Callable[[BaseException], None] | None,
        progress: ProgressCallback | None,
        parent: QObject | None = None,
        cancelled: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._success = success
        self._failure = failure
        self._progress = progress
        self._cancelled = cancelled
        self.report: Report | None = None
        self.done = False

    @property
    def is_cancelled(self) -> bool:
        return self.report is not None and self.report.cancelled

    def cancel(self) -> None:
        """Drop the outcome (the UI thread will not hear of it) and tell the task to stop."""
        if self.done or self.is_cancelled:
            return
        if self.report is not None:
            self.report.cancel()
        if self._cancelled is not None:
            self._cancelled()

    def _owner_gone(self) -> None:
        self._cancelled = None  # nobody left to tell
        self.cancel()

    def _deliver(self, kind: int, payload: Any) -> None:
        if self.is_cancelled:
            if kind != _PROGRESS:
                self.done = True
                self.finished.emit()
            return
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

    _live: weakref.WeakSet[TaskRunner] = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        TaskRunner._live.add(self)
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
        cancelled: Callable[[], None] | None = None,
        owner: QObject | None = None,
    ) -> TaskHandle:
        """Start ``task(report)``; callbacks run on the UI thread, and not at all once the
        handle is cancelled or ``owner`` (the widget showing the outcome) is destroyed."""
        handle = TaskHandle(success, failure, progress, self, cancelled)
        self._pending.add(handle)
        inbox = self._inbox
        report = Report(lambda done, total: inbox.put((handle, _PROGRESS, (int(done), int(total)))))
        handle.report = report
        if owner is not None:
            owner.destroyed.connect(handle._owner_gone)

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

    @classmethod
    def wait_all(cls) -> None:
        """Join the work of every runner still alive (before the database is closed: a task
        left running on a closed database could crash the process)."""
        for runner in list(cls._live):
            try:
                runner.wait()
            except RuntimeError:  # its Qt object is already deleted: its pools with it
                continue

    def wait(self, msecs: int = -1) -> bool:
        """Block until both pools are idle, then deliver the outcomes (shutdown, tests)."""
        idle = self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
        self.drain()
        return idle


def runner_of(widget: Any) -> TaskRunner | None:
    """The task runner of ``widget`` or its nearest parent that has one (the main window's),
    if any (a dialog shown on its own, in a test, has none)."""
    while widget is not None:
        found = getattr(widget, "runner", None)
        if isinstance(found, TaskRunner):
            return found
        widget = widget.parentWidget()
    return None
