"""The audit trail: what is recorded, what never is, and that it is append-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.models import AuditEntry
from app.models.enums import Compartment, Role
from app.services.clinic.records import ClinicInput
from app.services.kernel.errors import AuthenticationError, PermissionDenied
from app.services.patient_file.records import PatientInput

AUDIT_COLUMNS = [c.name for c in AuditEntry.__table__.columns]


def _only(rows):
    assert len(rows) == 1, [(r.action, r.outcome, r.compartment) for r in rows]
    return rows[0]


@pytest.mark.parametrize(
    ("compartment", "reader"),
    [
        ("medical", "gp2"),
        ("medical", "paramedical"),
        ("social", "social_worker"),
        ("liaison", "gp"),
    ],
)
def test_reads_of_clinical_compartments_are_audited(
    services, team, make_patient, liaison_consent, audit_log, clock, compartment, reader
):
    patient_id = make_patient()
    liaison_consent(patient_id)
    author = team.social_worker if compartment == "social" else team.gp
    note = services.notes.add(author, patient_id, compartment, "Contenu de la note.")
    actor = getattr(team, reader)
    clock.advance(minutes=7)
    since = audit_log.last_id()
    services.notes.list(actor, patient_id, compartment)
    entry = _only(audit_log.since(since))
    assert (entry.user_id, entry.username, entry.role) == (
        actor.user_id,
        actor.username,
        str(actor.role),
    )
    assert (entry.action, entry.outcome) == ("read", "ok")
    assert (entry.patient_id, entry.compartment, entry.object_type) == (
        patient_id,
        compartment,
        "note",
    )
    assert entry.at == clock() and entry.at.tzinfo is not None
    assert entry.workstation == actor.workstation != ""
    assert note.id  # the note exists; the read entry names the compartment, not the text


def test_opening_the_identity_is_audited(services, team, make_patient, audit_log):
    patient_id = make_patient()
    since = audit_log.last_id()
    services.patients.get(team.secretary, patient_id)
    entry = _only(audit_log.since(since))
    assert (entry.action, entry.compartment, entry.object_id) == (
        "read",
        "administrative",
        patient_id,
    )


def test_times_are_stored_in_utc(services, team, make_patient, audit_log, clock):
    patient_id = make_patient()
    paris = timezone(timedelta(hours=1))
    clock.now = datetime(2026, 12, 24, 23, 30, tzinfo=paris)
    since = audit_log.last_id()
    services.notes.add(team.gp, patient_id, "medical", "Visite du soir.")
    entry = _only(audit_log.since(since))
    assert entry.at == datetime(2026, 12, 24, 22, 30, tzinfo=UTC)
    assert entry.at.utcoffset() == timedelta(0)


def test_every_change_is_audited(services, team, make_patient, audit_log, helpers):
    since = audit_log.last_id()
    patient_id = make_patient("Benoît", "Agathe", sex="F")
    record = services.patients.get(team.secretary, patient_id, audit_open=False)
    data = PatientInput(**{**record.as_input().__dict__, "city": "Rouen"})
    services.patients.update(team.secretary, patient_id, data, record.version)
    note = services.notes.add(team.gp, patient_id, "medical", "Première note.")
    services.notes.edit(team.gp, note.id, "Première note, complétée.", note.version)
    services.accounts.set_active(team.coordinator, team.paramedical2.user_id, False)
    services.accounts.set_active(team.coordinator, team.paramedical2.user_id, True)
    services.accounts.reset_password(team.coordinator, team.secretary.user_id, "un-nouveau-secret")
    services.accounts.change_own_password(team.gp, helpers.password, "un-autre-secret-1")
    current = services.clinic.settings(team.coordinator)
    services.clinic.update(team.coordinator, ClinicInput(current.name), current.version)
    got = [
        (r.action, r.outcome, r.patient_id, r.compartment, r.object_type)
        for r in audit_log.since(since)
    ]
    assert got == [
        ("create", "ok", patient_id, "administrative", "patient"),
        ("update", "ok", patient_id, "administrative", "patient"),
        ("create", "ok", patient_id, "medical", "note"),
        ("update", "ok", patient_id, "medical", "note"),
        ("account_disable", "ok", None, None, "account"),
        ("account_enable", "ok", None, None, "account"),
        # The coordinator's session hands its keys to the reset account at once.
        ("key_grant", "ok", None, "care", "account"),
        ("key_grant", "ok", None, "administrative", "account"),
        ("password_reset", "ok", None, None, "account"),
        ("password_change", "ok", None, None, "account"),
        ("clinic_update", "ok", None, None, "clinic"),
    ]
    objects = [r.object_id for r in audit_log.since(since)]
    assert objects[2:4] == [note.id, note.id]
    assert objects[4:9] == [
        team.paramedical2.user_id,
        team.paramedical2.user_id,
        team.secretary.user_id,
        team.secretary.user_id,
        team.secretary.user_id,
    ]


def test_every_refusal_is_audited(services, team, make_patient, audit_log):
    patient_id = make_patient()
    note = services.notes.add(team.gp, patient_id, "medical", "Note du médecin.")
    attempts = [
        (team.secretary, lambda: services.notes.list(team.secretary, patient_id, "medical")),
        (team.coordinator, lambda: services.notes.list(team.coordinator, patient_id, "social")),
        (team.gp, lambda: services.notes.add(team.gp, patient_id, "social", "Texte.")),
        (
            team.paramedical,
            lambda: services.notes.add(team.paramedical, patient_id, "liaison", "x"),
        ),
        (team.paramedical, lambda: services.notes.edit(team.paramedical, note.id, "x", 1)),
        (team.social_worker, lambda: services.accounts.list_users(team.social_worker)),
    ]
    for actor, attempt in attempts:
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied):
            attempt()
        entry = _only(audit_log.since(since))
        assert (entry.outcome, entry.user_id, entry.role) == (
            "refused",
            actor.user_id,
            str(actor.role),
        )
        assert entry.workstation == actor.workstation


def test_every_login_attempt_is_audited(services, team, audit_log, helpers, clock):
    since = audit_log.last_id()
    services.auth.login("dr.durand", helpers.password, workstation="cabinet-1")
    with pytest.raises(AuthenticationError):
        services.auth.login("inconnu", "peu-importe-123", workstation="accueil")
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            services.auth.login("sec.roux", "pas-le-bon-mot-de-passe", workstation="accueil")
    with pytest.raises(AuthenticationError):
        services.auth.login("sec.roux", helpers.password, workstation="accueil")
    rows = audit_log.since(since)
    got = [(r.username, r.action, r.outcome, r.workstation) for r in rows]
    assert got == [
        ("dr.durand", "login", "ok", "cabinet-1"),
        ("inconnu", "login_failed", "failed", rows[1].workstation),
        ("sec.roux", "login_failed", "failed", "accueil"),
        ("sec.roux", "login_failed", "failed", "accueil"),
        ("sec.roux", "login_failed", "failed", "accueil"),
        ("sec.roux", "login_throttled", "refused", "accueil"),
    ]
    assert rows[0].user_id == team.gp.user_id and rows[0].role == "gp"
    assert rows[1].user_id is None and rows[1].workstation
    assert all(r.at == clock() for r in rows)
    assert all(helpers.password not in (r.detail or "") for r in rows)
    assert all("pas-le-bon" not in repr([getattr(r, c) for c in AUDIT_COLUMNS]) for r in rows)


def test_audit_never_holds_the_content(services, team, make_patient, liaison_consent, audit_log):
    marker = "MARQUEUR-7f3c9a-confidentiel"
    patient_id = make_patient()
    liaison_consent(patient_id)
    notes = {
        "medical": services.notes.add(team.gp, patient_id, "medical", f"Diagnostic {marker}"),
        "social": services.notes.add(team.social_worker, patient_id, "social", f"Dette {marker}"),
        "liaison": services.notes.add(team.gp, patient_id, "liaison", f"Liaison {marker}"),
    }
    for compartment, note in notes.items():
        author = team.social_worker if compartment == "social" else team.gp
        services.notes.edit(author, note.id, f"Corrigé {marker} bis", note.version)
        services.notes.list(author, patient_id, compartment)
    with pytest.raises(PermissionDenied):
        services.notes.edit(team.paramedical, notes["medical"].id, f"Pirate {marker}", 2)
    rows = audit_log.rows()
    assert len(rows) > 10
    for row in rows:
        for column in AUDIT_COLUMNS:
            assert marker not in str(getattr(row, column)), (row.action, column)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET outcome = 'ok' WHERE outcome = 'refused'",
        "UPDATE audit_entry SET username = 'quelqu-un'",
        "DELETE FROM audit_entry",
        "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)",
    ],
)
def test_audit_is_append_only_in_the_database(services, team, database, audit_log, statement):
    with pytest.raises(PermissionDenied):
        services.accounts.list_users(team.gp)
    before = [(r.id, r.username, r.outcome) for r in audit_log.rows()]
    assert any(outcome == "refused" for _, _, outcome in before)
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text(statement))
    assert [(r.id, r.username, r.outcome) for r in audit_log.rows()] == before


def test_patient_entries_are_listed_newest_first(services, team, make_patient, database):
    patient_id = make_patient()
    services.notes.add(team.gp, patient_id, Compartment.MEDICAL, "Note.")
    with database.sessions() as session:
        entries = services.audit.entries_for_patient(session, patient_id)
    assert [(e.action, e.compartment) for e in entries] == [
        ("create", "medical"),
        ("create", "administrative"),
    ]
    assert all(e.role in {str(r) for r in Role} for e in entries)
