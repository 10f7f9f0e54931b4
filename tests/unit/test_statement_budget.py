"""The statements of the two user actions issue 16 times most (opening a file, a search
keystroke) and the unit-of-work rules that keep them few: audit entries written once at the
commit, reading units of work without a savepoint inside an action. Counted with
``before_cursor_execute`` on the real SQLite file (statements, never time): each is a round
trip on a clinic's server."""

from __future__ import annotations

import re

import pytest
from sql_statements import statements
from sqlalchemy import func, select

from app.models import AuditEntry, Notification, Patient
from app.services.audit.chain import verify
from app.services.kernel.errors import NotFound, PermissionDenied
from app.services.kernel.unit_of_work import READ_ONLY

NOTES = 30


@pytest.fixture
def big_file(services, team, make_patient, liaison_consent, clock):
    patient = make_patient("Fichier", "Gros")
    liaison_consent(patient)
    for n in range(NOTES):
        compartment = "liaison" if n % 5 == 4 else "medical"
        services.notes.add(team.gp, patient, compartment, f"Note de suivi n° {n + 1} : RAS.")
        clock.advance(minutes=1)
    return patient


def _open_file(services, actor, patient_id: int) -> int:
    with services.user_action():
        services.patients.get(actor, patient_id)
        return sum(len(services.notes.list(actor, patient_id, c)) for c in ("medical", "liaison"))


def _heads(seen: list[str]) -> list[str]:
    return [" ".join(s.split()[:3]).upper() for s in seen]


def _audit_rows(services) -> list[AuditEntry]:
    with services.db.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _chain_ok(services) -> bool:
    with services.db.engine.connect() as conn:
        return verify(conn, services.audit.key).ok


# ---- opening a file ----------------------------------------------------------------------
def test_opening_a_file_is_a_few_statements(services, team, big_file):
    before = len(_audit_rows(services))
    with statements(services) as seen:
        assert _open_file(services, team.gp, big_file) == NOTES
    heads = _heads(seen)
    # BEGIN, the patient, each compartment's notes with their authors' names (the liaison
    # page reads the patient's liaison consent itself), then the audit: the head, one INSERT
    # of the three entries, the head's update; the anchor check of the kept head at the commit.
    assert len(seen) <= 8, seen
    assert not any(h.startswith("SELECT CONSENT.STATUS") for h in heads), heads
    assert not any(h.startswith(("SAVEPOINT", "RELEASE")) for h in heads), heads
    assert sum(h.startswith("INSERT INTO AUDIT_ENTRY") for h in heads) == 1
    assert sum(h.startswith("UPDATE AUDIT_HEAD") for h in heads) == 1
    assert sum("FROM USER_ACCOUNT" in s.upper() for s in seen) == 0  # joined to the notes
    rows = _audit_rows(services)[before:]
    assert [(r.action, r.compartment, r.detail) for r in rows] == [
        ("read", "administrative", ""),
        ("read", "medical", f"{NOTES - NOTES // 5} notes"),
        ("read", "liaison", f"{NOTES // 5} notes"),
    ]
    assert _chain_ok(services)


