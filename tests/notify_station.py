"""Another workstation, in a process of its own, that listens to the clinic's changes
(issue 12): used by the PostgreSQL integration tests and ``benchmarks/bench_postgresql.py``.

Run as a script with one JSON argument (``url``, ``username``, ``password``): it logs in,
starts a ``ChangeListener``, prints ``{"ready": true}``, then one JSON line per event:
``{"state": "lost"|"restored", "retry_in": s}`` for the connection, and for each batch that
touches referrals ``{"heard": monotonic, "t": monotonic, "referrals": [ids], "complete":
bool, "unread": n}`` — ``unread`` is the inbox counter re-read after the notification (what
the window shows), ``t`` when it was read again, ``heard`` when the notification arrived.
It stops when its standard input closes.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


_SAY = threading.Lock()


def _say(data: dict) -> None:
    line = json.dumps(data) + "\n"
    with _SAY:  # the listener's thread and the main loop both speak
        sys.stdout.write(line)
        sys.stdout.flush()


def _main(spec: dict) -> None:
    from argon2 import PasswordHasher

    from app.container import Services
    from app.models.db import Database
    from app.services.kernel.change_kinds import REFERRAL_KINDS
    from app.services.kernel.change_listener import ChangeListener
    from app.services.kernel.errors import StorageError
    from app.services.security.crypto import KdfParams

    database = Database.open(spec["url"], upgrade=False)
    clock = {}
    if spec.get("suite_clock"):  # the test suite's fixed instant, like the test process
        from suite_clock import suite_now

        clock = {"clock": lambda: suite_now()}
    services = Services.build(
        database,
        **clock,
        hasher=PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
        kdf=KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1),
    )
    actor = services.auth.login(spec["username"], spec["password"])
    batches: queue.Queue = queue.Queue()
    services.changes.subscribe(batches.put)

    def state(s) -> None:
        _say({"state": "restored" if s.connected else "lost", "retry_in": s.retry_in})

    listener = ChangeListener(
        database.url,
        services.changes,
        on_state=state,
        ping_s=0.5,
        retry_delays=(0.3, 0.6, 1.0),
        engine=database.engine,
    )
    listener.start()
    if not listener.connected.wait(15):
        _say({"error": "listener never connected"})
        return
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    _say({"ready": True})
    while not done.is_set():
        try:
            batch = batches.get(timeout=0.2)
        except queue.Empty:
            continue
        if not batch.touches(REFERRAL_KINDS):
            continue
        heard = time.monotonic()
        try:
            unread = services.inbox.unread_count(actor)
        except StorageError:  # the server went away again: say so, go on listening
            unread = None
        _say(
            {
                "heard": heard,
                "t": time.monotonic(),
                "referrals": sorted(c.id for c in batch.changes if c.kind == "referral"),
                "complete": batch.complete,
                "unread": unread,
            }
        )
    listener.stop()
    database.dispose()


class Station:
    """The listening workstation's process, seen from the test or the benchmark."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        env: dict | None = None,
        *,
        suite_clock: bool = False,
    ) -> None:
        spec = json.dumps(
            {"url": url, "username": username, "password": password, "suite_clock": suite_clock}
        )
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(HERE.parent),
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.until(lambda e: "ready" in e or "error" in e, timeout=300)
        if not first.get("ready"):
            raise RuntimeError(f"station failed to start: {first}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip().startswith("{"):
                try:
                    self.lines.put(json.loads(line))
                except ValueError:  # anything else the process printed
                    continue

    def next(self, timeout: float = 5.0) -> dict:
        return self.lines.get(timeout=timeout)

    def until(self, predicate, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(timeout=max(0.01, deadline - time.monotonic()))
            if predicate(event):
                return event

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    _main(json.loads(sys.argv[1]))
