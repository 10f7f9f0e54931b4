"""Engine and session setup, database location, and migrations applied on start."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from app.clock import Clock, system_clock

APP_NAME = "Relais"
ENV_DATABASE_URL = "RELAIS_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# The PostgreSQL advisory lock every write unit of work holds until it ends ("RELA").
PG_WRITE_LOCK = 0x52454C41
PG_LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS
MIGRATIONS = Path(__file__).with_name("migrations")


def data_dir() -> Path:
    """The platform's user-data folder for Relais (created on demand)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_url(demo: bool = False) -> str:
    name = "relais-demo.sqlite" if demo else "relais.sqlite"
    return f"sqlite:///{data_dir() / name}"


def resolve_url(cli_url: str | None, demo: bool = False) -> str:
    """Command-line URL first, then ``RELAIS_DATABASE_URL``, then the user-data folder."""
    if cli_url:
        return cli_url
    env = os.environ.get(ENV_DATABASE_URL, "").strip()
    if env:
        return env
    return default_url(demo)


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Python's sqlite3 opens implicit transactions in a way that breaks SAVEPOINT and
    # BEGIN IMMEDIATE; let SQLAlchemy emit BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = FULL")
    # Deleted rows are overwritten with zeros: a disabled account's sealed private key and
    # key grants must not linger in free pages (and so in later copies of the file). Some
    # SQLite builds (e.g. Windows) do not enable this by default.
    cur.execute("PRAGMA secure_delete = ON")
    cur.close()


