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


def test_the_openings_are_read_on_their_index_not_by_walking_every_entry(
    services, team, make_patient
):
    """A GP with thousands of audited notes and few openings: the query reads the openings on
    ``ix_audit_entry_user_action_at`` (issue 16: 0.5 s on the reference set before)."""
    from sqlalchemy import text

    patient = make_patient("Dupré", "Jean")
    for _ in range(30):
        services.notes.add(team.gp, patient, "medical", "Tension 12/8.")
    services.patients.get(team.gp, patient)
    if services.db.dialect != "sqlite":
        return  # tests/integration re-runs the service tests on PostgreSQL; the plan is SQLite's
    with services.db.session(write=False) as session:
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT patient_id FROM audit_entry WHERE user_id = :u "
                "AND action = 'read' AND object_type = 'patient' AND outcome = 'ok' "
                "ORDER BY at DESC, seq DESC LIMIT 500"
            ),
            {"u": team.gp.user_id},
        ).all()
    steps = " ".join(row[-1] for row in plan)
    assert "ix_audit_entry_user_action_at (user_id=? AND action=? AND object_type=?)" in steps
    assert "TEMP B-TREE" not in steps
    assert [p.id for p in services.recent_patients.recent(team.gp)] == [patient]
