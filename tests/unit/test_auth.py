"""Login, throttling, screen unlock and account management (AuthService, ClinicService.setup)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.container import Services
from app.models import Clinic, User
from app.models.enums import AuditOutcome, Profession, Role
from app.services.accounts.auth import BAD_CREDENTIALS
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput
from app.services.kernel.errors import (
    AccountLocked,
    AuthenticationError,
    PermissionDenied,
    ValidationError,
)
from app.services.security import passwords as password_policy

DISABLED = "Ce compte est désactivé. Adressez-vous à la coordination de la maison de santé."
ONLY_COORDINATION = "Seule la coordination gère les comptes."


def _hash_of(database, username: str) -> str:
    with database.sessions() as session:
        return session.scalar(select(User.password_hash).where(User.username == username))


def _fail(services, username: str, times: int = 1) -> list[Exception]:
    errors = []
    for _ in range(times):
        with pytest.raises(AuthenticationError) as info:
            services.auth.login(username, "pas-le-bon-mot-de-passe")
        errors.append(info.value)
    return errors


def _nurse(helpers, username="ide.leroy", **kwargs) -> UserInput:
    values = {
        "username": username,
        "first_name": "Élodie",
        "last_name": "Leroy",
        "role": Role.PARAMEDICAL,
        "profession": Profession.NURSE,
        "rpps": helpers.make_rpps(42),
    }
    values.update(kwargs)
    return UserInput(**values)


# ---- passwords and login ----------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes(services, team, database, helpers):
    for username in ("coord", "dr.durand", "sec.roux"):
        stored = _hash_of(database, username)
        assert stored.startswith("$argon2id$")
        assert helpers.password not in stored
        assert helpers.coordinator_password not in stored


def test_default_hasher_is_argon2id_above_owasp_minimums(database):
    services = Services.build(database)
    stored = services.accounts.hash_password("un-mot-de-passe-solide")
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    # OWASP: m >= 19 MiB with t >= 2 (or m >= 46 MiB with t = 1).
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2


def test_login_returns_the_actor_of_the_account(services, team, clock):
    actor = services.auth.login("  Dr.Durand ", "mot-de-passe-de-test-1", workstation="accueil-2")
    assert actor.user_id == team.gp.user_id
    assert actor.role is Role.GP
    assert actor.display_name == "Paul Durand"
    assert actor.workstation == "accueil-2"
    assert actor.logged_in_at == clock()


def test_wrong_password_and_unknown_user_get_the_same_french_message(services, team):
    with pytest.raises(AuthenticationError) as wrong:
        services.auth.login("dr.durand", "pas-le-bon-mot-de-passe")
    with pytest.raises(AuthenticationError) as unknown:
        services.auth.login("dr.inconnu", "pas-le-bon-mot-de-passe")
    assert wrong.value.message == unknown.value.message == BAD_CREDENTIALS
    assert "Identifiant ou mot de passe incorrect" in BAD_CREDENTIALS
    assert type(wrong.value) is type(unknown.value) is AuthenticationError


def test_failures_are_throttled_with_a_growing_delay(services, team, clock, helpers):
    errors = _fail(services, "dr.durand", 2)
    assert all(type(e) is AuthenticationError for e in errors)
    delays = []
    for _ in range(4):
        (error,) = _fail(services, "dr.durand")
        assert isinstance(error, AccountLocked)
        assert "Trop de tentatives de connexion pour ce compte" in error.message
        delays.append(error.seconds)
        # While locked, even the right password is refused, with the remaining wait.
        with pytest.raises(AccountLocked) as locked:
            services.auth.login("dr.durand", helpers.password)
        assert 0 < locked.value.seconds <= error.seconds
        clock.advance(seconds=error.seconds)
    assert delays == sorted(delays) and len(set(delays)) == len(delays)
    assert delays[0] >= 1
    # The lock expires: the right password works again and clears the counter.
    actor = services.auth.login("dr.durand", helpers.password)
    assert actor.user_id == team.gp.user_id
    assert type(_fail(services, "dr.durand")[0]) is AuthenticationError


def test_locked_message_says_how_long_in_french(services, team):
    errors = _fail(services, "dr.durand", 3)
    assert isinstance(errors[-1], AccountLocked)
    assert errors[-1].message.endswith(f"Réessayez dans {errors[-1].seconds} secondes.")


def test_one_accounts_failures_never_block_another(services, team, helpers):
    errors = _fail(services, "dr.durand", 6)
    assert isinstance(errors[-1], AccountLocked)
    for username in ("dr.lefevre", "sec.roux", "coord"):
        password = helpers.coordinator_password if username == "coord" else helpers.password
        assert services.auth.login(username, password).username == username
    # Failures on an unknown name lock no one.
    _fail(services, "personne", 10)
    assert services.auth.login("dr.lefevre", helpers.password).username == "dr.lefevre"


def test_disabled_account_is_refused(services, team, helpers, audit_log):
    services.accounts.set_active(team.coordinator, team.secretary.user_id, False)
    since = audit_log.last_id()
    with pytest.raises(AuthenticationError) as info:
        services.auth.login("sec.roux", helpers.password)
    assert info.value.message == DISABLED
    (entry,) = audit_log.since(since)
    assert (entry.action, entry.outcome, entry.user_id) == (
        "login_failed",
        "refused",
        team.secretary.user_id,
    )
    # A wrong password on a disabled account does not reveal that it exists.
    with pytest.raises(AuthenticationError) as wrong:
        services.auth.login("sec.roux", "pas-le-bon-mot-de-passe")
    assert wrong.value.message == BAD_CREDENTIALS
    services.accounts.set_active(team.coordinator, team.secretary.user_id, True)
    assert services.auth.login("sec.roux", helpers.password).user_id == team.secretary.user_id


def test_unlock_with_the_same_users_password(services, team, helpers, audit_log):
    since = audit_log.last_id()
    assert services.auth.unlock(team.gp, helpers.password) == team.gp
    with pytest.raises(AuthenticationError) as info:
        services.auth.unlock(team.gp, "pas-le-bon-mot-de-passe")
    assert info.value.message == BAD_CREDENTIALS
    actions = [(r.action, r.outcome) for r in audit_log.since(since, user_id=team.gp.user_id)]
    assert actions == [("unlock", "ok"), ("login_failed", "failed")]


def test_unlock_failures_are_throttled_too(services, team, helpers):
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            services.auth.unlock(team.gp, "pas-le-bon-mot-de-passe")
    with pytest.raises(AccountLocked):
        services.auth.unlock(team.gp, "pas-le-bon-mot-de-passe")
    with pytest.raises(AccountLocked):
        services.auth.unlock(team.gp, helpers.password)


# ---- account management (coordination only) -------------------------------------------


def test_coordinator_creates_disables_enables_and_resets(services, team, helpers, clock):
    info = services.accounts.create_user(team.coordinator, _nurse(helpers), helpers.password)
    assert info.role is Role.PARAMEDICAL and info.must_change_password and info.active
    nurse = services.auth.login("ide.leroy", helpers.password)
    assert nurse.profession is Profession.NURSE
    services.accounts.set_active(team.coordinator, info.id, False)
    with pytest.raises(AuthenticationError):
        services.auth.login("ide.leroy", helpers.password)
    services.accounts.set_active(team.coordinator, info.id, True)
    assert services.auth.login("ide.leroy", helpers.password).user_id == info.id
    # A locked account is usable at once after a reset.
    _fail(services, "ide.leroy", 4)
    reset = services.accounts.reset_password(team.coordinator, info.id, "nouveau-secret-2026")
    assert reset.must_change_password
    assert services.auth.login("ide.leroy", "nouveau-secret-2026").user_id == info.id
    with pytest.raises(AuthenticationError):
        services.auth.login("ide.leroy", helpers.password)


@pytest.mark.parametrize(
    "role", [Role.GP, Role.PARAMEDICAL, Role.SOCIAL_WORKER, Role.SECRETARY], ids=str
)
@pytest.mark.parametrize("operation", ["create", "disable", "enable", "reset", "list", "update"])
def test_account_management_is_refused_to_others_and_audited(
    services, team, helpers, audit_log, db_state, role, operation
):
    actor = team.by_role(role)
    target = team.paramedical2.user_id
    if operation == "enable":
        services.accounts.set_active(team.coordinator, target, False)
    calls = {
        "create": lambda: services.accounts.create_user(actor, _nurse(helpers), helpers.password),
        "disable": lambda: services.accounts.set_active(actor, target, False),
        "enable": lambda: services.accounts.set_active(actor, target, True),
        "reset": lambda: services.accounts.reset_password(actor, target, "nouveau-secret-2026"),
        "list": lambda: services.accounts.list_users(actor),
        "update": lambda: services.accounts.update_user(
            actor,
            target,
            UserInput(
                "kine.petit",
                "Inès",
                "Petit",
                Role.COORDINATOR,
                Profession.COORDINATOR,
            ),
            1,
        ),
    }
    before, since = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as info:
        calls[operation]()
    assert info.value.message == ONLY_COORDINATION
    (entry,) = audit_log.since(since)
    assert (entry.user_id, entry.role, entry.outcome, entry.object_type) == (
        actor.user_id,
        str(role),
        str(AuditOutcome.REFUSED),
        "account",
    )
    assert db_state() == before


@pytest.mark.parametrize(
    ("profession", "role"),
    [
        (Profession.GENERAL_PRACTITIONER, Role.GP),
        (Profession.NURSE, Role.PARAMEDICAL),
        (Profession.PHYSIOTHERAPIST, Role.PARAMEDICAL),
        (Profession.MIDWIFE, Role.PARAMEDICAL),
    ],
    ids=str,
)
def test_rpps_is_required_and_checked_for_health_professionals(
    services, team, helpers, db_state, profession, role
):
    before = db_state()
    for rpps, message in (
        ("", "Le numéro RPPS est obligatoire pour un professionnel de santé."),
        ("1234567890", "Le numéro RPPS doit comporter 11 chiffres."),
        ("1000000004A", "Le numéro RPPS doit comporter 11 chiffres."),
    ):
        data = _nurse(helpers, role=role, profession=profession, rpps=rpps)
        with pytest.raises(ValidationError) as info:
            services.accounts.create_user(team.coordinator, data, helpers.password)
        assert info.value.fields["rpps"] == message
    good = helpers.make_rpps(55)
    bad_key = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(
            team.coordinator,
            _nurse(helpers, role=role, profession=profession, rpps=bad_key),
            helpers.password,
        )
    assert info.value.fields["rpps"] == "Le numéro RPPS est incorrect (clé de contrôle)."
    assert db_state() == before
    spaced = f"{good[:3]} {good[3:7]} {good[7:]}"
    info = services.accounts.create_user(
        team.coordinator,
        _nurse(helpers, role=role, profession=profession, rpps=spaced),
        helpers.password,
    )
    assert info.rpps == good


def test_social_worker_and_staff_need_no_rpps(services, team, helpers):
    info = services.accounts.create_user(
        team.coordinator,
        UserInput("as.girard", "Léa", "Girard", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
    )
    assert info.rpps is None


def test_profession_must_match_role(services, team, helpers):
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(
            team.coordinator,
            _nurse(helpers, role=Role.GP, profession=Profession.NURSE),
            helpers.password,
        )
    assert info.value.fields["profession"] == "Cette profession ne correspond pas au rôle choisi."


@pytest.mark.parametrize("username", ["dr.durand", "DR.Durand", " dr.durand "])
def test_duplicate_username_is_refused(services, team, helpers, db_state, username):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(
            team.coordinator,
            _nurse(
                helpers, username=username, role=Role.GP, profession=Profession.GENERAL_PRACTITIONER
            ),
            helpers.password,
        )
    assert info.value.fields == {"username": "Cet identifiant est déjà utilisé."}
    assert db_state() == before


@pytest.mark.parametrize("username", ["a", "é.dupont", "jean dupont", "-abc", "x" * 65, ""])
def test_malformed_username_is_refused(services, team, helpers, username):
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(team.coordinator, _nurse(helpers, username=username), "x")
    assert info.value.fields["username"].startswith("L'identifiant doit comporter")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court-1", "Le mot de passe doit comporter au moins 12 caractères."),
        ("x" * 257 + "abcdef", "Le mot de passe est trop long (256 caractères au plus)."),
        ("ide.leroy-2026-secret", "Le mot de passe ne doit pas contenir l'identifiant."),
        ("abababababababab", password_policy.SEQUENCE),
        ("Motdepasse2026!", password_policy.COMMON),
    ],
)
def test_password_rules_on_creation_and_reset(services, team, helpers, db_state, password, message):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(team.coordinator, _nurse(helpers), password)
    assert info.value.fields["password"] == message
    assert db_state() == before
    if "ide.leroy" not in password:
        with pytest.raises(ValidationError) as info:
            services.accounts.reset_password(team.coordinator, team.gp.user_id, password)
        assert info.value.fields["password"] == message
        assert db_state() == before


def test_change_own_password(services, team, helpers):
    with pytest.raises(ValidationError) as info:
        services.accounts.change_own_password(team.gp, "faux-mot-de-passe", "un-nouveau-secret")
    assert info.value.fields == {"old_password": "Le mot de passe actuel est incorrect."}
    with pytest.raises(ValidationError) as info:
        services.accounts.change_own_password(team.gp, helpers.password, helpers.password)
    assert "différent" in info.value.fields["password"]
    services.accounts.change_own_password(team.gp, helpers.password, "un-nouveau-secret")
    assert services.auth.login("dr.durand", "un-nouveau-secret").user_id == team.gp.user_id


def test_last_active_coordinator_cannot_be_disabled(services, team, helpers, db_state):
    with pytest.raises(ValidationError) as info:
        services.accounts.set_active(team.coordinator, team.coordinator.user_id, False)
    assert info.value.fields["active"] == "Vous ne pouvez pas désactiver votre propre compte."
    second = services.accounts.create_user(
        team.coordinator,
        UserInput("coord2", "Marc", "Blanc", Role.COORDINATOR, Profession.COORDINATOR),
        helpers.password,
        must_change=False,
    )
    other = services.auth.login("coord2", helpers.password)
    services.accounts.set_active(other, team.coordinator.user_id, False)  # two active: allowed
    before = db_state()
    from app.services.kernel.actor import system_actor

    with pytest.raises(ValidationError) as info:
        services.accounts.set_active(system_actor(), second.id, False)
    assert info.value.fields["active"] == "Il doit rester au moins un compte de coordination actif."
    assert db_state() == before


def test_last_active_coordinator_cannot_lose_the_role(services, team, db_state):
    account = services.accounts.get_user(team.coordinator, team.coordinator.user_id)
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.accounts.update_user(
            team.coordinator,
            account.id,
            UserInput("coord", "Anne", "Martin", Role.SECRETARY, Profession.SECRETARY),
            account.version,
        )
    assert info.value.fields["role"] == "Il doit rester au moins un compte de coordination actif."
    assert db_state() == before


# ---- first run --------------------------------------------------------------------------


def test_first_coordinator_setup_is_refused_once_set_up(services, team, audit_log, db_state):
    assert services.clinic.is_set_up()
    before, since = db_state(), audit_log.last_id()
    intruder = UserInput("pirate", "Eve", "Intruse", Role.COORDINATOR, Profession.COORDINATOR)
    with pytest.raises(PermissionDenied) as info:
        services.accounts.create_first_coordinator(intruder, "mot-de-passe-robuste-1")
    assert info.value.message == "Un premier compte existe déjà : connectez-vous."
    with pytest.raises(PermissionDenied) as info:
        services.clinic.setup(ClinicInput("Autre MSP"), intruder, "mot-de-passe-robuste-1")
    assert info.value.message == "Relais est déjà installé pour cette maison de santé."
    assert db_state() == before
    refused = audit_log.since(since, outcome="refused")
    assert [r.username for r in refused] == ["pirate", "pirate"]


def test_setup_is_all_or_nothing(services, database, db_state):
    before = db_state()
    coordinator = UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR)
    with pytest.raises(ValidationError) as info:
        services.clinic.setup(ClinicInput("MSP des Tilleuls"), coordinator, "court")
    assert "password" in info.value.fields
    assert db_state() == before
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Clinic)) == 0
    assert services.clinic.public() is None and not services.clinic.is_set_up()
    result = services.clinic.setup(
        ClinicInput("MSP des Tilleuls"), coordinator, "voilier-orange-2026-ok"
    )
    clinic, user = result.clinic, result.coordinator
    assert clinic.name == "MSP des Tilleuls" and user.role is Role.COORDINATOR
    assert services.clinic.is_set_up()


def test_setup_requires_a_coordinator_and_valid_clinic_details(services, db_state):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.clinic.setup(
            ClinicInput("MSP"),
            UserInput("dr.x", "X", "Y", Role.GP, Profession.GENERAL_PRACTITIONER),
            "mot-de-passe-robuste-1",
        )
    assert info.value.fields["role"] == "Le premier compte doit être un compte de coordination."
    with pytest.raises(ValidationError) as info:
        services.clinic.setup(
            ClinicInput("  ", finess="123", phone="abc"),
            UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
            "mot-de-passe-robuste-1",
        )
    assert set(info.value.fields) == {"name", "finess", "phone"}
    assert db_state() == before


def test_no_default_account_exists(services, database):
    assert not services.accounts.has_accounts()
    for username in ("admin", "coord", "demo", "root"):
        with pytest.raises(AuthenticationError):
            services.auth.login(username, "admin")


def test_an_unknown_username_costs_a_check_with_the_accounts_own_parameters():
    """The dummy hash an unknown username is checked against is made with the hasher's own
    parameters: the default one ships ready-made (no Argon2 at start-up), a lighter hasher
    makes its own; either verifies like a real account's hash."""
    from argon2 import PasswordHasher, extract_parameters

    from app.services.accounts.credentials import (
        DEFAULT_HASHER_PARAMS,
        DUMMY_PASSWORD,
        PasswordHashes,
    )

    default = PasswordHashes()
    real = default.hash("un-vrai-mot-de-passe")
    assert extract_parameters(default._dummy) == extract_parameters(real)
    assert extract_parameters(real).memory_cost == DEFAULT_HASHER_PARAMS["memory_cost"]
    assert default.verify(default._dummy, DUMMY_PASSWORD)
    light = PasswordHashes(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    assert extract_parameters(light._dummy) == extract_parameters(light.hash("x"))
    assert light.verify(light._dummy, DUMMY_PASSWORD)
