"""One background-task helper: work off the UI thread, results back on it.

Modelled on Anki's ``aqt.operations``: a task is a plain callable run on a thread pool; its
``success`` or ``failure`` callback runs on the UI thread. Tasks that write to the database
(``write=True``, the default) share one pool of a single thread, so writes are serialized; read
tasks use a separate pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

ProgressCallback = Callable[[int, int], None]
Task = Callable[[ProgressCallback], Any]


class TaskHandle(QObject):
    """Lives on the UI thread; the worker emits its signals, Qt queues them to this thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
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
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)
        self.progressed.connect(self._on_progress)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self.done = True
        if self._success is not None:
            self._success(result)
        self.finished.emit()

    @Slot(object)
    def _on_failure(self, error: object) -> None:
        self.done = True
        if self._failure is not None:
            assert isinstance(error, BaseException)
            self._failure(error)
        self.finished.emit()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)


class _Job(QRunnable):
    def __init__(self, task: Task, handle: TaskHandle) -> None:
        super().__init__()
        self._task = task
        self._handle = handle
        # Python keeps ownership (the runner holds a reference until the task is done):
        # letting Qt delete a Python-owned runnable is a known source of crashes.
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._task(self._handle.progressed.emit)
        except Exception as exc:  # reported to the failure callback on the UI thread
            self._handle.failed.emit(exc)
        else:
            self._handle.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs tasks on background threads; database writes one at a time."""

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(max(1, readers))
        self._jobs: dict[TaskHandle, _Job] = {}

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
        job = _Job(task, handle)
        self._jobs[handle] = job
        handle.finished.connect(self._forget)
        (self._writes if write else self._reads).start(job)
        return handle

    @Slot()
    def _forget(self) -> None:
        handle = self.sender()
        if isinstance(handle, TaskHandle):
            self._jobs.pop(handle, None)
            handle.deleteLater()

    @property
    def pending(self) -> int:
        return len(self._jobs)

    def wait(self, msecs: int = -1) -> bool:
        """Block until both pools are idle (shutdown, tests)."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
