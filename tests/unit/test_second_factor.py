"""TOTP second factor (enrolment, login, replay, recovery codes, clinic requirement) and the
session rules around it (re-authentication, absolute session lifetime)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from sqlalchemy import select

from app.models import RecoveryCode, SecondFactor, User
from app.models.enums import Profession, Role
from app.services.accounts.auth import BAD_CODE, BAD_CREDENTIALS
from app.services.accounts.records import UserInput
from app.services.accounts.second_factor import TOTP_ROLES
from app.services.clinic.records import ClinicInput
from app.services.kernel.errors import (
    AccountLocked,
    AuthenticationError,
    PermissionDenied,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
    SessionExpired,
)

ENTER_CODE = (
    "Saisissez le code à 6 chiffres affiché par votre application d'authentification "
    "(ou un code de secours)."
)
MUST_ENROL = (
    "La maison de santé exige une double authentification pour votre compte : "
    "enregistrez Relais dans votre application d'authentification (code QR), puis "
    "saisissez le code affiché."
)
ALREADY_ENROLLED = (
    "Une double authentification est déjà enregistrée pour ce compte : connectez-vous avec "
    "votre code pour changer de téléphone, ou demandez à la coordination de la retirer."
)
BAD_FIRST_CODE = (
    "Le code saisi ne correspond pas : vérifiez que l'heure du téléphone est juste et saisissez "
    "le code affiché en ce moment."
)


def _code(secret: str, clock, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock() + timedelta(seconds=30 * steps))


def _enrol(services, clock, helpers, username: str = "dr.durand"):
    secret, uri = services.auth.new_second_factor(username)
    actor, codes = services.auth.enrol_second_factor(
        username, helpers.password, secret, _code(secret, clock)
    )
    return secret, uri, actor, codes


def _failures(database, username: str) -> int:
    with database.sessions() as session:
        return session.scalar(select(User.failed_logins).where(User.username == username))


def _set_clinic(services, team, **changes):
    current = services.clinic.settings(team.coordinator)
    return services.clinic.update(
        team.coordinator, replace(current.as_input(), **changes), current.version
    )


# ---- enrolment -------------------------------------------------------------------------------


def test_enrolment_with_a_first_code_then_login_requires_the_code(
    services, team, helpers, clock, database, audit_log
):
    secret, uri, actor, codes = _enrol(services, clock, helpers)
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert "dr.durand" in unquote(parsed.path)
    assert parse_qs(parsed.query)["secret"] == [secret]
    assert parse_qs(parsed.query)["issuer"][0].startswith("Relais")
    assert "MSP des Tilleuls" in parse_qs(parsed.query)["issuer"][0]
    assert actor.user_id == team.gp.user_id and actor.keys is not None
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    enrolled = audit_log.rows(action="second_factor_enrol")
    assert [(e.user_id, e.object_id) for e in enrolled] == [(team.gp.user_id,) * 2]
    with database.sessions() as session:
        row = session.get(SecondFactor, team.gp.user_id)
        assert secret.encode() not in row.sealed_secret
        hashes = session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
        assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert services.auth.second_factor_status(actor) == (True, 10)

    with pytest.raises(SecondFactorRequired) as error:
        services.auth.login("dr.durand", helpers.password)
    assert error.value.message == ENTER_CODE
    clock.advance(seconds=30)
    again = services.auth.login("dr.durand", helpers.password, totp_code=_code(secret, clock))
    assert again.user_id == team.gp.user_id
    # A wrong password still says only that, even with a right code.
    clock.advance(seconds=30)
    with pytest.raises(AuthenticationError) as wrong:
        services.auth.login("dr.durand", "pas-le-bon-mot", totp_code=_code(secret, clock))
    assert wrong.value.message == BAD_CREDENTIALS


def test_enrolment_with_a_wrong_code_enrols_nothing(services, team, helpers, clock, database):
    secret, _uri = services.auth.new_second_factor("dr.durand")
    for code in (_code(secret, clock, steps=3), "000000", "abc", ""):
        if code == _code(secret, clock):
            continue
        with pytest.raises(AuthenticationError) as error:
            services.auth.enrol_second_factor("dr.durand", helpers.password, secret, code)
        assert error.value.message == BAD_FIRST_CODE
    with pytest.raises(AuthenticationError) as error:
        services.auth.enrol_second_factor(
            "dr.durand", "pas-le-bon-mot", secret, _code(secret, clock)
        )
    assert error.value.message == BAD_CREDENTIALS
    with database.sessions() as session:
        assert session.get(SecondFactor, team.gp.user_id) is None
    assert services.auth.login("dr.durand", helpers.password).user_id == team.gp.user_id


def test_wrong_code_counts_as_a_failed_attempt(services, team, helpers, clock, database, audit_log):
    secret, *_ = _enrol(services, clock, helpers)
    clock.advance(seconds=30)
    since = audit_log.last_id()
    errors = []
    for _ in range(3):
        with pytest.raises(AuthenticationError) as error:
            services.auth.login("dr.durand", helpers.password, totp_code="123456")
        errors.append(error.value)
    assert [type(e) for e in errors[:2]] == [AuthenticationError, AuthenticationError]
    assert errors[0].message == BAD_CODE
    assert isinstance(errors[2], AccountLocked)
    assert _failures(database, "dr.durand") == 3
    failed = audit_log.since(since, action="login_failed")
    assert len(failed) == 3 and all("code TOTP incorrect" in f.detail for f in failed)
    # Locked: even the right code waits.
    with pytest.raises(AccountLocked):
        services.auth.login("dr.durand", helpers.password, totp_code=_code(secret, clock))
    clock.advance(seconds=errors[2].seconds)
    services.auth.login("dr.durand", helpers.password, totp_code=_code(secret, clock))
    assert _failures(database, "dr.durand") == 0


def test_a_code_is_accepted_once(services, team, helpers, clock):
    secret, *_ = _enrol(services, clock, helpers)
    # The enrolment code itself cannot log in again.
    with pytest.raises(AuthenticationError) as error:
        services.auth.login("dr.durand", helpers.password, totp_code=_code(secret, clock))
    assert error.value.message == BAD_CODE
    clock.advance(seconds=30)
    code = _code(secret, clock)
    services.auth.login("dr.durand", helpers.password, totp_code=code)
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=code)
    # Nor an older one, still inside the tolerance window.
    clock.advance(seconds=30)
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=code)
    # A code from the next step (phone slightly ahead) is accepted, with spaces.
    ahead = _code(secret, clock, steps=1)
    services.auth.login("dr.durand", helpers.password, totp_code=f"{ahead[:3]} {ahead[3:]}")
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=_code(secret, clock))


def test_recovery_codes_work_once_each(services, team, helpers, clock, audit_log):
    _secret, _uri, _actor, codes = _enrol(services, clock, helpers)
    first = services.auth.login("dr.durand", helpers.password, totp_code=codes[0])
    assert first.user_id == team.gp.user_id
    with pytest.raises(AuthenticationError) as error:
        services.auth.login("dr.durand", helpers.password, totp_code=codes[0])
    assert error.value.message == BAD_CODE
    # Typed without the dash and in lower case.
    services.auth.login("dr.durand", helpers.password, totp_code=codes[1].replace("-", "").lower())
    assert services.auth.second_factor_status(first) == (True, 8)
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code="AAAAA-BBBBB")
    failed = audit_log.rows(action="login_failed")
    assert "code de secours incorrect" in failed[-1].detail


def test_the_password_alone_cannot_replace_an_enrolled_second_factor(
    services, team, helpers, clock, database, audit_log
):
    """Someone who knows only the password must not register their own phone in place of the
    owner's (that would bypass the second factor)."""
    old_secret, _uri, _actor, _codes = _enrol(services, clock, helpers)
    clock.advance(seconds=60)
    intruder_secret, _ = services.auth.new_second_factor("dr.durand")
    since = audit_log.last_id()
    with pytest.raises(AuthenticationError) as error:
        services.auth.enrol_second_factor(
            "dr.durand", helpers.password, intruder_secret, _code(intruder_secret, clock)
        )
    assert error.value.message == ALREADY_ENROLLED
    assert not audit_log.since(since, action="login")
    refused = audit_log.since(since, action="second_factor_enrol")
    assert [(r.outcome, r.user_id) for r in refused] == [("refused", team.gp.user_id)]
    # The owner's phone still works, the intruder's does not.
    services.auth.login("dr.durand", helpers.password, totp_code=_code(old_secret, clock))
    clock.advance(seconds=30)
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=_code(intruder_secret, clock))


