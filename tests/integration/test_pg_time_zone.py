"""PostgreSQL sessions run in UTC, whatever the server's or the database's time zone: instants
come back as the application holds them, and the clinic's dates are still the clinic's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import select, text

from app.models import AuditEntry
from app.models.db import Database, make_engine
from app.models.plain_reads import plain_reads_engine
from app.services.statistics.sql import Dialect

pytestmark = pytest.mark.postgres


@pytest.fixture
def paris_url(pg_server, pg_database_name) -> str:
    """A database whose default time zone is the clinic's (as ``initdb`` sets it on a
    workstation in France)."""
    with pg_server.admin() as conn:
        conn.execute(f"ALTER DATABASE {pg_database_name} SET TimeZone = 'Europe/Paris'")
    return pg_server.url(pg_database_name)


def test_both_pools_run_in_utc_on_a_paris_database(pg_server, pg_database_name, paris_url):
    with psycopg.connect(
        host="127.0.0.1", port=pg_server.port, user="postgres", dbname=pg_database_name
    ) as plain:
        assert plain.execute("SHOW TimeZone").fetchone() == ("Europe/Paris",)
    database = Database.open(paris_url)
    try:
        with database.session(write=False) as session:
            assert session.execute(text("SHOW TimeZone")).scalar_one() == "UTC"
        with plain_reads_engine(database.engine).connect() as conn:  # the search's pool
            assert conn.execute(text("SHOW TimeZone")).scalar_one() == "UTC"
    finally:
        database.dispose()


def test_a_clinics_own_options_are_kept_before_ours(pg_server, pg_database_name):
    url = pg_server.url(pg_database_name) + "?options=-c%20statement_timeout%3D4321"
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "4321ms"
            assert conn.exec_driver_sql("SHOW TimeZone").scalar_one() == "UTC"
    finally:
        Database(engine, None).dispose()  # type: ignore[arg-type]


def test_instants_read_back_in_utc_and_dates_stay_the_clinics(paris_url):
    database = Database.open(paris_url)
    summer_evening = datetime(2026, 7, 14, 23, 30, tzinfo=timezone(timedelta(hours=2)))
    winter_night = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 1 January 00:30 in Paris
    try:
        with database.session() as session:
            for n, at in enumerate((summer_evening, winter_night), start=1):
                session.add(
                    AuditEntry(
                        at=at,
                        username="test",
                        role="gp",
                        action="read",
                        outcome="ok",
                        workstation="poste",
                        detail=f"instant {n}",
                        seq=10_000 + n,
                    )
                )
        with database.session(write=False) as session:
            rows = session.execute(
                select(AuditEntry.at).where(AuditEntry.seq > 10_000).order_by(AuditEntry.seq)
            ).all()
            read = [r.at for r in rows]
            assert read == [summer_evening, winter_night]
            assert all(at.tzinfo is UTC for at in read)
            local = Dialect.of(session).local_date(AuditEntry.at, summer_evening, winter_night)
            days = session.execute(
                select(local).where(AuditEntry.seq > 10_000).order_by(AuditEntry.seq)
            ).scalars()
            assert list(days) == [date(2026, 7, 14), date(2027, 1, 1)]
    finally:
        database.dispose()
