"""Storage failures as French errors: a full disk, a read-only file, a database busy for too
long, and an edit that met a newer version of its record.

Services receive a :class:`GuardedDatabase`: every unit of work that fails in the database
driver raises :class:`~app.services.kernel.errors.StorageError`, and one whose ``UPDATE`` or
``DELETE`` met another version of a record than the one it read (SQLAlchemy's
``StaleDataError``, at a flush, an autoflush or the commit) raises
:class:`~app.services.kernel.errors.ConflictError`. Views show both like any other ``RelaisError``;
the unit of work has been rolled back, so nothing was half-saved.

Conflicts normally never reach this point: units of work that write are serialized on SQLite
and on PostgreSQL (``Database.session``), so the version a service checks when it reads a
record is the one its ``UPDATE`` meets, and the service raises the conflict itself, with both
versions, and audits it. The translation here is the net under that rule: it names the record
and both version numbers, without the content of theirs (which only the service may read for
its user) and without an audit entry (the unit of work does not know the acting user).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.i18n import N_, Labels, _
from app.models.db import Database, _actions
from app.models.driver_rows import driver_rows, pooled_rows
from app.models.plain_reads import plain_reads_engine
from app.services.kernel.errors import ConflictError, NotFound, StorageError

STORAGE_FAILED = N_(
    "Relais n'a pas pu enregistrer dans la base de données (disque plein, fichier en lecture "
    "seule, serveur injoignable ou base occupée trop longtemps). Rien n'a été enregistré : "
    "réessayez, puis prévenez la coordination si le problème continue."
)
GONE = N_("Cet élément a été supprimé pendant que vous travailliez : rien n'a été enregistré.")
# What the conflict message calls each versioned record (by table).
RECORD_LABELS = Labels(
    {
        "patient": N_("L'identité du patient"),
        "note": N_("Cette note"),
        "referral": N_("Cette orientation"),
        "partner": N_("Ce partenaire"),
        "partner_contact": N_("Ce contact"),
        "clinic": N_("Les paramètres"),
        "user_account": N_("Ce compte"),
        "social_action": N_("Cette démarche"),
        "home_care_request": N_("Cette demande de soins à domicile"),
        "discharge_plan": N_("Ce plan de sortie"),
        "consultation_session": N_("Cette permanence"),
        "appointment": N_("Ce rendez-vous"),
        "waiting_list_entry": N_("Cette inscription en liste d'attente"),
    }
)
DEFAULT_LABEL = "Cet élément"
# The audit entries a unit of work added, written at its commit (``app.services.audit.writer``).
PENDING_AUDIT = "relais_audit_pending"


@dataclass(frozen=True)
class _Pending:
    """A versioned record a failed flush was saving: its class, key and the version read."""

    cls: type
    key: tuple
    version: object

    @property
    def table(self) -> str:
        return inspect(self.cls).local_table.name


_PENDING = "relais_pending_versions"
# Set on an action's session while a reading unit of work (``GuardedDatabase.reading``) runs.
_READING = "relais_reading"
READ_ONLY = "A reading unit of work must not change rows (use Database.session)."


def _remember_pending(session: Session, _context, _instances) -> None:
    """Before each flush, note the versioned records it updates or deletes: a flush that
    fails on a stale version expires them, and the conflict must still name them."""
    pending = []
    for obj in [*session.dirty, *session.deleted]:
        state = inspect(obj)
        column = state.mapper.version_id_col
        if column is None or state.key is None:
            continue
        prop = state.mapper.get_property_by_column(column)
        version = state.committed_state.get(prop.key, state.dict.get(prop.key))
        pending.append(_Pending(state.mapper.class_, state.key[1], version))
    session.info[_PENDING] = pending


def _changed(session: Session) -> bool:
    return bool(
        session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
    )


def _discard_changes(session: Session) -> bool:
    """Undo the unflushed changes of ``session`` (new rows forgotten, changed ones reloaded);
    whether there were any."""
    if not _changed(session):
        return False
    for obj in list(session.new):
        session.expunge(obj)
    for obj in [*session.dirty, *session.deleted]:
        session.expire(obj)
    return True


def _refuse_changes(session: Session, _context, _instances) -> None:
    """A reading unit of work inside an action has no savepoint: it must not change rows."""
    if session.info.get(_READING) and _changed(session):
        raise RuntimeError(READ_ONLY)


def _refuse_statements(state: ORMExecuteState) -> None:
    if state.session.info.get(_READING) and (state.is_insert or state.is_update or state.is_delete):
        raise RuntimeError(READ_ONLY)


class GuardedDatabase(Database):
    """The same engine and sessions, with driver failures turned into ``StorageError`` and
    stale versions into ``ConflictError``."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        super().__init__(engine, sessions)
        for name, listener in (
            ("before_flush", _remember_pending),
            ("before_flush", _refuse_changes),
            ("do_orm_execute", _refuse_statements),
        ):
            if not event.contains(self.sessions, name, listener):
                event.listen(self.sessions, name, listener)

    @classmethod
    def wrap(cls, db: Database) -> GuardedDatabase:
        return db if isinstance(db, GuardedDatabase) else cls(db.engine, db.sessions)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        current: Session | None = None
        try:
            with super().session(write=write) as current:
                yield current
        except StaleDataError as exc:
            pending = current.info.get(_PENDING, []) if current is not None else []
            raise self._conflict(pending) from exc
        except OperationalError as exc:
            raise StorageError(_(STORAGE_FAILED)) from exc

    def plain_rows(self, stmt: Select, params: Mapping[str, Any]) -> list[Any]:
        """The rows of one statement that needs no ORM object, no audit entry and no write
        lock (a search keystroke), on a driver connection checked out for this statement
        alone (``driver_rows.pooled_rows``: no session, no ``Connection`` is built). It is in
        autocommit: the statement is its own transaction, without BEGIN and ROLLBACK around
        it (from the search's pool of its own: ``plain_reads_engine``). Inside an action,
        on the action's own connection (its changes are seen)."""
        outer = _actions().get(id(self.sessions))
        try:
            if outer is not None:
                return driver_rows(outer.connection(), stmt, params)
            return pooled_rows(plain_reads_engine(self.engine), stmt, params)
        except OperationalError as exc:
            raise StorageError(_(STORAGE_FAILED)) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads, and audits what it read (opening a file: its
        identity, a page of notes).

        Alone, it is a unit of work like any other (it writes its audit entries, so it takes
        the write lock). Inside an action (``Database.action``) it runs without a savepoint of
        its own, two statements fewer each: nothing of it reaches the database before the
        action commits but its audit entries, which wait in the action (``PENDING_AUDIT``)
        and are dropped if it fails. Changing a row in it is a programming error
        (``RuntimeError``), raised before anything is sent."""
        outer = _actions().get(id(self.sessions))
        if outer is None or outer.in_nested_transaction():  # alone, or inside a unit of work
            with self.session() as session:
                yield session
            return
        if outer.info.get(_READING):  # a reading unit inside another one
            yield outer
            return
        before = list(outer.info.get(PENDING_AUDIT, ()))
        outer.info[_READING] = True
        try:
            yield outer
            if _discard_changes(outer):  # never flushed: nothing reached the database
                raise RuntimeError(READ_ONLY)
        except BaseException as exc:
            _discard_changes(outer)
            # Its entries go, unless a query of the audit tables wrote them already (they
            # record reads that did happen); the action's earlier ones stay.
            pending = outer.info.get(PENDING_AUDIT)
            if pending:
                pending[:] = [item for item in pending if any(item is b for b in before)]
            if isinstance(exc, OperationalError):
                raise StorageError(_(STORAGE_FAILED)) from exc
            raise
        finally:
            outer.info.pop(_READING, None)

    def _conflict(self, pending: list[_Pending]) -> ConflictError | NotFound:
        """The French conflict for the record whose version moved (read after the rollback);
        the first record the flush was saving when none visibly moved."""
        if not pending:
            return ConflictError(DEFAULT_LABEL, mine=None, theirs=None)
        stale, current = pending[0], None
        with self.session(write=False) as session:
            for item in pending:
                row = session.get(item.cls, item.key)
                if row is None:
                    return NotFound(_(GONE))
                mapper = inspect(item.cls)
                version = getattr(row, mapper.get_property_by_column(mapper.version_id_col).key)
                if version != item.version:
                    stale, current = item, version
                    break
        return ConflictError(
            RECORD_LABELS.get(stale.table, DEFAULT_LABEL),
            mine=None,
            theirs=None,
            extra={
                "object_type": stale.table,
                "object_id": stale.key[0] if len(stale.key) == 1 else stale.key,
                "expected_version": stale.version,
                "current_version": current,
            },
        )