def test_a_logged_in_user_changes_phone(services, team, helpers, clock):
    """From the workspace (a session that passed the second factor): a new phone replaces the
    old one and the old recovery codes."""
    old_secret, _uri, actor, old_codes = _enrol(services, clock, helpers)
    clock.advance(seconds=60)
    new_secret, _ = services.auth.new_second_factor("dr.durand")
    with pytest.raises(AuthenticationError):  # another user's session does not count
        services.auth.enrol_second_factor(
            "dr.durand",
            helpers.password,
            new_secret,
            _code(new_secret, clock),
            actor=team.gp2,
        )
    _actor, new_codes = services.auth.enrol_second_factor(
        "dr.durand", helpers.password, new_secret, _code(new_secret, clock), actor=actor
    )
    clock.advance(seconds=30)
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=_code(old_secret, clock))
    with pytest.raises(AuthenticationError):
        services.auth.login("dr.durand", helpers.password, totp_code=old_codes[0])
    services.auth.login("dr.durand", helpers.password, totp_code=_code(new_secret, clock))
    services.auth.login("dr.durand", helpers.password, totp_code=new_codes[0])


# ---- the clinic's requirement ------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_clinic_requirement_forces_enrolment_for_professionals(
    services, team, helpers, clock, role
):
    _set_clinic(services, team, require_totp=True)
    username = team.by_role(role).username
    password = helpers.coordinator_password if role is Role.COORDINATOR else helpers.password
    if role not in (Role.GP, Role.SOCIAL_WORKER, Role.PARAMEDICAL):
        assert role not in TOTP_ROLES
        assert services.auth.login(username, password).username == username
        return
    assert role in TOTP_ROLES
    with pytest.raises(SecondFactorEnrolmentRequired) as error:
        services.auth.login(username, password)
    assert error.value.message == MUST_ENROL
    assert error.value.uri.startswith("otpauth://totp/")
    assert parse_qs(urlparse(error.value.uri).query)["secret"] == [error.value.secret]
    actor, codes = services.auth.enrol_second_factor(
        username, password, error.value.secret, _code(error.value.secret, clock)
    )
    assert actor.username == username and len(codes) == 10
    clock.advance(seconds=30)
    with pytest.raises(SecondFactorRequired):
        services.auth.login(username, password)
    assert services.auth.login(
        username, password, totp_code=_code(error.value.secret, clock)
    ).username == (username)