def _sqlite_on_begin(conn) -> None:
    # A unit of work that writes takes the write lock when it starts: two workstations (or
    # threads) writing at once then wait for each other (busy timeout) instead of failing
    # half-way with SQLITE_BUSY. Read-only units of work begin deferred; plain reads of one
    # statement (a search keystroke, ``driver_rows.pooled_rows``) begin no transaction at all.
    if conn.get_execution_options().get("relais_write", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _postgresql_on_begin(conn) -> None:
    # The same rule as SQLite's BEGIN IMMEDIATE: a unit of work that writes first waits for
    # the one writing on another workstation to end (at most PG_LOCK_TIMEOUT_MS, then a
    # lock error that the services report as « base occupée »). Its reads then see that
    # commit, so the version a service checks is the one its UPDATE will meet: a concurrent
    # edit is found by the service's own check (the French conflict, with both versions),
    # not at flush time. Read-only units of work take no lock; an action takes it when its
    # first unit of work that writes starts (``Database.action``).
    if conn.get_execution_options().get("relais_write", False):
        _postgresql_lock(conn)


_LOCK = (
    f"SELECT set_config('lock_timeout', '{PG_LOCK_TIMEOUT_MS}', true), "
    f"pg_advisory_xact_lock({PG_WRITE_LOCK})"
)


def _postgresql_lock(conn, *, begin: bool = False) -> None:
    # One round trip: the lock timeout for this transaction, then the lock; after BEGIN when
    # the connection is outside a transaction (an action that only read until now,
    # ``OUTSIDE_TRANSACTION``; a query without parameters may hold several statements).
    conn.exec_driver_sql(f"BEGIN; {_LOCK}" if begin else _LOCK)


def make_engine(url: str | URL, *, echo: bool = False) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(u)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            u, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        if path is not None:
            _attach_plain_reads(engine, u, echo)
        return engine
    if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    server = u.get_backend_name() == "postgresql"
    settings = {"connect_args": {"options": _options(u, SERVER_OPTIONS)}} if server else {}
    engine = create_engine(u, echo=echo, **settings)
    _ping_when_idle(engine)
    if server:
        event.listen(engine, "begin", _postgresql_on_begin)
        _attach_plain_reads(engine, u, echo)
    return engine


def _attach_plain_reads(engine: Engine, u: URL, echo: bool) -> None:
    from app.models.plain_reads import attach  # it builds on this module's settings

    attach(engine, u, echo)


# Every server connection's settings, sent when it starts (libpq ``options``, no round trip):
# instants come back in UTC, as the application holds them (no conversion per value read; the
# clinic's dates are computed in its own time zone, ``CLINIC_TZ``, never the session's).
SERVER_OPTIONS = "-c TimeZone=UTC"


def _options(u: URL, ours: str) -> str:
    """``ours`` after the ``options`` of the server address, if any (a clinic's own settings)."""
    theirs = u.query.get("options")
    return f"{theirs} {ours}" if isinstance(theirs, str) else ours


# A server connection idle for longer than this is checked (one round trip) before it is used:
# a server restart or a network cut is then met with a fresh connection. A connection used a
# moment ago is not (``pool_pre_ping`` pinged before every unit of work: one more round trip
# per keystroke of a search, PostgreSQL 3× slower than SQLite instead of ~1.5×).
IDLE_PING_S = 5.0


def _ping_when_idle(engine: Engine) -> None:
    def checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["relais_checked_in"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get("relais_checked_in")
        if last is not None and time.monotonic() - last < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()  # the ping's own transaction, not the caller's
        except Exception as exc:  # the pool replaces the connection and checks out again
            raise DisconnectionError() from exc

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


# The latest migration (tests/unit/test_db.py checks it is Alembic's head): start-up compares it
# with the stored revision in one cheap query and loads Alembic only when a migration is due.
HEAD_REVISION = "0012"


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The schema's revision in one query, without Alembic (None: no schema yet; ``"?"``:
    not a single revision, Alembic decides)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return str(rows[0]) if len(rows) == 1 else "?"


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    head = script.get_current_head()
    assert head is not None
    return head


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database with the online backup API (never a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


# Backs up a PostgreSQL database before its schema changes (app.services.clinic.pre_migration):
# the backup's path (None: nothing to back up); raises, and nothing is migrated, on failure.
PgBackup = Callable[[Engine], Path | None]


def migrate(
    engine: Engine, clock: Clock = system_clock, *, pg_backup: PgBackup | None = None
) -> Path | None:
    """Bring the schema to the latest revision; back up an existing database first (SQLite:
    online backup API next to the file; PostgreSQL: ``pg_backup``, an encrypted pg_dump).

    Returns the path of the pre-migration backup, if one was made.
    """
    if stored_revision(engine) == HEAD_REVISION:
        return None  # up to date: Alembic is not even loaded
    from alembic import command

    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    backup: Path | None = None
    path = sqlite_path(engine.url)
    if current is not None and path is not None and path.exists():
        stamp = clock().strftime("%Y%m%d-%H%M%S")
        backup = backup_sqlite(path, path.with_name(f"{path.stem}.avant-migration-{stamp}.sqlite"))
    elif current is not None and engine.dialect.name == "postgresql" and pg_backup is not None:
        backup = pg_backup(engine)
    command.upgrade(_alembic_config(engine), "head")
    return backup


_ACTIONS = threading.local()
_KEEP = "relais_action_rows"
# An action on PostgreSQL whose write lock is not taken yet (``Database.action``).
_LOCK_LATER = "relais_lock_later"
# An action on PostgreSQL that has not begun a transaction yet (``Database.action``): its
# connection is in autocommit, each read its own transaction.
OUTSIDE_TRANSACTION = "relais_outside_transaction"


def begin_transaction(session: Session) -> None:
    """Begin the transaction of an action that is still outside one (PostgreSQL,
    ``OUTSIDE_TRANSACTION``); nothing otherwise. The audit writer calls it when it cannot
    append its entries by one statement (``app.services.audit.writer``)."""
    if session.info.pop(OUTSIDE_TRANSACTION, False):
        session.connection().exec_driver_sql("BEGIN")


def _keep_loaded(session: Session, instance: object) -> None:
    kept = session.info.get(_KEEP)
    if kept is not None:
        kept.append(instance)


def _actions() -> dict[int, Session]:
    """This thread's open actions (:meth:`Database.action`), by session factory."""
    found = getattr(_ACTIONS, "open", None)
    if found is None:
        found = _ACTIONS.open = {}
    return found


def _savepoint(session: Session) -> Iterator[Session]:
    """A unit of work inside an action: a SAVEPOINT, released on success (flushed), rolled
    back alone on any error."""
    nested = session.begin_nested()
    try:
        yield session
        if nested.is_active:
            nested.commit()
    except BaseException:
        if nested.is_active:
            nested.rollback()
        raise


@dataclass
class Database:
    """An engine and its session factory; services receive this in their constructor."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(
        cls, url: str | URL, *, upgrade: bool = True, pg_backup: PgBackup | None = None
    ) -> Database:
        engine = make_engine(url)
        if upgrade:
            migrate(engine, pg_backup=pg_backup)
        sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(sessions, "loaded_as_persistent", _keep_loaded)
        return cls(engine, sessions)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error.

        Units of work that write are serialized on both backends: SQLite takes its write lock
        at BEGIN (``BEGIN IMMEDIATE``), PostgreSQL an advisory lock (``PG_WRITE_LOCK``) held
        until the commit or rollback. A version read inside a unit of work is therefore still
        current when it writes. ``write=False`` marks a read-only unit of work (no lock).

        Inside :meth:`action` (same thread) the unit of work is a savepoint of the action's
        transaction: its failure undoes it alone, its success is committed with the action.
        """
        outer = _actions().get(id(self.sessions))
        if outer is not None:
            if write and outer.info.pop(_LOCK_LATER, False):
                begin = outer.info.pop(OUTSIDE_TRANSACTION, False)
                _postgresql_lock(outer.connection(), begin=begin)
                # Rows this action read before it held the lock are read again when used:
                # the version a service checks is then the one its UPDATE will meet.
                outer.expire_all()
            else:  # a savepoint needs a transaction
                begin_transaction(outer)
            yield from _savepoint(outer)
            return
        session = self.sessions()
        try:
            session.connection(execution_options={"relais_write": write})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def action(self, *, whole: bool = False) -> Iterator[None]:
        """One user action (opening a file: its identity, then its notes…): every unit of work
        this thread runs inside shares one transaction, committed once at the end — one commit
        (one fsync) for the action's audit entries instead of one per read. Nested actions join
        the outer one. The action takes the write lock (audit entries are writes): SQLite when
        it begins (``BEGIN IMMEDIATE``, no upgrade can fail half-way); PostgreSQL when its
        first unit of work that writes starts.

        On PostgreSQL an action also begins no transaction until a unit of work needs one
        (``OUTSIDE_TRANSACTION``): its connection is in autocommit, and each read is a
        transaction of its own — as in a transaction, where PostgreSQL's READ COMMITTED gives
        each statement its own snapshot. An action that only reads (opening a file) never
        begins one: its audit entries are appended by one statement that moves the chain's
        head only if it is still the one read (``app.services.audit.writer``). That is two
        round trips fewer on the clinic's network (BEGIN, COMMIT), and no lock taken. A
        unit of work that writes begins the transaction with its lock, in one round trip.

        ``whole=True``: an error (a cancellation) ending the action undoes all of it, the
        units of work that succeeded inside included (a batch is printed all or not at all)."""
        actions = _actions()
        key = id(self.sessions)
        if key in actions:
            yield
            return
        session = self.sessions()
        try:
            later = self.dialect == "postgresql"
            options: dict[str, Any] = {"relais_write": not later}
            if later and not whole:  # a whole one undoes all it did, early audit included
                options["isolation_level"] = "AUTOCOMMIT"
                session.info[OUTSIDE_TRANSACTION] = True
            session.connection(execution_options=options)
            if later:
                session.info[_LOCK_LATER] = True
            # Rows read by one unit of work stay in the identity map for the next ones (it
            # holds them weakly): the patient read to open a file is not read again per tab.
            session.info[_KEEP] = []
            actions[key] = session
            failed = False
            try:
                yield
            except BaseException:
                failed = True
                raise
            finally:
                del actions[key]
                # Each unit of work inside was whole (its own savepoint): what they did is
                # committed even when an error (a refusal, audited inside) ends the action.
                if failed and whole:
                    session.rollback()
                else:
                    session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        from app.models.plain_reads import plain_reads_engine

        reads = plain_reads_engine(self.engine)
        if reads is not self.engine:
            reads.dispose()
        self.engine.dispose()
