"""The demo generator's bulk writer: one connection of its own, plain rows inserted in large
``executemany`` batches, one transaction per batch.

On SQLite the rows skip SQLAlchemy's per-row parameter processing: each table's ``INSERT`` is
compiled once, every row becomes a tuple in the statement's order, and only the columns that need
it are converted, with the column type's own bind processor (a faster but identical one for UTC
datetimes, checked against it when the writer starts). Other backends get the same rows through
Core ``insert()`` (SQLAlchemy's batched "insertmanyvalues").

For the load only, the connection relaxes SQLite's settings that cost time and not safety:
``synchronous = NORMAL`` (the journal stays WAL: a killed process loses at most the batch being
written, never the file; each batch commits whole), a larger page cache, temporary B-trees in
memory, and no foreign-key lookups (the rows are built consistent). The previous values are set
back when the load ends, whatever happens.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table, event, insert

from app.models.base import UTCDateTime

# SQLite settings of the bulk connection (restored afterwards); 256 MB of page cache keeps the
# indexes written at random places (names, dates) in memory on a 100,000-patient database.
SQLITE_BULK_PRAGMAS = {
    "synchronous": "NORMAL",
    "cache_size": "-262144",
    "temp_store": "MEMORY",
    "foreign_keys": "OFF",
    # WAL checkpoints (each one an fsync) every 64 MB written instead of every 4 MB.
    "wal_autocheckpoint": "16384",
}
_SAMPLES = (
    datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC),
    datetime(1930, 1, 1, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
)


def _sqlite_datetime(generic: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``generic`` (the UTCDateTime column's bind processor on SQLite) with a short path for
    aware UTC values, used only if it gives the same text on samples."""

    # The dates of a row are often one object (created = updated): converted once.
    last: list[Any] = [None, None]

    def convert(value: Any) -> Any:
        if value is last[0] and value is not None:
            return last[1]
        if type(value) is not datetime or value.tzinfo is not UTC:
            return generic(value)  # None, naive (refused), other zones: the column's own way
        text = value.replace(tzinfo=None).isoformat(" ", "microseconds")
        last[0], last[1] = value, text
        return text

    if all(convert(s) == generic(s) for s in _SAMPLES):
        return convert
    return generic


