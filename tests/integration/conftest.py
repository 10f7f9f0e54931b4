"""A throw-away PostgreSQL server for the integration tests (DESIGN.md §10).

The server is started once per session from the machine's binaries
(``/usr/lib/postgresql/*/bin``) on a free localhost port, in a temporary folder; as root, the
folder belongs to the ``postgres`` system user and the binaries run through ``runuser``
(``initdb`` refuses to run as root). Each test gets a fresh database copied from a migrated
template, so the unit tests' fixtures (``db_url`` → ``database`` → ``services`` → ``team``)
run unchanged on PostgreSQL. Outside CI, no binaries means a skip; in CI (``CI=true``), a failure.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from app.models.db import Database


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _bin_dir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    port: int
    folder: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        reason = (
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin "
            "(install the 'postgresql' package to run these tests)"
        )
        if _in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="relais-pg-"))
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    data, log = folder / "data", folder / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run(
            [*prefix, *args], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            details = result.stdout + result.stderr
            if log.exists():
                details += log.read_text(errors="replace")[-3000:]
            pytest.fail(f"{' '.join(args[:2])} failed:\n{details}", pytrace=False)

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
    server = PgServer(port, folder)
    try:
        with server.admin() as conn:
            conn.execute("CREATE DATABASE relais_template")
        template = Database.open(server.url("relais_template"))  # migrated once
        template.dispose()
        yield server
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


_numbers = itertools.count(1)


@pytest.fixture
def pg_database_name(pg_server: PgServer) -> Iterator[str]:
    """A fresh, migrated database (a copy of the template); dropped after the test."""
    name = f"relais_test_{next(_numbers)}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE relais_template")
    yield name
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(pg_server: PgServer, pg_database_name: str) -> str:
    """Overrides the SQLite ``db_url`` of tests/conftest.py: everything runs on PostgreSQL."""
    return pg_server.url(pg_database_name)


@pytest.fixture
def empty_pg_url(pg_server: PgServer) -> Iterator[str]:
    """An empty database (no schema at all), for migration tests."""
    name = f"relais_empty_{next(_numbers)}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.url(name)
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
