"""The patient file's lists read a page at a time (counted and sorted in SQL), the file's
capabilities (one service call) and the export's progress and cancellation (issues 11, 16).

Statement counts are measured with SQLAlchemy's ``before_cursor_execute`` on the real SQLite
file: counts, never time."""

from __future__ import annotations

import dataclasses

import pytest
from sql_statements import statements
from sqlalchemy import func, select

from app.models import Document
from app.models.enums import Compartment, Role
from app.services.kernel.errors import PermissionDenied
from app.services.patient_file.records import HISTORY_OBJECT_LABELS, Cancelled


def add_notes(services, actor, patient_id: int, count: int, clock) -> None:
    for i in range(count):
        services.notes.add(actor, patient_id, "medical", f"Note {i}")
        clock.advance(minutes=1)


# ---- notes -----------------------------------------------------------------------------------
def test_notes_come_a_page_at_a_time_newest_first(services, team, make_patient, clock):
    patient = make_patient()
    add_notes(services, team.gp, patient, 7, clock)
    first = services.notes.page(team.gp, patient, "medical", limit=3)
    assert (len(first.items), first.total, first.offset, first.has_more) == (3, 7, 0, True)
    pages = [first.items]
    offset = 3
    while offset < 7:
        page = services.notes.page(team.gp, patient, "medical", offset=offset, limit=3)
        pages.append(page.items)
        offset += len(page.items)
    texts = [n.text for items in pages for n in items]
    assert texts == [f"Note {i}" for i in reversed(range(7))]
    assert texts == [n.text for n in services.notes.list(team.gp, patient, "medical")]
    last = services.notes.page(team.gp, patient, "medical", offset=6, limit=3)
    assert len(last.items) == 1 and not last.has_more


def test_a_notes_page_costs_the_same_statements_whatever_the_file_holds(
    services, team, make_patient, clock
):
    small, large = make_patient("Petit", "Paul"), make_patient("Grand", "Jean")
    add_notes(services, team.gp, small, 12, clock)
    add_notes(services, team.gp, large, 60, clock)
    with statements(services) as on_small:
        services.notes.page(team.gp, small, "medical", limit=10)
    with statements(services) as on_large:
        page = services.notes.page(team.gp, large, "medical", limit=10)
    assert len(page.items) == 10 and page.total == 60
    assert len(on_large) == len(on_small)
    selects = [s for s in on_large if s.lstrip().upper().startswith("SELECT")]
    assert any("count(" in s.lower() for s in selects)  # counted in SQL
    assert any("LIMIT" in s.upper() and "FROM note" in s for s in selects)  # paged in SQL
    assert len(on_large) <= 16


def test_each_page_read_is_audited(services, team, make_patient, clock, audit_log):
    patient = make_patient()
    add_notes(services, team.gp, patient, 5, clock)
    before = audit_log.last_id()
    services.notes.page(team.gp, patient, "medical", limit=2)
    services.notes.page(team.gp, patient, "medical", offset=2, limit=2)
    reads = audit_log.since(before, action="read", object_type="note")
    assert [r.detail for r in reads] == ["2 notes", "2 notes (à partir de la 3e)"]


def test_liaison_page_without_consent_and_without_own_notes_is_refused(
    services, team, make_patient
):
    patient = make_patient()
    with pytest.raises(PermissionDenied):
        services.notes.page(team.gp, patient, "liaison")


# ---- documents -------------------------------------------------------------------------------
def test_documents_come_a_page_at_a_time(services, team, make_patient, clock):
    patient = make_patient()
    for _ in range(3):
        services.documents.access_report(team.coordinator, patient)
        clock.advance(minutes=1)
    first = services.documents.documents_page(team.coordinator, patient, limit=2)
    rest = services.documents.documents_page(team.coordinator, patient, offset=2, limit=2)
    assert (len(first.items), first.total, len(rest.items), rest.has_more) == (2, 3, 1, False)
    everything = services.documents.list_documents(team.coordinator, patient)
    assert [d.id for d in first.items + rest.items] == [d.id for d in everything]
    assert everything[0].created_at >= everything[-1].created_at
    empty = services.documents.documents_page(team.gp, make_patient("Vide", "Eve"))
    assert (empty.items, empty.total) == ([], 0)


