"""The coordinator's audit viewer: filters, paging, chain verification and head export."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from app.models import AuditEntry
from app.services.audit import chain as audit_chain
from app.services.audit import writer as audit_module
from app.services.audit.records import AuditRecord, VerifyReport
from app.services.audit.viewer import NO_AUDIT_KEY
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import PermissionDenied, ValidationError

REFUSED = "Seule la coordination peut consulter le journal d'audit."


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (lambda s, a: s.audit_log.search(a), "audit_search"),
        (lambda s, a: s.audit_log.users(a), "audit_search"),
        (lambda s, a: s.audit_log.verify(a), "audit_verify"),
        (lambda s, a: s.audit_log.head(a), "audit_head"),
    ],
)
def test_only_the_coordinator_reads_the_audit_trail(services, team, audit_log, call, action):
    for role in ("gp", "social_worker", "paramedical", "secretary"):
        actor = getattr(team, role)
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as raised:
            call(services, actor)
        assert raised.value.message == REFUSED
        rows = audit_log.since(since)
        assert [(r.action, r.outcome, r.user_id, r.object_type) for r in rows] == [
            (action, "refused", actor.user_id, "audit")
        ]


def test_search_filters_by_user_patient_action(services, team, make_patient, clock):
    first = make_patient("Aubert")
    second = make_patient("Blanc")
    clock.advance(minutes=5)
    services.patients.get(team.gp, first)
    services.patients.get(team.social_worker, second)
    services.notes.add(team.gp, second, "medical", "Texte.")
    log = services.audit_log

    by_gp = log.search(team.coordinator, user_id=team.gp.user_id).entries
    assert by_gp and {e.user_id for e in by_gp} == {team.gp.user_id}
    on_second = log.search(team.coordinator, patient_id=second).entries
    assert {e.patient_id for e in on_second} == {second}
    assert {(e.action, e.username) for e in on_second} >= {
        ("read", "as.moreau"),
        ("create", "dr.durand"),
    }
    reads = log.search(team.coordinator, action="read", patient_id=first).entries
    assert [(e.action, e.user_id) for e in reads] == [("read", team.gp.user_id)]
    assert reads[0].action_label == "Consultation"
    assert reads[0].outcome_label == "Effectué"
    combined = log.search(team.coordinator, user_id=team.gp.user_id, patient_id=second).entries
    assert [(e.action, e.compartment) for e in combined] == [("create", "medical")]


def test_search_is_newest_first_and_pages_without_overlap(services, team, make_patient, clock):
    patient = make_patient()
    for _ in range(7):
        clock.advance(minutes=1)
        services.patients.get(team.gp, patient)
    log = services.audit_log
    page1 = log.search(team.coordinator, limit=3)
    page2 = log.search(team.coordinator, limit=3, offset=3)
    assert page1.has_more and page2.has_more
    # The search is itself recorded, before the first page is read: it comes first.
    assert page1.entries[0].action == "audit_search"
    assert page1.entries[0].user_id == team.coordinator.user_id
    ids = [e.id for e in page1.entries + page2.entries]
    assert len(set(ids)) == 6
    stamps = [(e.at, e.id) for e in page1.entries + page2.entries]
    assert stamps == sorted(stamps, reverse=True)
    everything = log.search(team.coordinator, limit=1000)
    assert not everything.has_more
    assert [e.id for e in everything.entries[1:7]] == ids[:6]  # the new search entry on top


def test_dates_are_clinic_local_days(services, team, make_patient, clock):
    patient = make_patient()
    # 22:30 UTC on 21 November is 23:30 in Paris (21st); 23:30 UTC is 00:30 on the 22nd.
    clock.now = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
    services.patients.get(team.gp, patient)
    clock.now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    services.patients.get(team.gp2, patient)
    log = services.audit_log

    def readers(day_from, day_to):
        page = log.search(
            team.coordinator, action="read", patient_id=patient, date_from=day_from, date_to=day_to
        )
        return [e.user_id for e in page.entries]

    assert readers(date(2026, 11, 21), date(2026, 11, 21)) == [team.gp.user_id]
    assert readers(date(2026, 11, 22), None) == [team.gp2.user_id]
    assert readers(None, date(2026, 11, 22)) == [team.gp2.user_id, team.gp.user_id]
    with pytest.raises(ValidationError) as raised:
        log.search(team.coordinator, date_from=date(2026, 11, 22), date_to=date(2026, 11, 21))
    assert "La date de fin précède la date de début." in raised.value.message


def test_every_action_written_has_a_french_label(services, team, make_patient, helpers):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Texte.")
    services.auth.reauthenticate(team.gp, helpers.password)
    services.documents.access_report(team.coordinator, patient)
    services.audit_log.head(team.coordinator)
    codes = dict(services.audit_log.actions())
    with services.db.session(write=False) as session:
        written = set(session.scalars(text("SELECT DISTINCT action FROM audit_entry")))
    assert written and written <= codes.keys(), written - codes.keys()
    for code in ("key_grant", "break_glass", "export", "print", "archive", "reauthenticate"):
        assert codes[code] and codes[code] != code
    labels = [label for _, label in services.audit_log.actions()]
    assert labels == sorted(labels, key=str.casefold)


def test_each_audit_record_has_one_home():
    """No re-export hub (issue 11): each name lives in, and is imported from, one module."""
    assert AuditRecord.__module__ == "app.services.audit.records"
    assert VerifyReport.__module__ == "app.services.audit.records"
    assert AuditAction.__module__ == "app.services.kernel.audit_actions"
    assert not hasattr(audit_module, "ACTION_LABELS")
    assert not hasattr(audit_chain, "ACTION_LABELS")


def test_users_lists_every_account(services, team):
    users = dict(services.audit_log.users(team.coordinator))
    assert users[team.gp.user_id] == "Paul Durand"
    assert users[team.coordinator.user_id] == "Anne Martin"
    assert len(users) == 7


def test_verify_and_head(services, team, make_patient, audit_log):
    make_patient()
    head = services.audit_log.head(team.coordinator)
    assert len(head) == 64
    with services.db.session(write=False) as session:
        last = session.scalar(text("SELECT mac FROM audit_entry ORDER BY seq DESC LIMIT 1"))
    assert head == last  # the head covers the entry recording its own export
    seen: list[int] = []
    report = services.audit_log.verify(
        team.coordinator, expected_head=head.upper(), progress=seen.append
    )
    assert report.ok, report.message()
    assert report.checked == len(audit_log.rows()) - 1  # not the verify entry itself
    # Compared with the head this workstation kept in its keyring (the export's entry).
    assert report.stored_head == "checked" and report.kept_seq == report.last_seq
    assert "la dernière scellée par ce poste" in report.message()
    entry = audit_log.rows()[-1]
    assert (entry.action, entry.outcome, entry.user_id) == (
        "audit_verify",
        "ok",
        team.coordinator.user_id,
    )
    bad = services.audit_log.verify(team.coordinator, expected_head="0" * 63 + "1")
    assert not bad.ok and "empreinte exportée" in bad.message()
    assert audit_log.rows()[-1].outcome == "failed"


def test_verify_reports_an_edited_entry(services, team, make_patient, database):
    make_patient()
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
        target = conn.execute(text("SELECT id, seq FROM audit_entry ORDER BY seq LIMIT 1 OFFSET 3"))
        row_id, seq = target.one()
        conn.execute(text("UPDATE audit_entry SET detail = 'x' WHERE id = :i"), {"i": row_id})
    report = services.audit_log.verify(team.coordinator)
    assert not report.ok
    assert report.first_bad_seq == seq
    assert f"entrée n° {seq}" in report.message()


def test_verify_without_the_audit_key_says_so(services, team, audit_log):
    services.audit.key = None
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as raised:
        services.audit_log.verify(team.coordinator)
    assert raised.value.message == NO_AUDIT_KEY
    assert "clé d'audit est introuvable" in NO_AUDIT_KEY
    assert [(r.action, r.outcome) for r in audit_log.since(since)] == [("audit_verify", "failed")]
    with pytest.raises(PermissionDenied):
        services.audit_log.head(team.coordinator)


def test_audit_rows_never_carry_filters_beyond_ids(services, team, make_patient, audit_log):
    patient = make_patient()
    services.audit_log.search(team.coordinator, patient_id=patient, action="read")
    row = audit_log.rows(action="audit_search")[-1]
    assert row.patient_id == patient and row.detail == "action read"
    assert isinstance(row, AuditEntry)


def test_entries_name_the_patient_not_the_file_number(services, team, make_patient, clock):
    patient = make_patient("Aubert", "Lucie", sex="F")
    clock.advance(minutes=5)
    services.patients.get(team.gp, patient)
    entries = services.audit_log.search(team.coordinator, patient_id=patient).entries
    assert entries and {e.patient_name for e in entries} == {"AUBERT Lucie"}
    others = services.audit_log.search(team.coordinator, user_id=team.coordinator.user_id)
    assert all(e.patient_name == "" for e in others.entries if e.patient_id is None)
