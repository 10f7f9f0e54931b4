"""A hot read on the driver's own cursor: the statement built and compiled by SQLAlchemy, its
rows fetched as the driver returns them, then converted by the column types' own processors.

A search keystroke is one small statement; SQLAlchemy's execution context and result (about
70 µs a call on this machine) cost as much as SQLite's work for most keystrokes, and its rows
cost more than the driver's for a page of 100 notes (opening a file). Here the
statement is compiled once per dialect, its parameters are bound with the types' bind
processors, and the result's columns with their result processors (a SQLite date string
becomes a ``date``, as through SQLAlchemy). The engine's ``before_cursor_execute`` and
``after_cursor_execute`` listeners see the statement as for any other; a driver error is
raised as SQLAlchemy's (``sqlalchemy.exc.OperationalError``…), and a lost server connection
is invalidated so that the pool replaces it, as SQLAlchemy does. ``pooled_rows`` (the search
keystroke) runs the same on a driver connection checked out of the pool for its one statement,
without building SQLAlchemy's ``Connection``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # the parameters' names in order (positional drivers)
    construct: Callable[[Mapping[str, Any]], dict[str, Any]]
    binders: tuple[tuple[str, Processor], ...]
    converters: tuple[tuple[int, Processor], ...]

    def arguments(self, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        values = self.construct(params)
        for name, bind in self.binders:
            if values[name] is not None:
                values[name] = bind(values[name])
        return values if self.order is None else [values[name] for name in self.order]

    def rows(self, fetched: list[Any]) -> list[Any]:
        if not self.converters or not fetched:
            return fetched
        columns = list(zip(*fetched, strict=True))
        for index, convert in self.converters:
            columns[index] = tuple(map(convert, columns[index]))
        return list(zip(*columns, strict=True))


@lru_cache(maxsize=64)
def _compiled(stmt: Select, dialect: Dialect) -> _Compiled:
    compiled = stmt.compile(dialect=dialect)
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("driver_rows: statements with expanding parameters are not supported")
    binders = []
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            binders.append((name, process))
    converters = []
    for index, column in enumerate(stmt.selected_columns):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            converters.append((index, process))
    return _Compiled(
        sql=str(compiled),
        order=tuple(compiled.positiontup) if compiled.positional else None,
        construct=compiled.construct_params,
        binders=tuple(binders),
        converters=tuple(converters),
    )


def driver_rows(conn: Connection, stmt: Select, params: Mapping[str, Any]) -> list[Any]:
    """Every row of ``stmt`` with ``params``, as tuples in the order of its columns, read on
    ``conn``'s driver connection (in ``conn``'s transaction, if any)."""
    driver = conn.connection.dbapi_connection
    assert driver is not None
    return _rows(conn.engine, conn.dispatch, conn, driver, conn.invalidate, stmt, params)


def pooled_rows(engine: Engine, stmt: Select, params: Mapping[str, Any]) -> list[Any]:
    """:func:`driver_rows` on a driver connection checked out of ``engine``'s pool for this
    one statement and given back at once, without a ``Connection`` around it: no transaction
    is begun (a SQLite connection is in autocommit outside ``BEGIN``; a PostgreSQL one of
    ``plain_reads_engine`` always is), and nothing of SQLAlchemy's connection is built
    (about 20 µs of a search keystroke's 0.3 ms). The engine's statement listeners are called
    with no connection (``None``); the pool's own events (its check-out ping, the reset on
    return) run as for any connection."""
    pooled = engine.raw_connection()
    try:
        driver = pooled.dbapi_connection
        assert driver is not None
        return _rows(engine, engine.dispatch, None, driver, pooled.invalidate, stmt, params)
    finally:
        pooled.close()


def _rows(
    engine: Engine,
    events: Any,
    conn: Connection | None,
    driver: Any,
    invalidate: Callable[[BaseException], None],
    stmt: Select,
    params: Mapping[str, Any],
) -> list[Any]:
    dialect = engine.dialect
    query = _compiled(stmt, dialect)
    arguments = query.arguments(params)
    # PostgreSQL's rows in its binary format: a note's content as its bytes and an instant as
    # its number, not as hexadecimal and ISO text parsed again (a page of 200 notes read in
    # 0.7 ms instead of 1.1 ms). The values are the same (tests/integration/test_pg_driver_rows).
    cursor = driver.cursor(binary=True) if dialect.name == "postgresql" else driver.cursor()
    try:
        if events.before_cursor_execute:
            events.before_cursor_execute(conn, cursor, query.sql, arguments, None, False)
        cursor.execute(query.sql, arguments)
        fetched = cursor.fetchall()
        if events.after_cursor_execute:
            events.after_cursor_execute(conn, cursor, query.sql, arguments, None, False)
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, driver, cursor)
        if lost:
            invalidate(exc)
        raise DBAPIError.instance(
            query.sql,
            arguments,
            exc,
            dialect.loaded_dbapi.Error,
            hide_parameters=engine.hide_parameters,  # as the engine's own errors
            connection_invalidated=lost,
            dialect=dialect,
        ) from exc
    finally:
        with suppress(dialect.loaded_dbapi.Error):  # on a connection already lost
            cursor.close()
    return query.rows(fetched)
