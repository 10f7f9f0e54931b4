"""The server guide's least privilege (docs/serveur-postgresql.md § 2): a workstation's role
that may only read and write rows runs Relais — login, search, a referral sent and heard
through LISTEN/NOTIFY — and cannot touch the schema or the audit trail."""

from __future__ import annotations

import itertools
import time

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from unit_reuse import load_unit_module

from app.container import Services
from app.models.db import Database
from app.services.kernel.change_listener import ChangeListener

pytestmark = [pytest.mark.postgres]
_roles = itertools.count(1)
_unit = load_unit_module("test_changes")
PASSWORD = "mot-de-passe-de-test-1"  # tests/conftest.py PASSWORD
GRANTS = """
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {group};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {group};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {group};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {group};
"""


@pytest.fixture
def workstation_url(pg_server, pg_database_name, team):
    n = next(_roles)
    group, role = f"relais_postes_{n}", f"poste_{n}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE ROLE {group} NOLOGIN")
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'poste-secret' IN ROLE {group}")
        conn.execute(f"GRANT CONNECT ON DATABASE {pg_database_name} TO {group}")
    with psycopg.connect(
        host="127.0.0.1",
        port=pg_server.port,
        user="postgres",
        dbname=pg_database_name,
        autocommit=True,
    ) as conn:
        conn.execute(GRANTS.format(group=group))
    url = make_url(pg_server.url(pg_database_name)).set(username=role, password="poste-secret")
    yield url.render_as_string(hide_password=False)
    with pg_server.admin() as conn:
        conn.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
        )
    with psycopg.connect(
        host="127.0.0.1",
        port=pg_server.port,
        user="postgres",
        dbname=pg_database_name,
        autocommit=True,
    ) as conn:
        conn.execute(f"DROP OWNED BY {group}")
    with pg_server.admin() as conn:
        conn.execute(f"DROP ROLE {role}")
        conn.execute(f"DROP ROLE {group}")


def test_a_row_only_role_runs_relais(services, team, make_patient, workstation_url, clock):
    station = Services.build(Database.open(workstation_url), clock=clock)
    heard = []
    station.changes.subscribe(heard.append)
    listener = ChangeListener(station.db.url, station.changes)
    listener.start()
    try:
        assert listener.connected.wait(10)
        gp = station.auth.login("dr.durand", PASSWORD)
        patient = make_patient("Martin", "Lucie")
        assert station.patients.search(gp, "martin").patients
        mine = _unit.send_referral(station, team, patient)  # rows written by the role
        theirs = _unit.send_referral(services, team, patient)  # another workstation's
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(
            ("referral", theirs) in {(c.kind, c.id) for c in b.changes} for b in heard
        ):
            time.sleep(0.05)
        kinds = {(c.kind, c.id) for b in heard for c in b.changes}
        assert ("referral", mine) in kinds and ("referral", theirs) in kinds
        with station.db.engine.connect() as conn:
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text("CREATE TABLE intrus (id int)"))
            conn.rollback()
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text("UPDATE audit_entry SET detail = 'x'"))
    finally:
        listener.stop()
        station.db.dispose()
