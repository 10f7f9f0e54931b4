"""Shared helpers of the benchmark scripts: the reference database and the result table."""

from __future__ import annotations

import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT.parent))

OUT = ROOT / "out"
REFERENCE = OUT / "reference.sqlite"
REFERENCE_PATIENTS = 100_000


def reference_url(path: Path = REFERENCE) -> str:
    return f"sqlite:///{path}"


def fr_int(value: int) -> str:
    """An integer with French digit grouping: 100 000."""
    return f"{value:,}".replace(",", " ")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def timing_row(label: str, samples_ms: list[float], budget_ms: float | None) -> list[str]:
    p95 = percentile(samples_ms, 95)
    verdict = "" if budget_ms is None else ("OK" if p95 < budget_ms else "DÉPASSÉ")
    return [
        label,
        str(len(samples_ms)),
        f"{statistics.median(samples_ms):.2f}",
        f"{p95:.2f}",
        f"{max(samples_ms):.2f}",
        "" if budget_ms is None else f"< {budget_ms:g}",
        verdict,
    ]


TIMING_HEADERS = ["Mesure", "n", "p50 (ms)", "p95 (ms)", "max (ms)", "budget p95", "verdict"]


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    from app.admin import text_table

    print(text_table(headers, rows))


# ---- timing ---------------------------------------------------------------------------------
def timed(call, runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls of ``call(index)``: the one timing loop of the scripts."""
    samples = []
    for index in range(runs):
        started = time.perf_counter()
        call(index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# ---- the SQL a call runs, and the same SQL run bare -----------------------------------------
@dataclass
class Recorded:
    """The statements (text and bound parameters) and commits of one recorded call."""

    statements: list[tuple[str, object]] = field(default_factory=list)
    executemany: int = 0
    commits: int = 0

    @property
    def reads(self) -> list[tuple[str, object]]:
        return [(s, p) for s, p in self.statements if _is_read(s)]


# A data-modifying WITH (on PostgreSQL the audit entries go in with the head's move).
_WRITES = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)


def _is_read(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return head == "SELECT" or (head == "WITH" and not _WRITES.search(statement))


class SqlRecorder:
    """Records what the application sends to the database through ``engine`` while active.

    ``with SqlRecorder(engine) as rec: service.call()`` then ``rec.last`` holds the statements
    exactly as the driver received them, so :func:`replay` can run the same SQL without the
    application's layers.
    """

    def __init__(self, engine) -> None:
        self.engine = engine
        self.last = Recorded()

    def _execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if executemany:
            self.last.executemany += 1
        self.last.statements.append((statement, parameters))

    def _commit(self, conn) -> None:
        self.last.commits += 1

    def __enter__(self) -> SqlRecorder:
        from sqlalchemy import event

        self.last = Recorded()
        event.listen(self.engine, "before_cursor_execute", self._execute)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._execute)
        event.remove(self.engine, "commit", self._commit)


def replay(
    conn, statements: list[tuple[str, object]], *, binary: bool = False, fetch: bool = True
) -> list[list]:
    """Run these read statements on a bare DB-API connection (``sqlite3`` or ``psycopg``),
    fetching every row: the floor of the same SQL without ORM, policy or audit. ``binary``:
    psycopg's rows in PostgreSQL's binary format, as the application reads its hot ones.
    ``fetch=False`` (psycopg): the server's whole answer received, no row made into Python
    objects — the time of the server and the link alone."""
    results = []
    for statement, parameters in statements:
        cursor = conn.cursor(binary=True) if binary else conn.cursor()
        cursor.execute(statement, parameters or ())
        results.append(cursor.fetchall() if fetch else [])
        cursor.close()
    return results


def bare_sqlite(path: Path):
    """A plain ``sqlite3`` connection to the same file (WAL, as the application opens it)."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # a commit costs what the application's costs
    return conn


def bare_postgresql(libpq_url: str, *, plain_reads: bool = False):
    """A plain ``psycopg`` connection to the same database, set up as the application's:
    its server settings, and with ``plain_reads`` as the search's own (autocommit: a read is
    one round trip, no BEGIN; each statement prepared at its first use, with one generic
    plan — ``app.models.plain_reads.plain_reads_engine``)."""
    import psycopg

    from app.models.db import SERVER_OPTIONS
    from app.models.plain_reads import PLAIN_READS_OPTIONS

    if not plain_reads:
        return psycopg.connect(libpq_url, options=SERVER_OPTIONS)
    return psycopg.connect(
        libpq_url,
        autocommit=True,
        prepare_threshold=0,
        options=f"{SERVER_OPTIONS} {PLAIN_READS_OPTIONS}",
    )
