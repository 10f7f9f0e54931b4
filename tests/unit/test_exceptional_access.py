"""*Accès exceptionnel* (break-glass): enabled by the coordination, justified, time-limited,
one patient and one compartment, audited, owners told, and a real key path (no bypass)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.models import ExceptionalAccess, KeyGrant, Notification
from app.services.kernel.errors import PermissionDenied, ValidationError
from app.services.security.sealed_fields import EXCEPTIONAL_ACCESS

NOT_OPEN = "L'accès exceptionnel n'est pas ouvert pour ce volet (réglage de la coordination)."
JUSTIFY = "Expliquez en quelques mots l'urgence qui justifie cet accès (15 caractères au moins)."
NOT_READY = (
    "La clé d'accès exceptionnel de ce volet n'est pas encore prête pour votre compte : "
    "elle le sera après la prochaine connexion d'un titulaire du volet."
)
WHY = "Patient inconscient aux urgences, besoin de connaître sa situation d'hébergement."


def _settings(services, team, **changes):
    current = services.clinic.settings(team.coordinator)
    return services.clinic.update(
        team.coordinator, replace(current.as_input(), **changes), current.version
    )


def _break_glass_grants(database) -> list[tuple[int, int]]:
    with database.sessions() as session:
        return sorted(
            session.execute(
                select(KeyGrant.user_id, KeyGrant.compartment_key_id).where(
                    KeyGrant.kind == "break_glass"
                )
            ).all()
        )


@pytest.fixture
def enabled(services, team, helpers):
    """Break-glass on (30 minutes); the holders' sessions prepared the key copies; the team
    logs in again to pick them up. Returns the refreshed actors by attribute name."""
    _settings(services, team, break_glass_enabled=True, break_glass_minutes=30)
    assert services.auth.grant_pending(team.social_worker) > 0
    assert services.auth.grant_pending(team.gp) > 0
    return {
        name: services.auth.login(getattr(team, name).username, helpers.password)
        for name in ("gp", "gp2", "social_worker", "paramedical")
    }


@pytest.fixture
def social_file(services, team, make_patient):
    first, second = make_patient("Alpha", "Anne", sex="F"), make_patient("Bravo", "Bruno")
    for patient_id in (first, second):
        services.notes.add(team.social_worker, patient_id, "social", f"Hébergement {patient_id}.")
    return first, second


# ---- refusals ----------------------------------------------------------------------------------


def test_refused_while_the_clinic_has_not_enabled_it(services, team, social_file, audit_log):
    first, _ = social_file
    assert services.exceptional.offered(team.gp) == []
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as error:
        services.exceptional.start(team.gp, first, "social", WHY)
    assert error.value.message == NOT_OPEN
    (refused,) = audit_log.since(since)
    assert (refused.action, refused.outcome, refused.patient_id, refused.compartment) == (
        "break_glass",
        "refused",
        first,
        "social",
    )
    with pytest.raises(PermissionDenied):
        services.notes.list(team.gp, first, "social")


@pytest.mark.parametrize("justification", ["", "   ", "urgence", "x" * 14, "\x00" * 30])
def test_refused_without_a_real_justification(
    services, team, enabled, social_file, audit_log, database, justification
):
    first, _ = social_file
    since = audit_log.last_id()
    with pytest.raises(ValidationError) as error:
        services.exceptional.start(enabled["gp"], first, "social", justification)
    assert error.value.fields == {"justification": JUSTIFY}
    (refused,) = audit_log.since(since)
    assert (refused.action, refused.outcome) == ("break_glass", "refused")
    assert refused.detail == "justification absente ou trop courte"
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ExceptionalAccess)) == 0
        assert session.scalar(select(func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize(
    ("who", "compartment"),
    [
        ("gp", "medical"),  # already has access
        ("gp", "liaison"),
        ("social_worker", "social"),
        ("paramedical", "liaison"),
        ("secretary", "medical"),  # not a health or social professional
        ("secretary", "social"),
        ("coordinator", "social"),
        ("coordinator", "medical"),
    ],
)
def test_refused_to_roles_with_access_and_to_non_professionals(
    services, team, enabled, social_file, audit_log, who, compartment
):
    first, _ = social_file
    actor = enabled.get(who) or getattr(team, who)
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as error:
        services.exceptional.start(actor, first, compartment, WHY)
    assert error.value.message == NOT_OPEN
    assert [r.outcome for r in audit_log.since(since)] == ["refused"]


def test_offered_compartments(services, team, enabled):
    assert services.exceptional.offered(enabled["gp"]) == ["social"]
    assert services.exceptional.offered(enabled["paramedical"]) == ["social"]
    assert services.exceptional.offered(enabled["social_worker"]) == ["medical"]
    assert services.exceptional.offered(team.secretary) == []
    assert services.exceptional.offered(team.coordinator) == []


def test_refused_until_a_holder_prepared_the_key(services, team, social_file, helpers):
    """Enabled, but no holder of the social key has logged in since: there is no key copy
    for the GP, and no bypass either."""
    first, _ = social_file
    _settings(services, team, break_glass_enabled=True)
    gp = services.auth.login("dr.durand", helpers.password)
    assert gp.keys.escrow_keys == {}
    with pytest.raises(PermissionDenied) as error:
        services.exceptional.start(gp, first, "social", WHY)
    assert error.value.message == NOT_READY


# ---- the allowed case --------------------------------------------------------------------------


def test_gp_opens_one_patients_social_compartment_for_a_limited_time(
    services, team, enabled, social_file, audit_log, database, clock
):
    first, second = social_file
    gp = enabled["gp"]
    assert "social" in gp.keys.escrow_keys and "social" not in gp.keys.role_keys
    since = audit_log.last_id()
    access = services.exceptional.start(gp, first, "social", f"  {WHY}\x00 ")
    assert (access.patient_id, str(access.compartment)) == (first, "social")
    assert access.started_at == clock()
    assert (access.expires_at - access.started_at).total_seconds() == 30 * 60
    assert [a.id for a in services.exceptional.active(gp, first)] == [access.id]
    assert services.exceptional.active(gp, second) == []
    with database.sessions() as session:
        row = session.get(ExceptionalAccess, access.id)
        assert row.user_id == gp.user_id and row.justification == ""
        # Sealed (administrative key): the coordinator reads it, a copied file does not.
        assert WHY.encode() not in row.sealed_justification
        opened = EXCEPTIONAL_ACCESS.read(services.codec, team.coordinator, row)
        assert opened == {"justification": WHY}

    notes = services.notes.list(gp, first, "social")
    assert [n.text for n in notes] == [f"Hébergement {first}."]
    assert not notes[0].can_edit
    with pytest.raises(PermissionDenied):
        services.notes.add(gp, first, "social", "Écrire n'est pas permis.")

    entries = audit_log.since(since, user_id=gp.user_id)
    started, read = entries[0], entries[1]
    assert (started.action, started.outcome, started.patient_id, started.compartment) == (
        "break_glass",
        "ok",
        first,
        "social",
    )
    assert (started.object_type, started.object_id) == ("exceptional_access", access.id)
    assert started.detail == "accès exceptionnel pour 30 min"
    assert (read.action, read.outcome, read.patient_id, read.compartment) == (
        "read",
        "ok",
        first,
        "social",
    )
    assert "accès exceptionnel" in read.detail
    assert WHY not in repr([(e.detail, e.object_type) for e in entries])

    # The owners of the compartment are told in their inbox; nobody else.
    with database.sessions() as session:
        told = session.execute(
            select(
                Notification.user_id, Notification.kind, Notification.patient_id, Notification.text
            )
        ).all()
    assert [(u, k, p) for u, k, p, _ in told] == [
        (team.social_worker.user_id, "break_glass", first)
    ]
    assert "Paul Durand" in told[0][3] and "social" in told[0][3]
    assert "Hébergement" not in told[0][3]

    # Nothing for another patient.
    with pytest.raises(PermissionDenied):
        services.notes.list(gp, second, "social")

    # Expiry: after the configured 30 minutes, reads are refused again.
    clock.advance(minutes=29, seconds=59)
    assert len(services.notes.list(gp, first, "social")) == 1
    clock.advance(seconds=1)
    assert services.exceptional.active(gp, first) == []
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        services.notes.list(gp, first, "social")
    assert [r.outcome for r in audit_log.since(since)] == ["refused"]


def test_social_worker_opens_the_medical_compartment(
    services, team, enabled, social_file, audit_log, database
):
    first, _ = social_file
    services.notes.add(team.gp, first, "medical", "Allergie à la pénicilline.")
    worker = enabled["social_worker"]
    with pytest.raises(PermissionDenied):
        services.notes.list(worker, first, "medical")
    services.exceptional.start(worker, first, "medical", WHY)
    assert [n.text for n in services.notes.list(worker, first, "medical")] == [
        "Allergie à la pénicilline."
    ]
    with database.sessions() as session:
        told = set(session.scalars(select(Notification.user_id)))
    # Every professional entitled to the medical compartment is told.
    assert told == {
        team.gp.user_id,
        team.gp2.user_id,
        team.paramedical.user_id,
        team.paramedical2.user_id,
    }


# ---- switching the setting off -----------------------------------------------------------------


def test_disabling_deletes_every_break_glass_key_copy(
    services, team, enabled, social_file, database, helpers
):
    first, _ = social_file
    assert _break_glass_grants(database)
    gp = enabled["gp"]
    services.exceptional.start(gp, first, "social", WHY)
    _settings(services, team, break_glass_enabled=False)
    assert _break_glass_grants(database) == []
    assert services.exceptional.offered(gp) == []
    # Holders logging in do not prepare copies any more; a new session has none.
    services.auth.login("as.moreau", helpers.password)
    assert _break_glass_grants(database) == []
    assert services.auth.login("dr.durand", helpers.password).keys.escrow_keys == {}
    # The access started before the switch ends with it, even in the running session.
    assert services.exceptional.active(gp, first) == []
    with pytest.raises(PermissionDenied):
        services.notes.list(gp, first, "social")
