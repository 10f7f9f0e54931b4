"""The other workstations' changes, from PostgreSQL's ``LISTEN`` (no Qt here).

:class:`ChangeListener` runs a background thread with a psycopg connection of its own (never
one of the pool's): ``LISTEN`` on :data:`app.services.kernel.changes.CHANNEL`, each notification
handed to the :class:`~app.services.kernel.changes.ChangeFeed` (which drops our own). The connection
is checked every few seconds; when the server goes away (restart, network cut) the listener
reports :class:`ConnectionState` ``lost`` with the delay before the next attempt, tries again
with a growing delay, and once connected again re-subscribes, reports ``restored`` and
publishes "anything may have changed" (notifications sent meanwhile were missed). Given the
application's engine, it also renews its pool when the server goes and comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL, Engine

from app.services.kernel import logs
from app.services.kernel.changes import CHANNEL, ChangeBatch, ChangeFeed

if TYPE_CHECKING:
    import psycopg

PING_S = 3.0  # how often an idle connection is checked
RETRY_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 15.0)
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}
log = logs.get("changes")


@dataclass(frozen=True)
class ConnectionState:
    connected: bool
    retry_in: float = 0.0  # seconds before the next attempt, when not connected
    attempt: int = 0


StateCallback = Callable[[ConnectionState], None]


def conninfo(url: URL) -> str:
    """A libpq connection string from the engine's URL (password included: memory only)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class ChangeListener:
    def __init__(
        self,
        url: URL,
        feed: ChangeFeed,
        *,
        on_state: StateCallback | None = None,
        ping_s: float = PING_S,
        retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
        engine: Engine | None = None,
    ) -> None:
        self._conninfo = conninfo(url)
        self._feed = feed
        self._on_state = on_state
        self._ping_s = ping_s
        self._delays = retry_delays
        self._engine = engine
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.state = ConnectionState(False)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="relais-listen", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _report(self, state: ConnectionState) -> None:
        if self._engine is not None and state.connected != self.state.connected:
            # The pool's connections died with the server: start afresh rather than let a
            # user's next save meet a dead one (the ones in use are left to finish or fail).
            self._engine.dispose(close=False)
        self.state = state
        if self._on_state is not None:
            try:
                self._on_state(state)
            except Exception as exc:  # a view's failure must not stop the listener
                log.error("connection state callback failed: %s", type(exc).__name__)

    def _run(self) -> None:
        import psycopg  # PostgreSQL only: not loaded at start-up on SQLite

        failures = 0
        ever_connected = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, **KEEPALIVE) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._report(ConnectionState(True))
                    if failures or ever_connected:
                        log.info("change listener reconnected")
                        self._feed.publish(ChangeBatch.everything())  # missed meanwhile
                    self.connected.set()
                    ever_connected, failures = True, 0
                    self._listen(conn)
            except psycopg.Error as exc:
                self.connected.clear()
                if self._stop.is_set():
                    break
                delay = self._delays[min(failures, len(self._delays) - 1)]
                failures += 1
                log.info("change listener lost the server (%s)", type(exc).__name__)
                self._report(ConnectionState(False, delay, failures))
                self._stop.wait(delay)
        self.connected.clear()

    def _listen(self, conn: psycopg.Connection) -> None:
        while not self._stop.is_set():
            for notify in conn.notifies(timeout=self._ping_s):
                self._feed.receive(notify.payload)
                if self._stop.is_set():
                    return
            conn.execute("SELECT 1")  # a dead server or a cut network raises here
