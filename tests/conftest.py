"""Shared fixtures: a real SQLite file per test, services, one account per role, keyring."""

from __future__ import annotations

import copy
import gc
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from suite_clock import FakeClock, suite_now

from app.container import Services
from app.models.db import Database, sqlite_path
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput
from app.services.kernel.actor import Actor
from app.services.security.crypto import KdfParams
from app.views.common.garbage import collect_due

# Real Argon2id, with a lighter cost so that the suite stays fast.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
# Real Argon2id key derivation for the compartment keys, equally lighter.
FAST_KDF = KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1)
PASSWORD = "mot-de-passe-de-test-1"
# Passes the password policy (app/services/security/passwords.py) for Anne Martin, "coord", at the
# test clinic: no username, name, clinic name or "Relais" in it, not a common password.
COORDINATOR_PASSWORD = "boussole-cerf-volant-29"


def make_rpps(seed: int) -> str:
    body = f"1{seed:09d}"
    return body + luhn.calc_check_digit(body)


def make_nir(sex: str, year: int, month: int, dept: str = "75", serial: int = 123456) -> str:
    body = f"{1 if sex == 'M' else 2}{year % 100:02d}{month:02d}{dept}{serial:06d}"
    return body + stdnum_nir.calc_check_digits(body)


class MemoryKeyring(KeyringBackend):
    """In-memory keyring backend for tests (the machine has no OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def garbage_due() -> Iterator[None]:
    """Once the GUI tests have turned automatic collection off (as the application does, see
    app/views/common/garbage.py), tests without an event loop still collect, on this thread."""
    yield
    if not gc.isenabled():
        collect_due()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'relais.sqlite'}"


@pytest.fixture
def database(
    request: pytest.FixtureRequest, db_url: str, memory_keyring: MemoryKeyring
) -> Iterator[Database]:
    # A test that asks for the shared team starts from a copy of the team's database (built
    # once per session, see ``team_template``) instead of setting the clinic up again.
    target = sqlite_path(db_url)
    if "team" in request.fixturenames and target is not None and not target.exists():
        template: TeamTemplate = request.getfixturevalue("team_template")
        template.copy_to(target, memory_keyring)
    db = Database.open(db_url)
    yield db
    db.dispose()


@dataclass
class Team:
    """One logged-in actor per role (two GPs, two paramedicals to test 'own' rules)."""

    coordinator: Actor
    gp: Actor
    gp2: Actor
    social_worker: Actor
    paramedical: Actor
    paramedical2: Actor
    secretary: Actor
    # The clinic's recovery key, shown once at setup (key recovery tests).
    recovery_key: str = field(default="", repr=False)

    def by_role(self, role: Role) -> Actor:
        return {
            Role.COORDINATOR: self.coordinator,
            Role.GP: self.gp,
            Role.SOCIAL_WORKER: self.social_worker,
            Role.PARAMEDICAL: self.paramedical,
            Role.SECRETARY: self.secretary,
        }[Role(role)]


TEAM_ACCOUNTS = [
    ("gp", "dr.durand", "Paul", "Durand", Role.GP, Profession.GENERAL_PRACTITIONER, 1),
    ("gp2", "dr.lefevre", "Claire", "Lefèvre", Role.GP, Profession.GENERAL_PRACTITIONER, 2),
    (
        "social_worker",
        "as.moreau",
        "Sophie",
        "Moreau",
        Role.SOCIAL_WORKER,
        Profession.SOCIAL_WORKER,
        0,
    ),
    ("paramedical", "ide.bernard", "Luc", "Bernard", Role.PARAMEDICAL, Profession.NURSE, 3),
    (
        "paramedical2",
        "kine.petit",
        "Inès",
        "Petit",
        Role.PARAMEDICAL,
        Profession.PHYSIOTHERAPIST,
        4,
    ),
    ("secretary", "sec.roux", "Nadia", "Roux", Role.SECRETARY, Profession.SECRETARY, 0),
]


def build_team(services: Services) -> Team:
    setup = services.clinic.setup(
        # The second factor has tests of its own; the shared team logs in with a password.
        ClinicInput(
            "MSP des Tilleuls (test)", "12 rue des Tilleuls, 76000 Rouen", require_totp=False
        ),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        COORDINATOR_PASSWORD,
    )
    coordinator = services.auth.login("coord", COORDINATOR_PASSWORD)
    actors: dict[str, Actor] = {"coordinator": coordinator}
    for _key, username, first, last, role, profession, rpps_seed in TEAM_ACCOUNTS:
        services.accounts.create_user(
            coordinator,
            UserInput(
                username, first, last, role, profession, make_rpps(rpps_seed) if rpps_seed else ""
            ),
            PASSWORD,
            must_change=False,
        )
    # Everyone exists before the first holder logs in: their session then seals each
    # compartment key to every entitled colleague at once.
    for key, username, *_ in TEAM_ACCOUNTS:
        actors[key] = services.auth.login(username, PASSWORD)
    return Team(**actors, recovery_key=setup.recovery_key)


@pytest.fixture
def services(database: Database, clock: FakeClock) -> Services:
    return Services.build(database, clock=clock, hasher=FAST_HASHER, kdf=FAST_KDF)


@dataclass
class TeamTemplate:
    """The clinic and the team, set up once: the database file, the secrets the setup put in
    the keyring (audit key…) and the logged-in actors. Each test gets copies of all three."""

    path: Path
    secrets: dict[tuple[str, str], str]
    team: Team

    def copy_to(self, target: Path, keyring_backend: MemoryKeyring) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path, target)
        keyring_backend.store.update(self.secrets)


@pytest.fixture(scope="session")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamTemplate]:
    path = tmp_path_factory.mktemp("team") / "team.sqlite"
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        database = Database.open(f"sqlite:///{path}")
        services = Services.build(database, clock=FakeClock(), hasher=FAST_HASHER, kdf=FAST_KDF)
        team = build_team(services)
        database.dispose()  # checkpoints the WAL: the file alone is the whole database
    finally:
        keyring.set_keyring(previous)
    yield TeamTemplate(path, dict(backend.store), team)


@pytest.fixture
def team(services: Services, database: Database, team_template: TeamTemplate) -> Team:
    if sqlite_path(database.url) is None:  # PostgreSQL: set up for real
        return build_team(services)
    return copy.deepcopy(team_template.team)


@pytest.fixture
def make_patient(services: Services, team: Team) -> Callable[..., int]:
    from app.services.patient_file.records import PatientInput

    counter = iter(range(1, 1_000_000))

    def _make(birth_name: str = "Dupré", first_names: str = "Jean", **kwargs) -> int:
        defaults = {"sex": "M", "birth_date": f"{next(counter) % 28 + 1:02d}/03/1960"}
        defaults.update(kwargs)
        record = services.patients.create(
            team.secretary,
            PatientInput(birth_name=birth_name, first_names=first_names, **defaults),
            confirm_duplicate=True,
        )
        return record.id

    return _make


@pytest.fixture
def liaison_consent(services: Services, team: Team) -> Callable[[int], None]:
    """Record the patient's (oral) consent to liaison sharing: liaison notes need it."""

    def _give(patient_id: int) -> None:
        services.consents.record(team.secretary, patient_id, "liaison", "given")

    return _give