# ---- history ---------------------------------------------------------------------------------
def test_history_pages_are_counted_in_sql_and_say_what_changed_in_french(
    services, team, make_patient, clock
):
    patient = make_patient()
    add_notes(services, team.gp, patient, 4, clock)
    services.consents.record(team.secretary, patient, "liaison", "given")
    whole = services.patient_file.history_page(team.gp, patient, limit=100)
    assert whole.total == len(whole.items) >= 5
    page = services.patient_file.history_page(team.gp, patient, offset=1, limit=2)
    assert [i.at for i in page.items] == [i.at for i in whole.items[1:3]]
    labels = {i.object_label for i in whole.items}
    assert {"Note", "Identité"} <= labels
    codes = {i.object_type for i in whole.items}
    assert not labels & codes  # no internal identifier shown
    assert all(i.object_label in HISTORY_OBJECT_LABELS.values() for i in whole.items)
    # the social worker does not read the medical compartment: its notes are not named
    social = services.patient_file.history_page(team.social_worker, patient)
    assert all(i.compartment != str(Compartment.MEDICAL) for i in social.items)


# ---- capabilities ----------------------------------------------------------------------------
EXPECTED = {
    # role: (refer, consents, referrals, home care, appointments, access report, export)
    Role.GP: (True, True, True, True, True, False, True),
    Role.PARAMEDICAL: (True, True, True, True, True, False, True),
    Role.SOCIAL_WORKER: (True, True, True, True, True, False, True),
    Role.SECRETARY: (False, True, True, True, True, False, True),
    Role.COORDINATOR: (False, True, False, True, True, True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_capabilities_per_role(services, team, make_patient, role):
    actor = team.by_role(role)
    record = services.patients.get(actor, make_patient())
    can = services.patient_file.capabilities(actor, record)
    got = (
        can.can_refer,
        can.can_read_consents,
        can.can_read_referrals,
        can.can_read_home_care,
        can.can_read_appointments,
        can.can_access_report,
        can.can_export,
    )
    assert got == EXPECTED[role]
    assert Compartment.ADMINISTRATIVE in can.readable
    assert set(can.writable) <= set(Compartment)


def test_what_the_capabilities_refuse_the_services_refuse(services, team, make_patient):
    patient = make_patient()
    for actor in (team.gp, team.secretary, team.social_worker):
        record = services.patients.get(actor, patient)
        assert not services.patient_file.capabilities(actor, record).can_access_report
        with pytest.raises(PermissionDenied):
            services.documents.access_report(actor, patient)
    secretary = services.patient_file.capabilities(
        team.secretary, services.patients.get(team.secretary, patient)
    )
    assert not secretary.can_refer and Compartment.MEDICAL not in secretary.readable
    with pytest.raises(PermissionDenied):
        services.notes.page(team.secretary, patient, "medical")
    social = services.patient_file.capabilities(
        team.social_worker, services.patients.get(team.social_worker, patient)
    )
    assert not social.can_write(Compartment.MEDICAL)
    with pytest.raises(PermissionDenied):
        services.notes.add(team.social_worker, patient, "medical", "Non")


def test_an_archived_file_offers_no_writing(services, team, make_patient):
    record = services.patients.get(team.gp, make_patient())
    archived = dataclasses.replace(record, archived=True)
    can = services.patient_file.capabilities(team.gp, archived)
    assert not can.can_refer
    assert not any(can.can_write(c) for c in can.readable)
    assert services.patient_file.capabilities(team.gp, record).can_write(Compartment.MEDICAL)


# ---- export: progress and cancel -------------------------------------------------------------
def test_export_reports_progress(services, team, make_patient, passwords_ok):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Pour l'export")
    steps: list[tuple[int, int]] = []
    result = services.documents.export_patient(
        team.gp, patient, passwords_ok, progress=lambda d, t: steps.append((d, t))
    )
    assert result.pdf.startswith(b"%PDF")
    assert steps and all(t == steps[0][1] for _d, t in steps)
    assert [d for d, _t in steps] == sorted(d for d, _t in steps)


def test_a_cancelled_export_archives_nothing(
    services, team, make_patient, passwords_ok, audit_log, database
):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Pour l'export")
    asked = iter([False, False, True])  # cancelled after the first compartments were read
    before = audit_log.last_id()
    with pytest.raises(Cancelled):
        services.documents.export_patient(
            team.gp, patient, passwords_ok, cancelled=lambda: next(asked, True)
        )
    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert audit_log.since(before, action="export") == []


@pytest.fixture
def passwords_ok(helpers) -> str:
    return helpers.password