def test_the_notes_read_alone_are_one_unit_of_work(services, team, big_file):
    with statements(services) as seen:
        page = services.notes.page(team.gp, big_file, "medical", limit=10)
    assert (len(page.items), page.total) == (10, NOTES - NOTES // 5)
    # BEGIN IMMEDIATE, the patient, the page, its count, the audit (head, entry, head), the
    # anchor check.
    assert len(seen) <= 8, seen
    assert {(n.author_name, n.updated_by_name) for n in page.items} == {
        ("Paul Durand", "Paul Durand")
    }
    assert all(n.can_edit for n in page.items)  # the GP wrote them


def test_a_nurse_reads_the_notes_but_may_not_edit_them(services, team, big_file):
    notes = services.notes.list(team.paramedical, big_file, "medical")
    assert len(notes) == NOTES - NOTES // 5
    assert not any(n.can_edit for n in notes)
    assert {n.author_name for n in notes} == {"Paul Durand"}
    assert notes[0].text == f"Note de suivi n° {NOTES - 1} : RAS."
    own = services.notes.add(team.paramedical, big_file, "medical", "Pansement refait.")
    assert own.can_edit
    mixed = services.notes.list(team.paramedical, big_file, "medical")
    assert [n.can_edit for n in mixed[:2]] == [True, False]


@pytest.mark.parametrize("consent", ["given", "withdrawn"])
def test_an_empty_liaison_page_still_reads_the_consent_in_its_statement(
    services, team, make_patient, liaison_consent, consent
):
    """Most files have no liaison note: the page's one statement still tells the consent (a
    row of NULL notes), so that opening the tab sends no consent query of its own."""
    patient = make_patient("Sans", "Liaison")
    liaison_consent(patient)
    if consent != "given":
        services.consents.record(team.secretary, patient, "liaison", consent)
    with statements(services) as seen, services.user_action():
        services.patients.get(team.gp, patient)
        if consent == "given":
            assert services.notes.list(team.gp, patient, "liaison") == []
        else:
            with pytest.raises(PermissionDenied):
                services.notes.list(team.gp, patient, "liaison")
    heads = _heads(seen)
    assert sum(h.startswith("SELECT NOTE.ID") for h in heads) == 1, heads
    assert not any(h.startswith("SELECT CONSENT.STATUS") for h in heads), heads


def test_a_deleted_author_reads_as_a_question_mark(services, team, big_file, database):
    import sqlite3

    from app.models.db import sqlite_path

    conn = sqlite3.connect(sqlite_path(database.url))  # foreign keys off, as an old file
    with conn:
        conn.execute("UPDATE note SET updated_by_id = 999999 WHERE patient_id = ?", (big_file,))
    conn.close()
    notes = services.notes.list(team.gp, big_file, "medical")
    assert {(n.author_name, n.updated_by_name) for n in notes} == {("Paul Durand", "?")}


# ---- search --------------------------------------------------------------------------------
def test_a_search_keystroke_is_one_query(services, team, make_patient):
    make_patient("Dupontel", "Albert")
    with statements(services) as seen:
        found = services.patients.search(team.secretary, "dupon")
    assert [p.birth_name for p in found.patients] == ["Dupontel"]
    heads = _heads(seen)
    assert len(seen) == 1, seen  # the query alone: no BEGIN (a statement is its transaction)
    assert not any(h.startswith(("INSERT", "UPDATE", "SAVEPOINT")) for h in heads)
    # The pooled connection goes back to units of work that begin as before.
    with statements(services) as seen, services.db.session(write=False) as session:
        session.execute(select(Patient.id).limit(1)).all()
    assert _heads(seen)[0] == "BEGIN", seen


# ---- the unit-of-work rules beneath ---------------------------------------------------------
def test_a_failed_reading_unit_inside_an_action_drops_its_entries_only(services, team, big_file):
    before = len(_audit_rows(services))
    with services.user_action():
        services.patients.get(team.gp, big_file)
        with pytest.raises(NotFound):
            services.notes.list(team.gp, 987654, "medical")
        services.notes.list(team.gp, big_file, "medical")
    rows = _audit_rows(services)[before:]
    assert [(r.action, r.compartment, r.patient_id) for r in rows] == [
        ("read", "administrative", big_file),
        ("read", "medical", big_file),
    ]
    assert _chain_ok(services)


def test_a_refusal_inside_an_action_is_audited(services, team, big_file):
    before = len(_audit_rows(services))
    with pytest.raises(PermissionDenied), services.user_action():
        services.patients.get(team.secretary, big_file)
        services.notes.list(team.secretary, big_file, "medical")
    rows = _audit_rows(services)[before:]
    assert [(r.action, r.outcome) for r in rows] == [("read", "ok"), ("read", "refused")]
    assert _chain_ok(services)


def test_a_reading_unit_may_not_change_rows(services, team, database):
    def notices() -> int:
        with database.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Notification)) or 0)

    now = services.clock()
    with services.user_action():
        with (
            pytest.raises(RuntimeError, match=re.escape(READ_ONLY)),
            services.db.reading() as session,
        ):
            session.add(
                Notification(user_id=team.gp.user_id, kind="reminder", text="x", created_at=now)
            )
            session.flush()
        # Not flushed by the unit itself: refused when it ends, all the same.
        with pytest.raises(RuntimeError, match=re.escape(READ_ONLY)), services.db.reading() as s:
            s.add(Notification(user_id=team.gp.user_id, kind="reminder", text="y", created_at=now))
        with services.db.session() as session:  # a unit of work that writes, as usual
            session.add(
                Notification(user_id=team.gp.user_id, kind="reminder", text="z", created_at=now)
            )
    assert notices() == 1


def test_a_rolled_back_savepoint_drops_its_audit_entries(services, team, big_file):
    before = len(_audit_rows(services))
    with services.user_action():
        with services.db.session() as session:
            services.audit.add(session, team.gp, "read", patient_id=big_file, detail="gardée")
        with pytest.raises(RuntimeError), services.db.session() as session:
            services.audit.add(session, team.gp, "read", patient_id=big_file, detail="défaite")
            raise RuntimeError("échec")
        with services.db.session() as session:
            services.audit.add(session, team.gp, "read", patient_id=big_file, detail="après")
    rows = _audit_rows(services)[before:]
    assert [r.detail for r in rows] == ["gardée", "après"]
    assert [r.seq for r in rows] == [rows[0].seq, rows[0].seq + 1]
    assert _chain_ok(services)


def test_a_query_of_the_trail_sees_the_entries_of_its_unit(services, team, big_file):
    with services.db.session() as session:
        services.audit.add(session, team.gp, "read", patient_id=big_file, detail="la mienne")
        found = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.patient_id == big_file)
        ).all()
        assert "la mienne" in found
    assert _chain_ok(services)


def test_records_built_in_bulk_are_their_constructors(services, team, big_file, make_patient):
    """A search page's summaries are tuples built from their rows in one step
    (``patient_rows.summaries_of``) and a page of notes is built without the dataclass
    constructor (``records.built``): each record must be equal to its constructor's, field
    for field, with its types (the sex an enum, the birth date a date), and stay frozen."""
    import dataclasses
    from datetime import date

    from app.models.enums import Sex
    from app.services.kernel.records import PatientSummary
    from app.services.patient_file.records import NoteView

    make_patient("Dupontel", "Albert")
    (summary,) = services.patients.search(team.secretary, "dupontel").patients
    assert type(summary) is PatientSummary
    assert summary == PatientSummary(**summary._asdict())
    assert hash(summary) == hash(PatientSummary(**summary._asdict()))
    assert type(summary.sex) is Sex and type(summary.birth_date) is date
    assert summary.display_name.startswith("DUPONTEL Albert")
    with pytest.raises(AttributeError):
        summary.id = 0  # type: ignore[misc]

    notes = services.notes.list(team.gp, big_file, "medical")
    record = notes[0]
    assert type(record) is NoteView
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(NoteView)}
    assert vars(record) == fields
    assert record == NoteView(**fields) and hash(record) == hash(NoteView(**fields))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.id = 0  # type: ignore[misc]
