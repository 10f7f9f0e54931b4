"""The search's own pool of connections: reads of one statement that need no transaction (a
keystroke), beside the application's engine (:func:`plain_reads_engine`)."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from app.models.db import (
    SERVER_OPTIONS,
    SQLITE_BUSY_TIMEOUT_MS,
    _options,
    _ping_when_idle,
    _sqlite_on_connect,
)

# The engine for plain reads, by the application's engine.
_PLAIN_READS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
# A workstation searches from one window at a time: a small pool of its own.
PLAIN_READS_POOL = 2


def plain_reads_engine(engine: Engine) -> Engine:
    """The engine of reads of one statement that need no transaction (a search keystroke):
    on PostgreSQL, a small pool of its own beside ``engine``'s, whose connections stay in
    autocommit (each statement its own transaction: no BEGIN and ROLLBACK round trips, and
    no switching of the connection's mode at each check-out) and run their prepared
    statements with one generic plan (``plan_cache_mode``: a keystroke is not planned again
    for each prefix typed; about 0.2 ms a keystroke), never compiled (``jit``: a keystroke
    stops at its page). The search's statements are prepared at their first use; their
    generic plans are checked (tests/integration/test_pg_search_plan.py). The statements
    sent are seen by ``engine``'s cursor listeners, and disposing ``engine`` renews this pool
    too. On a SQLite file, a small pool of its own as well, read-only (``query_only``), whose
    connections map the file (``mmap_size``): a keystroke's look-ups of patients spread over
    the file then read the pages the system caches without copying them into SQLite's own
    2 MB cache, which the application's other reads keep evicting (on 100,000 patients, p95
    0.56 → 0.45 ms, growth exponent from 1,000 patients 0.12 → 0.07). Only the search maps
    the file: mapping it for every read raised the scripted session's peak memory from 239
    to 566 MB. An in-memory database: ``engine`` itself."""
    return _PLAIN_READS.get(engine, engine)


# The server's settings on top of the application's: one generic plan per prepared statement,
# never compiled.
PLAIN_READS_OPTIONS = "-c plan_cache_mode=force_generic_plan -c jit=off"
# The memory map of the search's SQLite connections (SQLite caps it at its build's maximum,
# 2 GB by default); the file's pages beyond it are read as usual.
PLAIN_READS_MMAP_BYTES = 2**31


def _sqlite_reads_on_connect(dbapi_connection, record) -> None:
    _sqlite_on_connect(dbapi_connection, record)
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA mmap_size = {PLAIN_READS_MMAP_BYTES}")
    cur.execute("PRAGMA query_only = ON")
    cur.close()


def attach(engine: Engine, u: URL, echo: bool) -> None:
    """Give ``engine`` (a server's, or a SQLite file's) its pool of plain reads."""
    if u.get_backend_name() == "sqlite":
        reads = create_engine(
            u,
            echo=echo,
            pool_size=PLAIN_READS_POOL,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(reads, "connect", _sqlite_reads_on_connect)
    else:
        reads = create_engine(
            u,
            echo=echo,
            isolation_level="AUTOCOMMIT",
            pool_size=PLAIN_READS_POOL,
            connect_args={
                "options": _options(u, f"{SERVER_OPTIONS} {PLAIN_READS_OPTIONS}"),
                "prepare_threshold": 0,
            },
        )
        _ping_when_idle(reads)
    # Weakly: this engine is ``engine``'s value in ``_PLAIN_READS`` and must not keep it alive.
    owner = weakref.ref(engine)
    for name in ("before_cursor_execute", "after_cursor_execute"):

        def forward(*args: Any, _name: str = name) -> None:
            target = owner()
            if target is not None:
                getattr(target.dispatch, _name)(*args)

        event.listen(reads, name, forward)
    # Disposing the engine (a lost server: ``close=False``) renews this pool as well; its
    # connections are closed by ``Database.dispose``.
    event.listen(engine, "engine_disposed", lambda _engine: reads.dispose(close=False))
    _PLAIN_READS[engine] = reads
