"""Compartment keys: grants to new accounts, password change, disable, reset, recovery, status.

Real SQLite files and the real key service throughout; the lighter Argon2id parameters of the
test fixtures keep it fast.
"""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from app.container import Services
from app.models import CompartmentKey, KeyGrant, SecondFactor, UserKey
from app.models.db import Database, backup_sqlite, sqlite_path
from app.models.enums import Profession, Role
from app.services.accounts.auth import BAD_CREDENTIALS
from app.services.accounts.records import UserInput
from app.services.kernel.actor import Actor
from app.services.kernel.errors import AuthenticationError, KeyUnavailable, RelaisError
from app.services.security import crypto
from app.services.security.keys import (
    KeyService,
    RecoveryKeyError,
    format_recovery_key,
    parse_recovery_key,
)

NEW_PASSWORD = "un-tout-nouveau-secret-9"
# The keys every role holds (archived papers, home care): the coordinator who creates or
# resets an account hands them over at once.
SHARED = {"administrative", "care"}
KEY_MISSING = "La clé du volet {} n'est pas encore disponible pour votre compte."
WRONG_KEY_PASSWORD = (
    "Votre clé personnelle ne s'ouvre pas avec ce mot de passe : contactez la coordination."
)


def _new_account(services, team, helpers, username: str, role: Role, profession: Profession):
    rpps = helpers.make_rpps(len(username) + 50) if role in (Role.GP, Role.PARAMEDICAL) else ""
    return services.accounts.create_user(
        team.coordinator,
        UserInput(username, "Jeanne", "Nouvelle", role, profession, rpps),
        helpers.password,
        must_change=False,
    )


def _grants(database, user_id: int, kind: str = "role") -> set[str]:
    with database.sessions() as session:
        return set(
            session.scalars(
                select(CompartmentKey.compartment)
                .join(KeyGrant, KeyGrant.compartment_key_id == CompartmentKey.id)
                .where(KeyGrant.user_id == user_id, KeyGrant.kind == kind)
            )
        )


def _user_key(database, user_id: int) -> UserKey | None:
    with database.sessions() as session:
        return session.get(UserKey, user_id)


# ---- a new account and the holders' grants ---------------------------------------------------


def test_new_account_reads_nothing_until_a_holder_grants_the_key(
    services, team, make_patient, liaison_consent, helpers, database, audit_log
):
    patient_id = make_patient()
    liaison_consent(patient_id)
    services.notes.add(team.gp, patient_id, "medical", "Note du Dr Durand.")
    services.notes.add(team.gp, patient_id, "liaison", "Liaison du Dr Durand.")
    info = _new_account(
        services, team, helpers, "dr.nouveau", Role.GP, Profession.GENERAL_PRACTITIONER
    )
    assert _user_key(database, info.id) is not None  # a key pair from the start
    assert _grants(database, info.id) == SHARED  # from the coordinator who created it
    newcomer = services.auth.login("dr.nouveau", helpers.password)
    for compartment, label in (("medical", "médical"), ("liaison", "liaison")):
        with pytest.raises(KeyUnavailable) as error:
            services.notes.list(newcomer, patient_id, compartment)
        assert error.value.message.startswith(KEY_MISSING.format(label))
        assert "dès qu'un(e) collègue habilité(e) se connectera" in error.value.message
    with pytest.raises(KeyUnavailable):
        services.notes.add(newcomer, patient_id, "medical", "Ma première note.")

    # A holder's running session grants the keys (the application calls this periodically).
    since = audit_log.last_id()
    assert services.auth.grant_pending(team.gp2) == 2
    assert services.auth.grant_pending(team.gp2) == 0  # nothing left to grant
    assert _grants(database, info.id) == {"medical", "liaison"} | SHARED
    grants = audit_log.since(since, action="key_grant")
    assert sorted((g.compartment, g.user_id, g.object_type, g.object_id) for g in grants) == [
        ("liaison", team.gp2.user_id, "account", info.id),
        ("medical", team.gp2.user_id, "account", info.id),
    ]
    # The keys reach the newcomer's next session.
    newcomer = services.auth.login("dr.nouveau", helpers.password)
    texts = [n.text for n in services.notes.list(newcomer, patient_id, "medical")]
    assert texts == ["Note du Dr Durand."]
    added = services.notes.add(newcomer, patient_id, "medical", "Ma première note.")
    assert {n.text for n in services.notes.list(team.gp, patient_id, "medical")} == {
        "Note du Dr Durand.",
        added.text,
    }


