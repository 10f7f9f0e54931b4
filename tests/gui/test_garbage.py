"""Garbage is collected on the UI thread only (app/views/common/garbage.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QTimer

from app.main import make_application
from app.views.common.garbage import collect_due, collect_on_ui_thread


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qobject = QObject()


def test_the_application_turns_automatic_collection_off(qapp):
    app = make_application()
    assert not gc.isenabled()
    assert len(app.findChildren(QTimer, "uiThreadGarbageCollector")) == 1
    make_application()  # a second call installs no second collector
    assert len(app.findChildren(QTimer, "uiThreadGarbageCollector")) == 1


def test_a_qt_object_in_a_cycle_dies_on_the_ui_thread(qtbot, qapp):
    collected_on: list[threading.Thread] = []
    cycle = _Cycle()
    cycle.qobject.destroyed.connect(lambda: collected_on.append(threading.current_thread()))
    alive = weakref.ref(cycle)
    del cycle

    kept: list[list[list[int]]] = []

    def allocate_elsewhere() -> None:  # enough allocations to pass every threshold
        kept.append([[i] for i in range(50_000)])

    worker = threading.Thread(target=allocate_elsewhere)
    worker.start()
    worker.join()
    assert alive() is not None  # the worker's allocations collected nothing
    gc.collect()  # what the UI thread's timer does once the thresholds are reached
    assert alive() is None
    assert collected_on == [threading.main_thread()]


def test_the_timer_collects_by_the_interpreters_thresholds(qtbot, qapp):
    timer = collect_on_ui_thread(qapp, interval_ms=5)
    try:
        cycle = _Cycle()
        alive = weakref.ref(cycle)
        del cycle
        junk = [[i] for i in range(5_000)]  # past the first generation's threshold
        qtbot.waitUntil(lambda: alive() is None, timeout=5_000)
        assert junk
    finally:
        timer.deleteLater()


def test_collect_due_does_nothing_below_the_thresholds():
    gc.collect()
    assert collect_due() == 0
