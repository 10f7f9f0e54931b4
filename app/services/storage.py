"""Storage failures (disk full, read-only file, database busy for too long) as French errors.

Services receive a :class:`GuardedDatabase`: every unit of work that fails in the database
driver raises :class:`~app.services.errors.StorageError`, which views show like any other
``RelaisError``; the unit of work has been rolled back, so nothing was half-saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models.db import Database
from app.services.errors import StorageError

STORAGE_FAILED = (
    "Relais n'a pas pu enregistrer dans la base de données (disque plein, fichier en lecture "
    "seule, serveur injoignable ou base occupée trop longtemps). Rien n'a été enregistré : "
    "réessayez, puis prévenez la coordination si le problème continue."
)


class GuardedDatabase(Database):
    """The same engine and sessions, with driver failures turned into ``StorageError``."""

    @classmethod
    def wrap(cls, db: Database) -> GuardedDatabase:
        return db if isinstance(db, GuardedDatabase) else cls(db.engine, db.sessions)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        try:
            with super().session(write=write) as session:
                yield session
        except OperationalError as exc:
            raise StorageError(STORAGE_FAILED) from exc