def test_default_clinic_requires_the_second_factor(database, helpers, clock):
    from app.container import Services

    services = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    services.clinic.setup(
        ClinicInput("MSP"),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        helpers.coordinator_password,
    )
    assert services.clinic.public().require_totp is True
    coordinator = services.auth.login("coord", helpers.coordinator_password)
    services.accounts.create_user(
        coordinator,
        UserInput("as.moreau", "Sophie", "Moreau", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
    )
    with pytest.raises(SecondFactorEnrolmentRequired):
        services.auth.login("as.moreau", helpers.password)


def test_demo_clinic_never_requires_the_second_factor(database, helpers, clock):
    from app.container import Services

    services = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    services.clinic.setup(
        ClinicInput("MSP de démonstration", require_totp=True),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        helpers.coordinator_password,
        demo=True,
    )
    assert services.clinic.public().require_totp is False
    coordinator = services.auth.login("coord", helpers.coordinator_password)
    services.accounts.create_user(
        coordinator,
        UserInput(
            "dr.durand",
            "Paul",
            "Durand",
            Role.GP,
            Profession.GENERAL_PRACTITIONER,
            helpers.make_rpps(1),
        ),
        helpers.password,
    )
    current = services.clinic.settings(coordinator)
    services.clinic.update(
        coordinator, replace(current.as_input(), require_totp=True), current.version
    )
    assert services.clinic.public().require_totp is True
    assert services.auth.login("dr.durand", helpers.password).role is Role.GP


# ---- removal by the coordination ----------------------------------------------------------------


def test_only_the_coordination_removes_a_second_factor(
    services, team, helpers, clock, database, audit_log
):
    _enrol(services, clock, helpers)
    for actor in (team.gp, team.gp2, team.social_worker, team.secretary, team.paramedical):
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as error:
            services.accounts.remove_second_factor(actor, team.gp.user_id)
        assert error.value.message == "Seule la coordination gère les comptes."
        (refused,) = audit_log.since(since)
        assert (refused.outcome, refused.user_id) == ("refused", actor.user_id)
    with database.sessions() as session:
        assert session.get(SecondFactor, team.gp.user_id) is not None
    since = audit_log.last_id()
    services.accounts.remove_second_factor(team.coordinator, team.gp.user_id)
    (removed,) = audit_log.since(since)
    assert (removed.action, removed.user_id, removed.object_id) == (
        "second_factor_remove",
        team.coordinator.user_id,
        team.gp.user_id,
    )
    with database.sessions() as session:
        assert session.get(SecondFactor, team.gp.user_id) is None
        assert session.scalars(select(RecoveryCode)).all() == []
    assert services.auth.login("dr.durand", helpers.password).user_id == team.gp.user_id


# ---- sessions: re-authentication and absolute lifetime ------------------------------------------


def test_reauthentication_checks_the_password_and_is_audited(
    services, team, helpers, clock, database, audit_log
):
    since = audit_log.last_id()
    services.auth.reauthenticate(team.gp, helpers.password)
    (entry,) = audit_log.since(since)
    assert (entry.action, entry.outcome, entry.user_id) == ("reauthenticate", "ok", team.gp.user_id)
    errors = []
    for _ in range(3):
        with pytest.raises(AuthenticationError) as error:
            services.auth.reauthenticate(team.gp, "pas-le-bon-mot-de-passe")
        errors.append(error.value)
    assert errors[0].message == BAD_CREDENTIALS
    assert isinstance(errors[-1], AccountLocked)
    with pytest.raises(AccountLocked):
        services.auth.reauthenticate(team.gp, helpers.password)
    failed = audit_log.since(since, outcome="failed")
    assert [f.action for f in failed] == ["login_failed"] * 3
    assert audit_log.since(since, action="login_throttled")
    clock.advance(seconds=errors[-1].seconds)
    services.auth.reauthenticate(team.gp, helpers.password)
    assert _failures(database, "dr.durand") == 0


def test_unlock_is_refused_after_the_absolute_session_lifetime(services, team, helpers, clock):
    gp = services.auth.login("dr.durand", helpers.password)
    clock.advance(hours=11, minutes=59)
    assert not services.auth.session_expired(gp)
    assert services.auth.unlock(gp, helpers.password) is gp
    clock.advance(minutes=1, seconds=1)
    assert services.auth.session_expired(gp)
    with pytest.raises(SessionExpired) as error:
        services.auth.unlock(gp, helpers.password)
    assert error.value.message == (
        "Votre session a dépassé 12 heures : reconnectez-vous pour continuer."
    )
    # A wrong password is still a wrong password (no hint about the session).
    with pytest.raises(AuthenticationError) as wrong:
        services.auth.unlock(gp, "pas-le-bon-mot-de-passe")
    assert wrong.value.message == BAD_CREDENTIALS
    fresh = services.auth.login("dr.durand", helpers.password)
    assert not services.auth.session_expired(fresh)
    assert services.auth.unlock(fresh, helpers.password) is fresh


def test_session_lifetime_is_a_clinic_setting(services, team, helpers, clock):
    assert services.clinic.public().session_hours == 12
    _set_clinic(services, team, session_hours=2)
    social = services.auth.login("as.moreau", helpers.password)
    clock.advance(hours=2)
    assert not services.auth.session_expired(social)
    clock.advance(seconds=1)
    assert services.auth.session_expired(social)
    with pytest.raises(SessionExpired) as error:
        services.auth.unlock(social, helpers.password)
    assert "2 heures" in error.value.message