def test_a_holder_logging_in_grants_only_what_the_role_allows(
    services, team, make_patient, helpers, database, audit_log
):
    patient_id = make_patient()
    services.notes.add(team.social_worker, patient_id, "social", "Situation sociale.")
    info = _new_account(
        services, team, helpers, "as.nouvelle", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER
    )
    secretary = _new_account(
        services, team, helpers, "sec.nouvelle", Role.SECRETARY, Profession.SECRETARY
    )
    since = audit_log.last_id()
    services.auth.login("as.moreau", helpers.password)  # the social worker, a holder
    assert _grants(database, info.id) == {"social", "liaison"} | SHARED
    assert _grants(database, secretary.id) == SHARED
    grants = audit_log.since(since, action="key_grant")
    assert {(g.user_id, g.object_id, g.compartment) for g in grants} == {
        (team.social_worker.user_id, info.id, "social"),
        (team.social_worker.user_id, info.id, "liaison"),
    }
    newcomer = services.auth.login("as.nouvelle", helpers.password)
    assert [n.text for n in services.notes.list(newcomer, patient_id, "social")] == [
        "Situation sociale."
    ]


def test_every_entitled_user_holds_exactly_the_keys_of_their_role(services, team, database):
    expected = {
        team.coordinator: SHARED,
        team.secretary: SHARED,
        team.gp: {"medical", "liaison"} | SHARED,
        team.gp2: {"medical", "liaison"} | SHARED,
        team.paramedical: {"medical", "liaison"} | SHARED,
        team.social_worker: {"social", "liaison"} | SHARED,
    }
    for actor, compartments in expected.items():
        assert _grants(database, actor.user_id) == compartments, actor.username
        assert set(actor.keys.role_keys) <= compartments
    assert _grants(database, team.gp.user_id, "break_glass") == set()


def test_session_keys_stay_in_memory_and_out_of_reprs(team):
    keys = team.gp.keys
    assert "role_keys" not in repr(keys) and "private_key" not in repr(keys)
    assert repr(keys.private_key) not in repr(team.gp)
    keys_copy = dict(keys.role_keys)
    keys.forget()
    assert keys.role_keys == {} and keys.private_key == b"" and keys_copy


# ---- password change ---------------------------------------------------------------------------


def test_password_change_rewraps_the_private_key(
    services, team, make_patient, helpers, database, clock
):
    patient_id = make_patient()
    services.notes.add(team.gp2, patient_id, "medical", "Avant le changement.")
    # The GP uses a second factor: its secret is sealed under the password-derived key too.
    secret, _uri = services.auth.new_second_factor("dr.durand")
    gp, _codes = services.auth.enrol_second_factor(
        "dr.durand", helpers.password, secret, pyotp.TOTP(secret).at(clock())
    )
    before = _user_key(database, gp.user_id)
    services.accounts.change_own_password(gp, helpers.password, NEW_PASSWORD)
    after = _user_key(database, gp.user_id)
    assert after.public_key == before.public_key  # same key pair: grants stay valid
    assert after.sealed_private_key != before.sealed_private_key
    assert after.kdf_salt != before.kdf_salt

    keys = KeyService(services.audit, clock, helpers.kdf)
    with database.sessions() as session:
        with pytest.raises(RelaisError) as error:
            keys.unlock_user_key(session, gp.user_id, helpers.password)
        assert error.value.message == WRONG_KEY_PASSWORD
        opened = keys.unlock_user_key(session, gp.user_id, NEW_PASSWORD)
        assert crypto.public_of(opened.private_key) == after.public_key
        session.rollback()

    with pytest.raises(AuthenticationError) as refused:
        services.auth.login("dr.durand", helpers.password)
    assert refused.value.message == BAD_CREDENTIALS
    clock.advance(seconds=30)
    again = services.auth.login("dr.durand", NEW_PASSWORD, totp_code=pyotp.TOTP(secret).at(clock()))
    assert [n.text for n in services.notes.list(again, patient_id, "medical")] == [
        "Avant le changement."
    ]
    services.notes.add(again, patient_id, "medical", "Après le changement.")
    assert len(services.notes.list(team.gp2, patient_id, "medical")) == 2


# ---- disable, enable, reset --------------------------------------------------------------------