# ---- helpers for the service-level suites (audit queries, "nothing written" checks) ----------


class AuditLog:
    """Reads the audit trail straight from the database (no service in between)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def rows(self, **where) -> list:
        from sqlalchemy import select

        from app.models import AuditEntry

        query = select(AuditEntry).order_by(AuditEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        with self._db.sessions() as session:
            return list(session.scalars(query))

    def last_id(self) -> int:
        rows = self.rows()
        return rows[-1].id if rows else 0

    def since(self, last_id: int, **where) -> list:
        return [r for r in self.rows(**where) if r.id > last_id]


@pytest.fixture
def audit_log(database: Database) -> AuditLog:
    return AuditLog(database)


AUDIT_TABLES = {"audit_entry", "audit_head"}


def database_state(database: Database) -> dict[str, list[tuple]]:
    """Every row of every table except the audit trail, for "nothing was written" checks.

    The audit trail is the entries and the chain head (``audit_head``): a refusal appends an
    entry and so moves the head.
    """
    from sqlalchemy import select

    from app.models import Base

    state: dict[str, list[tuple]] = {}
    with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in AUDIT_TABLES:
                continue
            rows = conn.execute(select(table)).all()
            state[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return state


@pytest.fixture
def db_state(database: Database) -> Callable[[], dict[str, list[tuple]]]:
    return lambda: database_state(database)


@pytest.fixture
def helpers():
    """Constants and generators of this conftest, for test modules (which must not import
    ``conftest``: several conftest modules share that name)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        password=PASSWORD,
        coordinator_password=COORDINATOR_PASSWORD,
        make_rpps=make_rpps,
        make_nir=make_nir,
        hasher=FAST_HASHER,
        kdf=FAST_KDF,
        build_team=build_team,
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"Relais test clock: {suite_now().isoformat()} (RELAIS_TEST_NOW)"


# The tests whose outcome depends on the day they run: CI runs them again at each edge date
# (``pytest -m dates``, see .ci/run and suite_clock.EDGE_DATES). Every GUI test is one.
DATE_SENSITIVE = {
    "test_audit_log",  # date filters
    "test_auth",  # throttling, inactivity, password age
    "test_backup",
    "test_clock",
    "test_consents",  # decision dates, « dans le futur »
    "test_consultations",  # action plan due dates and reminders
    "test_demo",  # demo data around today
    "test_discharge",  # follow-up dates and reminders, ARDH age
    "test_documents",  # document numbers per year, local times
    "test_exceptional_access",  # expiry
    "test_home_care",  # overdue requests
    "test_identity_hypothesis",  # birth dates up to today
    "test_inbox",  # referral delays
    "test_patients",  # birth dates
    "test_recurrence",  # sessions, holidays
    "test_referral_documents",
    "test_referrals",  # delays
    "test_retention",
    "test_scheduling",  # agenda, sessions, booking
    "test_scheduling_demo",
    "test_scheduling_lists",  # waiting list, call list, slips, iCalendar
    "test_second_factor",  # TOTP time steps
    "test_validation",
}
TESTS_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).resolve()
        if path.stem in DATE_SENSITIVE or (TESTS_DIR / "gui") in path.parents:
            item.add_marker(pytest.mark.dates)
