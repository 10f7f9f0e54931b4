"""Recent patients: the files a user opened, newest first, from the audit trail."""

from __future__ import annotations

from app.services.accounts.capabilities import CapabilityService


def test_newest_first_per_user_without_repeats(services, team, make_patient, clock):
    first = make_patient("Dupré", "Jean")
    second = make_patient("Martin", "Claire")
    third = make_patient("Leroy", "Anne")
    for patient_id in (first, second, first, third):
        services.patients.get(team.gp, patient_id)
        clock.advance(seconds=5)
    services.patients.get(team.gp2, second)
    recent = services.recent_patients.recent(team.gp)
    assert [p.id for p in recent] == [third, first, second]
    assert [p.id for p in services.recent_patients.recent(team.gp2)] == [second]
    assert services.recent_patients.recent(team.secretary) == []
    assert [p.id for p in services.recent_patients.recent(team.gp, limit=2)] == [third, first]


def test_a_lookup_that_does_not_open_the_file_is_not_recent(services, team, make_patient):
    patient = make_patient()
    services.patients.get(team.gp, patient, audit_open=False)
    assert services.recent_patients.recent(team.gp) == []


def test_archived_files_are_left_out(services, team, make_patient, clock):
    kept = make_patient("Dupré", "Jean")
    archived = make_patient("Ancien", "Paul")
    services.patients.get(team.gp, archived)
    services.patients.get(team.gp, kept)
    clock.advance(days=6 * 365)
    services.retention.archive(team.coordinator, [archived])
    assert [p.id for p in services.recent_patients.recent(team.gp)] == [kept]


def test_capabilities_follow_the_roles(team):
    capabilities = CapabilityService()
    gp = capabilities.of(team.gp)
    secretary = capabilities.of(team.secretary)
    coordinator = capabilities.of(team.coordinator)
    assert gp.refer and gp.write_notes and not gp.accounts and not gp.audit
    assert secretary.create_patients and secretary.agenda and not secretary.refer
    assert coordinator.accounts and coordinator.settings and coordinator.audit
