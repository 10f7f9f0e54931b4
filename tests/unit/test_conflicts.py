"""Optimistic locking everywhere (issue 10 §5): a save that meets a newer version is refused
with the French conflict, audited, and nothing of it is saved; a stale version found by the
database itself (at a flush, an autoflush or the commit) is the same French conflict, never
SQLAlchemy's ``StaleDataError``."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from app.models import Base, Note, Patient
from app.models.enums import Role
from app.services.accounts.records import UserInput
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError
from app.services.kernel.unit_of_work import RECORD_LABELS, GuardedDatabase
from app.services.partners.records import PartnerContactInput, PartnerInput

CARSAT = PartnerInput("CARSAT Normandie", "carsat", phone="02 35 00 00 00")


def test_every_versioned_record_has_a_french_name():
    versioned = {
        mapper.local_table.name
        for mapper in Base.registry.mappers
        if mapper.version_id_col is not None
    }
    assert versioned <= RECORD_LABELS.keys()


def _conflict_entries(audit_log, since: int) -> list[tuple]:
    return [
        (e.user_id, e.object_type, e.object_id, e.outcome)
        for e in audit_log.since(since, action=AuditAction.CONFLICT)
    ]


def test_identity_conflict_is_audited_and_saves_nothing(
    services, team, make_patient, audit_log, db_state
):
    patient_id = make_patient()
    seen = services.patients.get(team.secretary, patient_id)
    services.patients.update(
        team.social_worker, patient_id, replace(seen.as_input(), city="Rouen"), seen.version
    )
    before, since = db_state(), audit_log.last_id()
    with pytest.raises(ConflictError) as info:
        services.patients.update(
            team.secretary, patient_id, replace(seen.as_input(), phone="0612345678"), seen.version
        )
    assert info.value.theirs.city == "Rouen" and info.value.mine.phone == "0612345678"
    assert info.value.extra == {
        "expected_version": seen.version,
        "current_version": seen.version + 1,
    }
    assert db_state() == before
    assert _conflict_entries(audit_log, since) == [
        (team.secretary.user_id, "patient", patient_id, "ok")
    ]


def test_partner_and_contact_conflicts_are_audited_and_save_nothing(
    services, team, audit_log, db_state
):
    partner = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.coordinator, partner.id, PartnerContactInput("Hélène Vasseur", "AS de secteur")
    )
    services.partners.update(
        team.secretary, partner.id, replace(partner.as_input(), phone="02 35 99 99 99"), 1
    )
    services.partners.update_contact(
        team.secretary, contact.id, PartnerContactInput("Hélène Vasseur", "AS"), 1
    )
    before, since = db_state(), audit_log.last_id()
    with pytest.raises(ConflictError) as info:
        services.partners.update(team.social_worker, partner.id, partner.as_input(), 1)
    assert info.value.theirs.phone == "02 35 99 99 99"
    with pytest.raises(ConflictError) as info:
        services.partners.update_contact(
            team.social_worker, contact.id, PartnerContactInput("H. Vasseur"), 1
        )
    assert info.value.theirs.title == "AS"
    assert db_state() == before
    assert _conflict_entries(audit_log, since) == [
        (team.social_worker.user_id, "partner", partner.id, "ok"),
        (team.social_worker.user_id, "partner_contact", contact.id, "ok"),
    ]


def test_settings_and_account_conflicts_are_audited_and_save_nothing(
    services, team, audit_log, db_state
):
    settings = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(settings.as_input(), phone="02 35 12 34 56"), settings.version
    )
    account = services.accounts.get_user(team.coordinator, team.secretary.user_id)
    data = UserInput(
        account.username, account.first_name, "Roux-Martin", Role.SECRETARY, account.profession
    )
    services.accounts.update_user(team.coordinator, account.id, data, account.version)
    before, since = db_state(), audit_log.last_id()
    with pytest.raises(ConflictError) as info:
        services.clinic.update(
            team.coordinator, replace(settings.as_input(), name="Autre nom"), settings.version
        )
    assert info.value.theirs.phone == "02 35 12 34 56"
    with pytest.raises(ConflictError) as info:
        services.accounts.update_user(
            team.coordinator, account.id, replace(data, last_name="Roux"), account.version
        )
    assert info.value.theirs.last_name == "Roux-Martin"
    assert db_state() == before
    assert _conflict_entries(audit_log, since) == [
        (team.coordinator.user_id, "clinic", None, "ok"),
        (team.coordinator.user_id, "account", account.id, "ok"),
    ]


# ---- the net under the services' checks: StaleDataError in any unit of work ----------------


def _bump_behind_the_orm(session, patient_id: int) -> None:
    """Another writer's save, as the database sees it: the version moves under the session."""
    session.execute(
        update(Patient.__table__)
        .where(Patient.__table__.c.id == patient_id)
        .values(version=Patient.__table__.c.version + 1)
    )


@pytest.mark.parametrize("when", ["flush", "autoflush", "commit"])
def test_a_stale_version_found_by_the_database_is_the_french_conflict(
    services, team, clock, make_patient, db_state, when
):
    patient_id = make_patient()
    db = services.db
    assert isinstance(db, GuardedDatabase)
    before = db_state()
    with pytest.raises(ConflictError) as info, db.session() as session:
        patient = session.get(Patient, patient_id)
        _bump_behind_the_orm(session, patient_id)
        patient.city = "Jamais enregistrée"
        session.add(
            Note(
                patient_id=patient_id,
                compartment="medical",
                author_id=team.gp.user_id,
                updated_by_id=team.gp.user_id,
                created_at=clock(),
                updated_at=clock(),
                content=b"P1:jamais",
            )
        )
        if when == "flush":
            session.flush()
        elif when == "autoflush":
            session.scalar(select(Patient.city).where(Patient.id == patient_id))
    error = info.value
    assert error.object_label == "L'identité du patient"
    assert error.message.startswith("L'identité du patient : quelqu'un d'autre a enregistré")
    assert "Votre version n'a pas été enregistrée" in error.message
    assert error.extra["object_type"] == "patient" and error.extra["object_id"] == patient_id
    assert error.extra["expected_version"] == 1
    assert type(error.__cause__).__name__ == "StaleDataError"
    # Rolled back: neither the patient's change, nor the new note, nor the bump.
    assert db_state() == before


def test_work_on_the_file_does_not_make_an_identity_edit_conflict(
    services, team, make_patient, liaison_consent
):
    """A GP's note, a consent, a referral… record activity on the file, not a new version of
    the identity: the secretary's open identity form still saves."""
    from app.services.referrals.records import ReferralInput

    patient = make_patient("Activité", "Martine", sex="F")
    opened = services.patients.get(team.secretary, patient, audit_open=False)
    services.notes.add(team.gp, patient, "medical", "Consultation du jour.")
    liaison_consent(patient)
    services.referrals.create(
        team.gp,
        ReferralInput(patient_id=patient, reason="housing", receiver_id=team.social_worker.user_id),
    )
    after = services.patients.get(team.secretary, patient, audit_open=False)
    assert after.version == opened.version
    data = replace(opened.as_input(), city="Darnétal")
    saved = services.patients.update(team.secretary, patient, data, opened.version)
    assert saved.city == "Darnétal" and saved.version == opened.version + 1
