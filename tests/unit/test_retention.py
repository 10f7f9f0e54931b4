"""Retention: inactive files listed, archived read-only and out of the search, unarchived."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.services.kernel.errors import PermissionDenied, ValidationError
from app.services.patient_file.retention import ArchivingCancelled, years_before

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def files(services, team, make_patient, clock):
    """Three files last active 7, 6 and 1 year(s) ago (the clinic keeps 5 years)."""
    made = {}
    for name, year in (("Ancien", 2019), ("Vieux", 2020), ("Recent", 2025)):
        clock.now = datetime(year, 6, 1, 8, 0, tzinfo=UTC)
        made[name] = make_patient(name)
    clock.now = NOW
    return made


def test_candidates_are_the_inactive_files_oldest_first(services, team, files):
    found = services.retention.candidates(team.coordinator)
    assert [c.patient.id for c in found] == [files["Ancien"], files["Vieux"]]
    assert found[0].last_activity_at == datetime(2019, 6, 1, 8, 0, tzinfo=UTC)
    assert found[0].patient.display_name.startswith("ANCIEN")
    assert found[0].archived_at is None
    assert [c.patient.id for c in services.retention.candidates(team.coordinator, limit=1)] == [
        files["Ancien"]
    ]
    clinic = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(clinic.as_input(), retention_years=7), clinic.version
    )
    assert [c.patient.id for c in services.retention.candidates(team.coordinator)] == [
        files["Ancien"]
    ]


def test_a_note_is_activity(services, team, files):
    services.notes.add(team.gp, files["Ancien"], "medical", "Revu en consultation.")
    assert [c.patient.id for c in services.retention.candidates(team.coordinator)] == [
        files["Vieux"]
    ]


def test_archived_files_leave_the_search_and_are_read_only(services, team, files, audit_log):
    since = audit_log.last_id()
    assert services.retention.archive(team.coordinator, [files["Ancien"], files["Vieux"]]) == 2
    rows = audit_log.since(since)
    assert sorted((r.action, r.patient_id, r.outcome) for r in rows) == sorted(
        [("archive", files["Ancien"], "ok"), ("archive", files["Vieux"], "ok")]
    )
    assert services.retention.candidates(team.coordinator) == []
    assert services.patients.search(team.secretary, "Ancien").patients == []
    assert services.patients.search(team.secretary, "Recent").patients
    archived = services.retention.archived(team.coordinator)
    assert {a.patient.id for a in archived} == {files["Ancien"], files["Vieux"]}
    assert all(a.archived_at == NOW for a in archived)
    with pytest.raises(PermissionDenied) as raised:
        services.notes.add(team.gp, files["Ancien"], "medical", "Nouvelle note.")
    assert raised.value.message == "Ce dossier est archivé : il ne peut plus être modifié."
    record = services.patients.get(team.secretary, files["Ancien"])
    assert record.archived
    with pytest.raises(PermissionDenied):
        services.patients.update(
            team.secretary, record.id, replace(record.as_input(), phone="0102030405"), 1
        )
    # Archiving again is harmless: nothing changes, nothing is recorded.
    since = audit_log.last_id()
    assert services.retention.archive(team.coordinator, [files["Ancien"]]) == 0
    assert audit_log.since(since) == []


def test_archiving_reports_progress_and_a_cancel_rolls_everything_back(
    services, team, files, audit_log
):
    ids = [files["Ancien"], files["Vieux"]]
    steps: list[tuple[int, int]] = []
    since = audit_log.last_id()
    with pytest.raises(ArchivingCancelled) as raised:
        services.retention.archive(
            team.coordinator,
            ids,
            progress=lambda d, t: steps.append((d, t)),
            cancelled=lambda: len(steps) >= 2,
        )
    assert raised.value.message == "Archivage annulé : aucun dossier n'a été archivé."
    assert steps == [(1, 2), (2, 2)]
    assert services.retention.archived(team.coordinator) == []
    assert audit_log.since(since) == []
    assert (
        services.retention.archive(
            team.coordinator,
            ids,
            progress=lambda d, t: steps.append((d, t)),
            cancelled=lambda: False,
        )
        == 2
    )
    assert steps[-2:] == [(1, 2), (2, 2)]


def test_unarchive_brings_the_file_back(services, team, files, audit_log, clock):
    services.retention.archive(team.coordinator, [files["Vieux"]])
    clock.advance(days=1)
    services.retention.unarchive(team.coordinator, files["Vieux"])
    assert audit_log.rows(action="unarchive")[-1].patient_id == files["Vieux"]
    assert services.patients.search(team.secretary, "Vieux").patients
    assert services.retention.archived(team.coordinator) == []
    # Unarchiving is activity: the file is not due again before another full period.
    assert [c.patient.id for c in services.retention.candidates(team.coordinator)] == [
        files["Ancien"]
    ]
    services.notes.add(team.gp, files["Vieux"], "medical", "Le patient est revenu.")


def test_a_recently_active_file_is_not_archived(services, team, files):
    with pytest.raises(ValidationError) as raised:
        services.retention.archive(team.coordinator, [files["Ancien"], files["Recent"]])
    assert "activité récente" in raised.value.message
    assert services.retention.archived(team.coordinator) == []


@pytest.mark.parametrize("role", ["gp", "secretary"])
def test_only_the_coordination_archives(services, team, files, audit_log, role):
    actor = getattr(team, role)
    calls = [
        ("archive", lambda: services.retention.candidates(actor), None),
        ("archive", lambda: services.retention.archived(actor), None),
        ("archive", lambda: services.retention.archive(actor, [files["Ancien"]]), None),
        (
            "unarchive",
            lambda: services.retention.unarchive(actor, files["Ancien"]),
            files["Ancien"],
        ),
    ]
    for action, call, patient_id in calls:
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as raised:
            call()
        assert raised.value.message == "Seule la coordination gère l'archivage des dossiers."
        assert [(r.action, r.outcome, r.patient_id) for r in audit_log.since(since)] == [
            (action, "refused", patient_id)
        ]
    assert services.retention.archived(team.coordinator) == []


def test_years_before_handles_29_february():
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 5) == datetime(2023, 2, 28, tzinfo=UTC)
    assert years_before(NOW, 5) == datetime(2021, 11, 22, 9, 0, tzinfo=UTC)
