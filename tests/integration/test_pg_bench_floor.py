"""The benchmark's bare floor on PostgreSQL (``benchmarks/_common.bare_postgresql``) sends a
keystroke as the search does: the very statements the service ran, in autocommit (no BEGIN,
no transaction left open), with the search's server settings, and reads the same rows. A
floor that paid round trips the application does not pay would flatter every ratio to it."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from unit_reuse import load_unit_module

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from _common import SqlRecorder, bare_postgresql, replay  # noqa: E402

pytestmark = pytest.mark.postgres

patients = load_unit_module("test_driver_rows").patients


def test_a_keystroke_replayed_bare_is_the_searchs_one_round_trip(
    services, team, patients, pg_server, pg_database_name
):
    with SqlRecorder(services.db.engine) as recorder:
        found = services.patients.search(team.secretary, "lef").patients
    reads = recorder.last.reads
    assert len(reads) == 1 and [p.id for p in found] == [patients[0]]
    libpq_url = pg_server.url(pg_database_name).replace("+psycopg", "")
    with bare_postgresql(libpq_url, plain_reads=True) as conn:
        assert conn.autocommit
        assert conn.execute("SHOW plan_cache_mode").fetchone() == ("force_generic_plan",)
        assert conn.execute("SHOW TimeZone").fetchone() == ("UTC",)
        (rows,) = replay(conn, reads, binary=True)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert [row[0] for row in rows] == [patients[0]]
    assert rows[0][1] == found[0].birth_name


def test_a_file_replayed_bare_runs_in_a_transaction(pg_server, pg_database_name):
    libpq_url = pg_server.url(pg_database_name).replace("+psycopg", "")
    with bare_postgresql(libpq_url) as conn:
        assert not conn.autocommit
        replay(conn, [("SELECT count(*) FROM patient", None)], binary=True)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.rollback()


def test_the_servers_answer_alone_runs_the_statement_and_reads_no_row(pg_server, pg_database_name):
    """``fetch=False``, the keystroke's « server alone » floor: the statement runs and its
    whole answer arrives, but no row becomes a Python object."""
    libpq_url = pg_server.url(pg_database_name).replace("+psycopg", "")
    with bare_postgresql(libpq_url, plain_reads=True) as conn:
        ran = [("SELECT set_config('relais.floor_probe', 'reçu', false)", None)]
        assert replay(conn, ran, binary=True, fetch=False) == [[]]
        assert conn.execute("SHOW relais.floor_probe").fetchone() == ("reçu",)
        assert replay(conn, ran, binary=True) == [[("reçu",)]]
