"""Run several workers at once in threads, started together, as two workstations would."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(*works: Callable[[], None], timeout: float = 60) -> list[BaseException]:
    """Run each work in its own thread, all released at once; the errors they raised."""
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # reported to the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker did not finish"
    return errors