@contextmanager
def unsynced_commits(engine: Engine) -> Iterator[None]:
    """While generating, SQLite commits of every pooled connection skip their fsync
    (``synchronous = NORMAL``; the journal stays WAL, so a killed or crashed generation never
    damages the file); each connection gets its own setting back when it returns to the pool,
    and new checkouts keep it once the block ends. Nothing changes on other backends."""
    if engine.dialect.name != "sqlite":
        yield
        return
    key = "relais_demo_synchronous"

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        record.info.setdefault(key, _pragma(dbapi_connection, "synchronous"))
        _pragma(dbapi_connection, "synchronous", "NORMAL")

    def checkin(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None and key in record.info:
            _pragma(dbapi_connection, "synchronous", str(record.info.pop(key)))

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    try:
        yield
    finally:
        event.remove(engine, "checkout", checkout)
        # A connection still out (none, normally) is set back when it returns to the pool.
        if not getattr(engine.pool, "checkedout", lambda: 0)():
            event.remove(engine, "checkin", checkin)


class _SqliteInsert:
    """One table's compiled ``INSERT`` and the conversion of plain dict rows to its tuples."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = conn.dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        order = list(compiled.positiontup or ())
        if sorted(order) != sorted(columns):
            raise RuntimeError(f"unexpected insert parameters for {table.name}: {order}")
        self.sql = compiled.string
        self.get = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
        self.convert: list[tuple[int, Callable[[Any], Any]]] = []
        dates: Callable[[Any], Any] | None = None  # one converter for the row's UTC dates
        for index, name in enumerate(order):
            column_type = table.c[name].type
            # The processor SQLAlchemy itself uses (the type adapted to the dialect).
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is None:
                continue
            if isinstance(column_type, UTCDateTime):
                dates = process = dates or _sqlite_datetime(process)
            self.convert.append((index, process))

    def params(self, rows: Sequence[dict]) -> list[tuple]:
        get, convert = self.get, self.convert
        if not convert:
            return [get(row) for row in rows]
        out = []
        for row in rows:
            values = list(get(row))
            for index, process in convert:
                values[index] = process(values[index])
            out.append(tuple(values))
        return out


class BulkWriter:
    """Plain rows into tables on one connection (its transactions: :class:`BulkLoad`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self._inserts: dict[tuple[str, tuple[str, ...]], _SqliteInsert] = {}

    def returning(self, statement: Insert, rows: list[dict]) -> list:
        """``statement`` (an ``INSERT … RETURNING``) for ``rows``; the first returned column."""
        return list(self.conn.execute(statement, rows).scalars())

    def insert(self, table: Table, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.sqlite:
            self.conn.execute(insert(table), rows)
            return
        columns = tuple(rows[0])
        key = (table.name, columns)
        prepared = self._inserts.get(key)
        if prepared is None:
            prepared = self._inserts[key] = _SqliteInsert(self.conn, table, columns)
        self.conn.exec_driver_sql(prepared.sql, prepared.params(rows))


def _pragma(raw: Any, name: str, value: str | None = None) -> Any:
    if value is None:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]
    raw.execute(f"PRAGMA {name} = {value}")
    return None


@contextmanager
def bulk_writer(engine: Engine) -> Iterator[BulkWriter]:
    """A :class:`BulkWriter` on a connection of its own, its SQLite settings relaxed for the
    load and set back afterwards (the connection then returns to the pool as it was)."""
    with engine.connect() as conn:
        conn = conn.execution_options(relais_write=True)  # BEGIN IMMEDIATE per batch
        saved: dict[str, Any] = {}
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        try:
            if raw is not None:
                for name, value in SQLITE_BULK_PRAGMAS.items():
                    saved[name] = _pragma(raw, name)
                    _pragma(raw, name, value)
            yield BulkWriter(conn)
        finally:
            if conn.in_transaction():
                conn.rollback()
            if raw is not None:
                for name, value in saved.items():
                    _pragma(raw, name, str(value))


class BulkLoad:
    """The bulk connection on a thread of its own: the caller builds the next rows while the
    previous ones are written (SQLite works without Python's lock held).

    :meth:`submit` queues a step (a function of the :class:`BulkWriter`) and returns at once,
    unless :data:`DEPTH` steps are already waiting; :meth:`call` runs one and returns its
    result. Steps run in order inside the writer's transaction, committed after a step
    submitted with ``commit=True`` (and when the ``with`` block ends well): a commit every few
    steps spares SQLite writing the same index pages again at every commit. After a failure the
    uncommitted steps are rolled back, the queued ones dropped, and the error is raised to the
    caller (at the latest when the block ends). What is committed is always whole steps.
    """

    DEPTH = 2

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._pending: deque[Future] = deque()
        self._failed = False
        self._transaction: Any = None

    def __enter__(self) -> BulkLoad:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="relais-demo-bulk")
        self._stack = ExitStack()
        try:
            self._writer = self._pool.submit(
                self._stack.enter_context, bulk_writer(self._engine)
            ).result()
        except BaseException:
            self._pool.shutdown()
            raise
        return self

    @property
    def sqlite(self) -> bool:
        return self._writer.sqlite

    # ---- on the writer's thread -----------------------------------------------------------
    def _step(self, work: Callable[[BulkWriter], Any], commit: bool) -> Any:
        if self._failed:
            raise RuntimeError("an earlier step failed")
        try:
            if self._transaction is None:
                self._transaction = self._writer.conn.begin()
            result = work(self._writer)
            if commit:
                self._commit()
            return result
        except BaseException:
            self._failed = True
            self._rollback()
            raise

    def _commit(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            transaction.commit()

    def _rollback(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            transaction.rollback()

    # ---- on the caller's thread -----------------------------------------------------------
    def call(self, work: Callable[[BulkWriter], Any], *, commit: bool = True) -> Any:
        self._wait(0)
        return self._pool.submit(self._step, work, commit).result()

    def submit(self, work: Callable[[BulkWriter], Any], *, commit: bool = True) -> None:
        self._pending.append(self._pool.submit(self._step, work, commit))
        self._wait(self.DEPTH)

    def _wait(self, keep: int) -> None:
        """Wait until at most ``keep`` steps are queued; raise the first failure."""
        while self._pending and (len(self._pending) > keep or self._pending[0].done()):
            self._pending.popleft().result()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self._wait(0)
                self._pool.submit(self._commit).result()
            else:
                self._failed = True  # queued steps are dropped; the running one ends
                for future in self._pending:
                    future.exception()
        finally:
            self._pool.submit(self._rollback).result()
            self._pool.submit(self._stack.close).result()
            self._pool.shutdown()
