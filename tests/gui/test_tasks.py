"""The background-task helper: callbacks on the UI thread, writes serialized."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from app.views.common.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def make_runner(qtbot):
    runners: list[TaskRunner] = []

    def _make(**kwargs) -> TaskRunner:
        runner = TaskRunner(**kwargs)
        runners.append(runner)
        return runner

    yield _make
    for runner in runners:  # threads joined and pools gone before the next test
        runner.shutdown()


def test_success_callback_runs_on_ui_thread(qtbot, make_runner):
    runner = make_runner()
    results: list[tuple[object, bool]] = []
    ui_thread = QThread.currentThread()
    worker_threads: list[int] = []

    def task(progress):
        worker_threads.append(threading.get_ident())
        progress(1, 2)
        return 42

    progress_seen: list[tuple[int, int]] = []
    runner.run(
        task,
        success=lambda value: results.append((value, QThread.currentThread() is ui_thread)),
        progress=lambda done, total: progress_seen.append((done, total)),
    )
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, True)]
    assert progress_seen == [(1, 2)]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    runner.wait()


def test_failure_callback_gets_the_exception(qtbot, make_runner):
    runner = make_runner()
    errors: list[BaseException] = []

    def task(_progress):
        raise ValueError("boom")

    runner.run(task, success=lambda _v: pytest.fail("no success"), failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "boom"
    runner.wait()


def test_writes_are_serialized(qtbot, make_runner):
    runner = make_runner(readers=4)
    active = 0
    peak = 0
    lock = threading.Lock()
    done: list[int] = []

    def write(_progress):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return 1

    for _ in range(5):
        runner.run(write, success=done.append, write=True)
    qtbot.waitUntil(lambda: len(done) == 5, timeout=5000)
    assert peak == 1
    runner.wait()


def test_a_cancelled_task_is_not_delivered_and_is_told_to_stop(qtbot, make_runner):
    runner = make_runner()
    started, release = threading.Event(), threading.Event()
    seen: list[str] = []
    stopped: list[bool] = []

    def task(report):
        started.set()
        release.wait(5)
        stopped.append(report.cancelled)  # a real task stops here, before committing
        return "fait"

    handle = runner.run(
        task,
        success=lambda value: seen.append(value),
        cancelled=lambda: seen.append("annulée"),
        write=False,
    )
    assert started.wait(5)
    handle.cancel()
    handle.cancel()  # once only
    release.set()
    runner.wait()
    assert seen == ["annulée"] and stopped == [True]
    assert runner.pending == 0


def test_an_owner_destroyed_drops_the_outcome(qtbot, make_runner):
    from PySide6.QtWidgets import QWidget

    runner = make_runner()
    release = threading.Event()
    seen: list[object] = []
    owner = QWidget()
    runner.run(lambda _report: release.wait(5), success=seen.append, owner=owner, write=False)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    release.set()
    runner.wait()
    assert seen == []


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)
