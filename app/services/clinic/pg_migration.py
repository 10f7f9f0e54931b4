"""Moving a whole clinic from SQLite to PostgreSQL (``relais-admin migrate-to-postgresql``).

The SQLite file is only read (never migrated, never written). The target must be an empty
PostgreSQL database: the schema is created there by the migrations, then every table is
copied in foreign-key order (PostgreSQL's ``COPY``), row for row with its ids — history and
audit chain included — in **one** transaction (a failed copy leaves no half-filled database),
and the sequences are moved past the copied ids. Then each table is checked on both sides:
the row count and a digest of its rows (SHA-256 of each row's canonical form, summed modulo
2^256: independent of the order the servers return them in), and the audit chain of the copy
is verified with the clinic's audit key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, Table, func, inspect, select, text

from app.models import AuditEntry
from app.models.base import Base
from app.models.db import current_revision, head_revision, make_engine, migrate
from app.services.audit import chain as audit_chain
from app.services.kernel.errors import RelaisError

BATCH = 5_000
SEEDED = {"audit_head"}  # tables the migrations themselves fill (replaced by the copy)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TableCheck:
    name: str
    rows: int
    digest: str
    same: bool


@dataclass(frozen=True)
class MigrationReport:
    tables: tuple[TableCheck, ...]
    audit_entries: int
    audit_message: str

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _canonical(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float | Decimal):
        return repr(float(value))
    return str(value)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """(row count, digest) of a table, the same on SQLite and PostgreSQL for the same rows."""
    total, count = 0, 0
    columns = list(table.columns)
    result = conn.execution_options(yield_per=BATCH).execute(select(*columns))
    for row in result:
        blob = json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode()
        total = (total + int.from_bytes(hashlib.sha256(blob).digest(), "big")) % (1 << 256)
        count += 1
    return count, f"{total:064x}"


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def check_target_empty(engine: Engine) -> None:
    """Refuse a target that holds anything of a clinic (a schema without rows is accepted)."""
    names = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in _tables():
            if table.name not in names or table.name in SEEDED:
                continue
            if conn.scalar(select(func.count()).select_from(table)):
                raise RelaisError(
                    "La base PostgreSQL cible n'est pas vide (table « "
                    f"{table.name} »). Relais ne copie une maison de santé que dans une "
                    "base vide : créez-en une nouvelle (voir le guide du serveur)."
                )
        others = names - {t.name for t in _tables()} - {"alembic_version"}
        if others:
            raise RelaisError(
                "La base PostgreSQL cible contient des tables qui ne sont pas celles de Relais "
                f"({', '.join(sorted(others)[:5])}) : utilisez une base vide."
            )


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Stream the table's rows into PostgreSQL's ``COPY`` (psycopg), inside the target's
    transaction; values as the models read them (UTC-aware times, bytes, booleans)."""
    copied = 0
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    raw = target.connection.driver_connection
    result = source.execution_options(yield_per=BATCH).execute(select(*table.columns))
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in result:
            copy.write_row(tuple(row))
            copied += 1
    return copied


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].name != "id":
            continue
        sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if sequence:
            target.execute(
                text(
                    f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                    f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
                ),
                {"s": sequence},
            )


def copy_database(
    source_url: str, target_url: str, audit_key: bytes | None, progress: Progress | None = None
) -> MigrationReport:
    source_engine = make_engine(source_url)
    target_engine = make_engine(target_url)
    try:
        if source_engine.dialect.name != "sqlite":
            raise RelaisError("La base d'origine doit être une base SQLite.")
        if target_engine.dialect.name != "postgresql":
            raise RelaisError("La base cible doit être une base PostgreSQL.")
        if current_revision(source_engine) != head_revision():
            raise RelaisError(
                "La base SQLite n'est pas à jour : ouvrez-la une fois avec cette version de "
                "Relais (ou « relais-admin init --migrate-only »), puis recommencez."
            )
        check_target_empty(target_engine)
        migrate(target_engine)  # the schema, audit triggers included
        tables = _tables()
        with source_engine.connect() as source, target_engine.begin() as target:
            for table in reversed(tables):
                if table.name in SEEDED:
                    target.execute(table.delete())
            for n, table in enumerate(tables):
                if progress:
                    progress(table.name, n, len(tables))
                _copy_table(source, target, table)
            _reset_sequences(target, tables)
        # Statistics and visibility maps now, not when autovacuum gets to it (hours of
        # background work on the clinic's first day): without statistics the planner sees
        # empty tables and scans them (a search keystroke read every patient); without the
        # visibility map an index-only walk reads the table's rows too.
        with target_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
        return verify_copy(source_engine, target_engine, audit_key, progress)
    finally:
        source_engine.dispose()
        target_engine.dispose()


def verify_copy(
    source_engine: Engine, target_engine: Engine, audit_key: bytes | None, progress: Progress | None
) -> MigrationReport:
    checks: list[TableCheck] = []
    tables = _tables()
    with source_engine.connect() as source, target_engine.connect() as target:
        for n, table in enumerate(tables):
            if progress:
                progress(f"vérification {table.name}", n, len(tables))
            mine, theirs = table_digest(source, table), table_digest(target, table)
            checks.append(TableCheck(table.name, theirs[0], theirs[1], mine == theirs))
        entries = int(target.scalar(select(func.count()).select_from(AuditEntry)) or 0)
        if audit_key is None:
            raise RelaisError(
                "Copie faite et vérifiée table par table, mais la clé d'audit est introuvable "
                "sur ce poste : le journal d'audit de la copie n'a pas pu être vérifié. "
                "Donnez-la par RELAIS_AUDIT_KEY et lancez « relais-admin audit verify »."
            )
        report = audit_chain.verify(target, audit_key)
    different = [c.name for c in checks if not c.same]
    if different:
        raise RelaisError(
            "La copie diffère de la base SQLite pour : " + ", ".join(different) + ". Ne "
            "l'utilisez pas ; la base SQLite est intacte."
        )
    if not report.ok:
        raise RelaisError("Le journal d'audit de la copie ne se vérifie pas : " + report.message())
    return MigrationReport(tuple(checks), entries, report.message())
