"""Migration 0002 (keys, second factor, audit chain, clinic settings) on a database that was
created and used at revision 0001; and back down to 0001 and up again.

The checks are plain functions of a database URL so that the PostgreSQL integration tests run
them unchanged (tests/integration/test_pg_migration_0002.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from app.container import Services
from app.models.base import UTCDateTime
from app.models.db import Database, _alembic_config, current_revision, make_engine
from app.models.enums import Profession, Role
from app.services.audit.chain import GENESIS, verify
from app.services.kernel.actor import system_actor

KEY = bytes(range(32))
COORDINATOR_PASSWORD = "boussole-cerf-volant-29"
CREATED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
UPDATED = [datetime(2025, 4, 2, 9, 30, tzinfo=UTC), datetime(2025, 6, 7, 17, 45, tzinfo=UTC)]
NEW_TABLES = {
    "audit_head",
    "compartment_key",
    "key_grant",
    "recovery_key",
    "user_key",
    "second_factor",
    "recovery_code",
    "document",
    "exceptional_access",
    "notification",
}

_clinic = sa.table(
    "clinic",
    *(sa.column(c) for c in ("id", "name", "address", "finess", "phone", "demo")),
    sa.column("inactivity_minutes"),
    sa.column("created_at", UTCDateTime),
    sa.column("version"),
)
_user = sa.table(
    "user_account",
    *(
        sa.column(c)
        for c in (
            "id",
            "username",
            "first_name",
            "last_name",
            "role",
            "profession",
            "rpps",
            "password_hash",
            "active",
            "must_change_password",
            "failed_logins",
            "version",
        )
    ),
    sa.column("created_at", UTCDateTime),
)
_patient = sa.table(
    "patient",
    *(
        sa.column(c)
        for c in (
            "id",
            "birth_name",
            "used_name",
            "first_names",
            "sex",
            "birth_date",
            "birth_place_code",
            "identity_status",
            "phone",
            "email",
            "address",
            "postal_code",
            "city",
            "attending_gp_other",
            "sort_key",
            "version",
        )
    ),
    sa.column("created_at", UTCDateTime),
    sa.column("updated_at", UTCDateTime),
)
_note = sa.table(
    "note",
    *(
        sa.column(c)
        for c in ("id", "patient_id", "compartment", "author_id", "updated_by_id", "version")
    ),
    sa.column("content", sa.LargeBinary),
    sa.column("created_at", UTCDateTime),
    sa.column("updated_at", UTCDateTime),
)
_audit = sa.table(
    "audit_entry",
    *(
        sa.column(c)
        for c in (
            "id",
            "username",
            "role",
            "action",
            "outcome",
            "workstation",
            "detail",
            "user_id",
        )
    ),
    sa.column("at", UTCDateTime),
)


def fill_at_0001(
    url: str, *, demo: bool, password_hash: str, audit_ids: tuple[int, ...] = (1, 2, 3)
) -> None:
    """Create the schema at revision 0001 and put a little of everything in it."""
    engine = make_engine(url)
    try:
        command.upgrade(_alembic_config(engine), "0001")
        assert current_revision(engine) == "0001"
        assert "audit_head" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(
                _clinic.insert().values(
                    id=1,
                    name="MSP d'avant",
                    address="",
                    finess="",
                    phone="",
                    demo=demo,
                    inactivity_minutes=7,
                    created_at=CREATED,
                    version=1,
                )
            )
            conn.execute(
                _user.insert().values(
                    id=1,
                    username="coord",
                    first_name="Anne",
                    last_name="Martin",
                    role=str(Role.COORDINATOR),
                    profession=str(Profession.COORDINATOR),
                    rpps=None,
                    password_hash=password_hash,
                    active=True,
                    must_change_password=False,
                    failed_logins=0,
                    version=1,
                    created_at=CREATED,
                )
            )
            for number, updated in enumerate(UPDATED, start=1):
                conn.execute(
                    _patient.insert().values(
                        id=number,
                        birth_name=f"Ancien{number}",
                        used_name="",
                        first_names="Patient",
                        sex="F",
                        birth_date=date(1950, 1, number),
                        birth_place_code="",
                        identity_status="provisional",
                        phone="",
                        email="",
                        address="",
                        postal_code="",
                        city="",
                        attending_gp_other="",
                        sort_key=f"ancien{number} patient",
                        version=1,
                        created_at=CREATED,
                        updated_at=updated,
                    )
                )
            conn.execute(
                _note.insert().values(
                    id=1,
                    patient_id=1,
                    compartment="medical",
                    author_id=1,
                    updated_by_id=1,
                    version=1,
                    content=b"P1:Ancienne note en clair.",
                    created_at=CREATED,
                    updated_at=CREATED,
                )
            )
            for entry_id, action in zip(
                audit_ids, ("clinic_setup", "login", "create"), strict=True
            ):
                conn.execute(
                    _audit.insert().values(
                        id=entry_id,
                        username="coord",
                        role="coordinator",
                        action=action,
                        outcome="ok",
                        workstation="accueil",
                        detail="",
                        user_id=1,
                        at=CREATED,
                    )
                )
            if engine.dialect.name == "postgresql":
                # Explicit ids do not move PostgreSQL's sequences: do it as real use would have.
                for table in ("clinic", "user_account", "patient", "note", "audit_entry"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        engine.dispose()


def assert_append_only(database: Database) -> None:
    for statement in ("UPDATE audit_entry SET outcome = 'refused'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
            conn.execute(text(statement))


def check_upgrade_from_0001(
    url: str, *, demo: bool, hasher, kdf, audit_ids: tuple[int, ...] = (1, 2, 3)
) -> None:
    fill_at_0001(
        url, demo=demo, password_hash=hasher.hash(COORDINATOR_PASSWORD), audit_ids=audit_ids
    )
    database = Database.open(url)  # brings it to head
    try:
        assert set(inspect(database.engine).get_table_names()) >= NEW_TABLES
        assert_append_only(database)
        with database.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, seq, mac FROM audit_entry ORDER BY id")).all()
            assert [r.id for r in rows] == list(audit_ids)
            # seq = id; where ids have gaps (rolled-back inserts), positions stay contiguous.
            assert [(r.seq, r.mac) for r in rows] == [(1, None), (2, None), (3, None)]
            head = conn.execute(text("SELECT id, seq, mac FROM audit_head")).one()
            assert tuple(head) == (1, 3, GENESIS)
            clinic = conn.execute(
                text(
                    "SELECT installation_id, require_totp, session_hours, break_glass_enabled, "
                    "break_glass_minutes, retention_years, backup_dir, backup_keep, "
                    "inactivity_minutes FROM clinic"
                )
            ).one()
            assert len(clinic.installation_id) == 36
            assert bool(clinic.require_totp) is (not demo)
            assert (
                clinic.session_hours,
                bool(clinic.break_glass_enabled),
                clinic.break_glass_minutes,
                clinic.retention_years,
                clinic.backup_dir,
                clinic.backup_keep,
                clinic.inactivity_minutes,
            ) == (12, False, 60, 5, "", 14, 7)
            stale = conn.execute(
                text(
                    "SELECT count(*) FROM patient "
                    "WHERE last_activity_at IS NULL OR last_activity_at <> updated_at"
                )
            ).scalar()
            assert stale == 0
        services = Services.build(database, hasher=hasher, kdf=kdf, audit_key=KEY)
        info = services.clinic.settings(system_actor())
        assert info.require_totp is (not demo) and info.installation_id
        # The services carry on: login works, new entries continue the chain after the old,
        # unsealed ones.
        coordinator = services.auth.login("coord", COORDINATOR_PASSWORD)
        services.accounts.list_users(coordinator)
        with database.engine.connect() as conn:
            report = verify(conn, KEY)
        assert report.ok, report.message()
        assert report.unsealed == 3 and report.checked > 3
    finally:
        database.dispose()


def check_down_and_up_again(url: str, *, hasher, kdf, build_team) -> None:
    database = Database.open(url)
    try:
        services = Services.build(database, hasher=hasher, kdf=kdf, audit_key=KEY)
        team = build_team(services)
        key = services.audit.key  # the setup gave the clinic its own audit key
        with database.engine.connect() as conn:
            entries = conn.execute(text("SELECT count(*) FROM audit_entry")).scalar()
        command.downgrade(_alembic_config(database.engine), "0001")
        assert current_revision(database.engine) == "0001"
        tables = set(inspect(database.engine).get_table_names())
        assert not tables & NEW_TABLES
        assert "seq" not in {c["name"] for c in inspect(database.engine).get_columns("audit_entry")}
        assert_append_only(database)
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() == entries
            assert conn.execute(text("SELECT count(*) FROM user_account")).scalar() == 7
        command.upgrade(_alembic_config(database.engine), "head")
        assert set(inspect(database.engine).get_table_names()) >= NEW_TABLES
        assert_append_only(database)
        with database.engine.connect() as conn:
            head = conn.execute(text("SELECT seq, mac FROM audit_head")).one()
            last_mac = conn.execute(
                text("SELECT mac FROM audit_entry ORDER BY seq DESC LIMIT 1")
            ).scalar()
            assert tuple(head) == (entries, last_mac) and last_mac != GENESIS
            report = verify(conn, key)
        # 0001 already had the MAC column: the sealed entries keep their positions and MACs,
        # and the whole chain still verifies.
        assert report.ok, report.message()
        assert (report.checked, report.unsealed) == (entries, 0)
        assert team.coordinator.user_id == 1
    finally:
        database.dispose()


@pytest.mark.parametrize("demo", [False, True], ids=["clinic", "demo"])
def test_upgrade_from_0001_with_data(db_url, helpers, demo):
    check_upgrade_from_0001(db_url, demo=demo, hasher=helpers.hasher, kdf=helpers.kdf)


def test_upgrade_from_0001_with_gaps_in_the_audit_ids(db_url, helpers):
    check_upgrade_from_0001(
        db_url, demo=False, hasher=helpers.hasher, kdf=helpers.kdf, audit_ids=(1, 2, 7)
    )


def test_downgrade_to_0001_and_upgrade_again(db_url, helpers):
    check_down_and_up_again(
        db_url, hasher=helpers.hasher, kdf=helpers.kdf, build_team=helpers.build_team
    )