def test_disabling_removes_the_key_pair_and_every_grant(
    services, team, make_patient, helpers, database, clock, tmp_path
):
    patient_id = make_patient()
    services.notes.add(team.gp, patient_id, "medical", "Note médicale confidentielle.")
    old_private = team.gp2.keys.private_key
    old_key = _user_key(database, team.gp2.user_id)
    assert _grants(database, team.gp2.user_id) == {"medical", "liaison"} | SHARED
    services.accounts.set_active(team.coordinator, team.gp2.user_id, False)
    assert _user_key(database, team.gp2.user_id) is None
    assert _grants(database, team.gp2.user_id) == set()

    # A copy of the database made afterwards, with the old password (and even the old private
    # key, as if carved out of an earlier copy): no key material of the account is left in it.
    copy_path = backup_sqlite(sqlite_path(database.url), tmp_path / "copie.sqlite")
    raw = copy_path.read_bytes()
    assert old_key.sealed_private_key not in raw and old_key.kdf_salt not in raw
    copy = Database.open(f"sqlite:///{copy_path}")
    try:
        copied = Services.build(copy, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
        with pytest.raises(AuthenticationError):
            copied.auth.login("dr.lefevre", helpers.password)
        with copy.sessions() as session:
            assert session.get(UserKey, team.gp2.user_id) is None
            for grant in session.scalars(select(KeyGrant)):
                with pytest.raises(crypto.CryptoError):
                    crypto.unseal_with(old_private, grant.wrapped_key)
            # Going around the application: the password opens a brand-new, empty key pair.
            keys = copied.keys.unlock_user_key(session, team.gp2.user_id, helpers.password)
            actor = Actor(
                team.gp2.user_id,
                "dr.lefevre",
                "Claire Lefèvre",
                Role.GP,
                Profession.GENERAL_PRACTITIONER,
            )
            copied.keys.open_session(session, actor, keys)
            assert keys.role_keys == {}
            session.rollback()
    finally:
        copy.dispose()

    # Enabled again: a new key pair, and the keys once a holder grants them.
    services.accounts.set_active(team.coordinator, team.gp2.user_id, True)
    back = services.auth.login("dr.lefevre", helpers.password)
    assert _user_key(database, team.gp2.user_id).public_key != old_key.public_key
    with pytest.raises(KeyUnavailable):
        services.notes.list(back, patient_id, "medical")
    services.auth.login("dr.durand", helpers.password)
    back = services.auth.login("dr.lefevre", helpers.password)
    assert [n.text for n in services.notes.list(back, patient_id, "medical")] == [
        "Note médicale confidentielle."
    ]


def test_reset_gives_a_new_key_pair_and_removes_the_second_factor(
    services, team, make_patient, helpers, database, clock, audit_log
):
    patient_id = make_patient()
    services.notes.add(team.gp, patient_id, "medical", "Note avant réinitialisation.")
    secret, _ = services.auth.new_second_factor("dr.lefevre")
    services.auth.enrol_second_factor(
        "dr.lefevre", helpers.password, secret, pyotp.TOTP(secret).at(clock())
    )
    old = _user_key(database, team.gp2.user_id)
    since = audit_log.last_id()
    services.accounts.reset_password(team.coordinator, team.gp2.user_id, NEW_PASSWORD)
    assert [(r.action, r.object_id) for r in audit_log.since(since)] == [
        ("key_grant", team.gp2.user_id),  # the coordinator's keys, at once
        ("key_grant", team.gp2.user_id),
        ("password_reset", team.gp2.user_id),
    ]
    new = _user_key(database, team.gp2.user_id)
    assert new.public_key != old.public_key
    assert _grants(database, team.gp2.user_id) == SHARED
    with database.sessions() as session:
        assert session.get(SecondFactor, team.gp2.user_id) is None
    # No code is asked any more (the clinic does not require one), and no key yet.
    reset = services.auth.login("dr.lefevre", NEW_PASSWORD)
    with pytest.raises(KeyUnavailable):
        services.notes.list(reset, patient_id, "medical")
    services.auth.login("dr.durand", helpers.password)
    reset = services.auth.login("dr.lefevre", NEW_PASSWORD)
    assert [n.text for n in services.notes.list(reset, patient_id, "medical")] == [
        "Note avant réinitialisation."
    ]


# ---- recovery key ------------------------------------------------------------------------------


def _recover(services, actor, text: str) -> int:
    with services.db.session() as session:
        return services.keys.recover(session, actor, text)


def test_recovery_key_restores_access_after_every_holder_lost_their_password(
    services, team, make_patient, helpers, database, audit_log
):
    patient_id = make_patient()
    services.notes.add(team.social_worker, patient_id, "social", "Dossier FSL en cours.")
    services.notes.add(team.gp, patient_id, "medical", "Diabète équilibré.")
    # Everyone who held the social or medical key forgot their password.
    holders = [team.social_worker, team.gp, team.gp2, team.paramedical, team.paramedical2]
    for actor in holders:
        services.accounts.reset_password(team.coordinator, actor.user_id, NEW_PASSWORD)
    with database.sessions() as session:  # no copy of a notes' key is left
        held = session.scalars(
            select(CompartmentKey.compartment).join(
                KeyGrant, KeyGrant.compartment_key_id == CompartmentKey.id
            )
        ).all()
        assert set(held) == SHARED
    social = services.auth.login("as.moreau", NEW_PASSWORD)
    gp = services.auth.login("dr.durand", NEW_PASSWORD)
    with pytest.raises(KeyUnavailable):
        services.notes.list(social, patient_id, "social")
    with pytest.raises(KeyUnavailable):
        services.notes.list(gp, patient_id, "medical")
    with database.sessions() as session:
        assert services.keys.status(session) == [
            ("administrative", 7, True),
            ("care", 7, True),
            ("liaison", 0, True),
            ("medical", 0, True),
            ("social", 0, True),
        ]

    since = audit_log.last_id()
    # Typed by hand: lower case, spaces instead of dashes.
    typed = team.recovery_key.lower().replace("-", " ")
    granted = _recover(services, team.coordinator, typed)
    # social: 1, medical: 2 GPs + 2 paramedicals, liaison: the same 5.
    assert granted == 1 + 4 + 5
    grants = audit_log.since(since, action="key_grant")
    assert len(grants) == granted
    assert {g.user_id for g in grants} == {team.coordinator.user_id}
    assert _recover(services, team.coordinator, team.recovery_key) == 0

    social = services.auth.login("as.moreau", NEW_PASSWORD)
    gp = services.auth.login("dr.durand", NEW_PASSWORD)
    assert [n.text for n in services.notes.list(social, patient_id, "social")] == [
        "Dossier FSL en cours."
    ]
    assert [n.text for n in services.notes.list(gp, patient_id, "medical")] == [
        "Diabète équilibré."
    ]
    assert _grants(database, team.secretary.user_id) == SHARED
    assert _grants(database, team.coordinator.user_id) == SHARED


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (
            lambda key: key[:-5],
            "La clé de secours doit comporter 56 caractères (14 groupes de 4) : "
            "vérifiez la saisie.",
        ),
        (lambda key: "", "La clé de secours doit comporter 56 caractères"),
        (
            lambda key: ("B" if key[0] != "B" else "C") + key[1:],
            "La clé de secours est incorrecte (somme de contrôle).",
        ),
        (
            lambda key: format_recovery_key(crypto.new_keypair()[0]),
            "Cette clé de secours ne correspond pas à cette base.",
        ),
    ],
    ids=["too-short", "empty", "typo", "another-clinic"],
)
def test_wrong_or_malformed_recovery_key_is_refused_in_french(
    services, team, database, mangle, message
):
    services.accounts.reset_password(team.coordinator, team.social_worker.user_id, NEW_PASSWORD)
    with pytest.raises(RecoveryKeyError) as error:
        _recover(services, team.coordinator, mangle(team.recovery_key))
    assert error.value.message.startswith(message)
    assert _grants(database, team.social_worker.user_id) == SHARED


def test_recovery_key_format_round_trips():
    private, _ = crypto.new_keypair()
    text = format_recovery_key(private)
    groups = text.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert parse_recovery_key(text) == private
    assert parse_recovery_key(f"  {text.lower().replace('-', ' ')}\n") == private


def test_only_one_recovery_key_per_clinic(services, team):
    with pytest.raises(RecoveryKeyError) as error, services.db.session() as session:
        services.keys.create_recovery_key(session)
    assert error.value.message == "Une clé de secours existe déjà pour cette maison de santé."


def test_status_counts_holders_per_compartment(services, team, helpers, database):
    with database.sessions() as session:
        assert services.keys.status(session) == [
            ("administrative", 7, True),
            ("care", 7, True),
            ("liaison", 5, True),
            ("medical", 4, True),
            ("social", 1, True),
        ]
    services.accounts.set_active(team.coordinator, team.paramedical2.user_id, False)
    with database.sessions() as session:
        assert services.keys.status(session) == [
            ("administrative", 6, True),
            ("care", 6, True),
            ("liaison", 4, True),
            ("medical", 3, True),
            ("social", 1, True),
        ]
