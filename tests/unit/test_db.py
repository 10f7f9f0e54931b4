"""SQLite storage: settings, migrations and their backup, location, concurrency, crashes,
and storage failures reported in French."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from at_once import at_once
from sqlalchemy import event, func, inspect, select, text

from app.container import Services
from app.models import Note, Patient, plain_reads
from app.models import db as dbmod
from app.models.db import (
    Database,
    current_revision,
    data_dir,
    head_revision,
    migrate,
    resolve_url,
    sqlite_path,
)
from app.services.kernel.errors import RelaisError, StorageError
from app.services.patient_file.records import PatientInput

TABLES = {"alembic_version", "audit_entry", "clinic", "note", "patient", "patient_token"}


def _pragma(database: Database, name: str):
    with database.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_settings(database):
    assert _pragma(database, "journal_mode") == "wal"
    assert _pragma(database, "foreign_keys") == 1
    assert _pragma(database, "synchronous") == 2  # FULL
    assert _pragma(database, "busy_timeout") >= 5000


def test_every_pooled_connection_gets_the_settings(database):
    conns = [database.engine.connect() for _ in range(3)]
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    finally:
        for conn in conns:
            conn.close()


def test_sqlite_plain_reads_map_the_file_on_a_read_only_pool_of_their_own(database):
    """The search's reads (``plain_rows``) go through a small pool of their own whose
    connections map the file (``mmap_size``) and cannot write; the application's other
    connections keep SQLite's bounded cache and write as before. A patient committed on the
    application's engine is found at once on the search's; disposing the database closes
    the search's connections too. An in-memory database has no second pool (it would be
    another database)."""
    from sqlalchemy.exc import OperationalError

    reads = plain_reads.plain_reads_engine(database.engine)
    assert reads is not database.engine and reads.url == database.engine.url
    assert reads.pool.size() == plain_reads.PLAIN_READS_POOL
    with reads.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == min(
            plain_reads.PLAIN_READS_MMAP_BYTES, 0x7FFF0000
        )
        assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == (
            dbmod.SQLITE_BUSY_TIMEOUT_MS
        )
        with pytest.raises(OperationalError, match="readonly"):
            conn.exec_driver_sql("INSERT INTO patient_token (patient_id, token) VALUES (1, 'x')")
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 0
    with database.session() as session:
        session.execute(text("CREATE TABLE _seen (n INTEGER)"))
        session.execute(text("INSERT INTO _seen VALUES (7)"))
    with reads.connect() as conn:
        assert conn.exec_driver_sql("SELECT n FROM _seen").scalar() == 7
    pooled = reads.raw_connection()
    driver = pooled.driver_connection
    pooled.close()  # back in the search's pool
    database.dispose()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        driver.execute("SELECT 1")
    memory = dbmod.make_engine("sqlite://")
    assert plain_reads.plain_reads_engine(memory) is memory
    memory.dispose()


def test_a_server_url_gets_a_pool_of_its_own_for_plain_reads():
    engine = dbmod.make_engine("postgresql://relais@127.0.0.1/relais?options=-c%20a.b%3D1")
    reads = plain_reads.plain_reads_engine(engine)  # no connection is made
    assert reads is not engine and reads.url == engine.url
    assert reads.pool.size() == plain_reads.PLAIN_READS_POOL
    engine.dispose()


def test_foreign_keys_are_enforced(database):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.session() as session:
        session.execute(
            text("INSERT INTO patient_token (patient_id, token) VALUES (4242, 'orphelin')")
        )


def test_fresh_file_is_migrated_to_head(db_url):
    path = sqlite_path(db_url)
    assert not path.exists()
    database = Database.open(db_url)
    try:
        assert path.exists()
        assert current_revision(database.engine) == head_revision()
        names = set(inspect(database.engine).get_table_names())
        assert names >= TABLES | {"user_account"}
        with database.engine.connect() as conn:
            triggers = set(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                .scalars()
                .all()
            )
        assert {"audit_entry_no_update", "audit_entry_no_delete"} <= triggers
    finally:
        database.dispose()


def test_reopening_is_a_no_op(db_url, tmp_path):
    first = Database.open(db_url)
    services = Services.build(first)
    services.clinic.setup(
        *_clinic_and_coordinator(),
        "voilier-orange-2026-ok",
    )
    first.dispose()
    files = sorted(p.name for p in tmp_path.iterdir())
    again = Database.open(db_url)
    try:
        assert migrate(again.engine) is None
        assert current_revision(again.engine) == head_revision()
        assert Services.build(again).clinic.is_set_up()
    finally:
        again.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if "avant-migration" in p.name) == []
    assert {p for p in files if "avant-migration" in p} == set()


def _clinic_and_coordinator():
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput
    from app.services.clinic.records import ClinicInput

    return (
        ClinicInput("MSP des Tilleuls"),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
    )


NEXT_REVISION = '''
"""a later release (test only)"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later_release", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("later_release")
'''


def test_existing_database_is_backed_up_with_the_online_api_before_migrating(
    tmp_path, monkeypatch, make_patient, database, team
):
    """A release with a newer migration meets a database at the previous revision."""
    path = sqlite_path(database.url)
    make_patient("Sauvegardé", "Avant")
    # Keep a reader open so that the last commits stay in the WAL file (no checkpoint on
    # close): a plain copy of the main file would miss them, the online backup does not.
    holder = sqlite3.connect(str(path))
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM patient").fetchone()
    make_patient("Dans-le-wal", "Récent")
    database.dispose()
    assert Path(f"{path}-wal").stat().st_size > 0

    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_later_release.py").write_text(
        NEXT_REVISION.format(head=head_revision())
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS", scripts)
    monkeypatch.setattr(dbmod, "HEAD_REVISION", "9999")  # what that release would ship
    assert head_revision() == "9999"

    newer = Database.open(str(database.url))
    holder.rollback()
    holder.close()
    try:
        assert current_revision(newer.engine) == "9999"
        assert "later_release" in inspect(newer.engine).get_table_names()
        with newer.sessions() as session:
            names = set(session.scalars(select(Patient.birth_name)))
        assert {"Sauvegardé", "Dans-le-wal"} <= names
    finally:
        newer.dispose()
    (backup,) = sorted(path.parent.glob("relais.avant-migration-*.sqlite"))
    copy = sqlite3.connect(str(backup))
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] != "9999"
        names = {r[0] for r in copy.execute("SELECT birth_name FROM patient")}
        assert {"Sauvegardé", "Dans-le-wal"} <= names
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
        assert "later_release" not in tables
    finally:
        copy.close()


def test_downgraded_database_is_brought_back_to_head(db_url):
    from alembic import command

    database = Database.open(db_url)
    command.downgrade(dbmod._alembic_config(database.engine), "base")
    assert current_revision(database.engine) is None
    database.dispose()
    again = Database.open(db_url)
    try:
        assert current_revision(again.engine) == head_revision()
        assert set(inspect(again.engine).get_table_names()) >= TABLES
    finally:
        again.dispose()


# ---- location ------------------------------------------------------------------------------


@pytest.fixture
def fake_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv(dbmod.ENV_DATABASE_URL, raising=False)
    return home


def test_default_location_is_the_user_data_folder(fake_home):
    folder = fake_home / ".local" / "share" / "Relais"
    assert resolve_url(None) == f"sqlite:///{folder / 'relais.sqlite'}"
    assert resolve_url(None, demo=True) == f"sqlite:///{folder / 'relais-demo.sqlite'}"
    assert data_dir() == folder and folder.is_dir()


def test_environment_variable_overrides_the_default(fake_home, monkeypatch):
    monkeypatch.setenv("RELAIS_DATABASE_URL", "  postgresql://relais@serveur/relais  ")
    assert resolve_url(None) == "postgresql://relais@serveur/relais"
    assert resolve_url("", demo=True) == "postgresql://relais@serveur/relais"
    monkeypatch.setenv("RELAIS_DATABASE_URL", "   ")
    assert resolve_url(None).endswith("/Relais/relais.sqlite")


def test_command_line_overrides_everything(fake_home, monkeypatch):
    monkeypatch.setenv("RELAIS_DATABASE_URL", "postgresql://relais@serveur/relais")
    assert resolve_url("sqlite:////srv/relais.sqlite") == "sqlite:////srv/relais.sqlite"
    assert resolve_url("sqlite:////srv/relais.sqlite", demo=True) == "sqlite:////srv/relais.sqlite"


def test_postgres_urls_use_psycopg_3():
    engine = dbmod.make_engine("postgresql://relais@localhost:1/relais")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
    finally:
        engine.dispose()


# ---- concurrency and crashes ---------------------------------------------------------------


def test_two_writers_at_once_both_succeed(db_url, services, team, make_patient):
    patient_id = make_patient()
    second = Database.open(db_url)  # another workstation: its own engine and connections
    try:
        other = Services.build(second, hasher=None)

        def write(svc, actor, label):
            for i in range(25):
                svc.notes.add(actor, patient_id, "medical", f"{label} {i}")

        assert (
            at_once(lambda: write(services, team.gp, "A"), lambda: write(other, team.gp2, "B"))
            == []
        )
        texts = [n.text for n in services.notes.list(team.gp, patient_id, "medical")]
        assert sorted(texts) == sorted(
            [f"A {i}" for i in range(25)] + [f"B {i}" for i in range(25)]
        )
    finally:
        second.dispose()


WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, date, datetime
    from app.models import Note, Patient, PatientToken
    from app.models.db import Database

    db = Database.open(sys.argv[1])
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # any instant: only the rows' fate is tested
    stamps = dict(created_at=at, updated_at=at, last_activity_at=at)
    with db.session() as session:
        session.add(Patient(**stamps, birth_name="Validé", first_names="Avant", sex="F",
                            birth_date=date(1970, 1, 1), sort_key="valide avant",
                            tokens=[PatientToken(token="valide")]))
    with db.session() as session:
        for i in range(300):
            p = Patient(**stamps, birth_name=f"Moitie{i}", first_names="Jamais", sex="M",
                        birth_date=date(1980, 1, 1), sort_key=f"moitie{i}",
                        tokens=[PatientToken(token=f"moitie{i}")])
            session.add(p)
            session.flush()
            session.add(Note(created_at=at, updated_at=at,
                             patient_id=p.id, compartment="medical", author_id=1,
                             updated_by_id=1, content=b"P1:" + b"x" * 2000))
        session.flush()
        print("READY", flush=True)
        time.sleep(120)
    """
)


def test_killed_writer_leaves_the_database_consistent(db_url, services, team, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    proc = subprocess.Popen(
        [sys.executable, str(script), db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reopened = Database.open(db_url)
    try:
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        with reopened.sessions() as session:
            names = list(session.scalars(select(Patient.birth_name)))
            notes = session.scalar(select(func.count()).select_from(Note))
        assert names == ["Validé"]
        assert notes == 0
        # The database takes writes again (the crashed writer's lock is gone).
        svc = Services.build(reopened)
        actor = team.secretary
        created = svc.patients.create(
            actor, PatientInput("Après", "Panne", "F", "01/01/1990"), confirm_duplicate=True
        )
        assert svc.patients.get(actor, created.id).birth_name == "Après"
    finally:
        reopened.dispose()


# ---- storage failures ------------------------------------------------------------------------


def _with_pragma(database: Database, pragma: str) -> None:
    """Make every new connection of ``database`` run ``pragma`` (and drop pooled ones)."""
    database.engine.dispose()
    event.listen(database.engine, "connect", lambda conn, _rec: conn.execute(pragma))


def test_read_only_database_gives_a_french_error(services, team, make_patient, database, db_state):
    patient_id = make_patient()
    before = db_state()
    _with_pragma(database, "PRAGMA query_only = ON")
    with pytest.raises(StorageError) as info:
        services.notes.add(team.gp, patient_id, "medical", "Texte qui ne sera pas écrit.")
    assert isinstance(info.value, RelaisError)
    assert "n'a pas pu enregistrer" in info.value.message
    assert "Rien n'a été enregistré" in info.value.message
    # Reading still works, and nothing was half-written.
    assert services.patients.search(team.secretary, "dupre").patients
    assert db_state() == before


def test_full_disk_gives_a_french_error(services, team, make_patient, database, db_state):
    patient_id = make_patient()
    pages = _pragma(database, "page_count")
    before = db_state()
    _with_pragma(database, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError) as info:
        services.notes.add(team.gp, patient_id, "medical", "y" * 90_000)
    assert "disque plein" in info.value.message
    assert db_state() == before


def test_the_head_constant_is_alembics_head():
    assert dbmod.head_revision() == dbmod.HEAD_REVISION


def test_an_up_to_date_database_opens_without_loading_alembic(db_url):
    Database.open(db_url).dispose()  # migrated here
    code = textwrap.dedent(
        f"""
        import sys
        from app.models.db import Database, stored_revision
        db = Database.open({db_url!r})
        assert stored_revision(db.engine) == "{dbmod.HEAD_REVISION}"
        print(sorted(m for m in sys.modules if m.split(".")[0] == "alembic"))
        """
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
