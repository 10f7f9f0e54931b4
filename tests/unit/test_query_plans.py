"""The query plans of the inbox and of « orientations à planifier » (issue 16): every statement
these calls send is explained, with its own parameters (``EXPLAIN QUERY PLAN`` on SQLite,
``EXPLAIN`` on PostgreSQL: tests/integration/test_pg_query_plans.py re-runs these tests there).
No statement scans the referral, appointment or notification tables (nor walks a whole index of
them); the pending referrals of a receiver are read on ``ix_referral_receiver_queue`` alone, a
referral's appointments on ``ix_appointment_referral_status`` alone, a user's notices on
``ix_notification_user_read`` (migration 0010)."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from suite_sessions import weekly_session

from app.models import Notification
from app.services.patient_file.consents import consent_active
from app.services.referrals.records import ReferralInput

WATCHED = ("referral", "appointment", "notification")


class _Recorder:
    """The statements (and their parameters, as the driver got them) of a block of code."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.seen: list[tuple[str, object]] = []

    def _record(self, _conn, _cursor, statement, parameters, *_rest) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.seen.append((statement, parameters))

    def during(self, call) -> list[tuple[str, object]]:
        self.seen = []
        event.listen(self.engine, "before_cursor_execute", self._record)
        try:
            call()
        finally:
            event.remove(self.engine, "before_cursor_execute", self._record)
        return self.seen


def _plans(engine, statements, *, also_off: tuple[str, ...] = ()) -> list[str]:
    """Each statement's plan as text, one node a line. ``also_off``: PostgreSQL planner
    settings switched off besides the scans (``enable_sort``: a sort remains only where no
    plan without one exists)."""
    plans = []
    for statement, parameters in statements:
        if isinstance(parameters, list):  # positional, as ``driver_rows`` sends them
            parameters = tuple(parameters)
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                plans.append("\n".join(str(row[-1]) for row in rows))
                continue
            # PostgreSQL costs a scan of the few rows of a test database lower than any index:
            # switched off here, a scan remains only where no index plan exists, which is what
            # a regression looks like. The tables' statistics first (the sessions' too: without
            # them the planner walks the referrals' primary key to meet the session holders).
            with conn.begin():
                for setting in ("enable_seqscan", "enable_bitmapscan", *also_off):
                    conn.exec_driver_sql(f"SET LOCAL {setting} = off")
                for table in (*WATCHED, "consultation_session"):
                    conn.exec_driver_sql(f"ANALYZE {table}")
                rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
                plans.append("\n".join(str(row[0]) for row in rows))
    return plans


def _scans(plan: str, dialect: str) -> list[str]:
    """The plan's lines reading a whole watched table (or a whole index of it)."""
    found = []
    for line in plan.splitlines():
        text = line.strip().lstrip("->").strip()
        for table in WATCHED:
            if dialect == "sqlite" and text.startswith(f"SCAN {table}"):
                found.append(text)
            if dialect != "sqlite" and text.startswith(f"Seq Scan on {table}"):
                found.append(text)
    return found


@pytest.fixture
def busy(services, team, make_patient, clock):
    """A social worker holding sessions, referrals sent to her (one booked), a referral to a
    partner sent by the GP, notices read and unread."""
    weekly_session(services, team)
    refs = services.referrals
    for n in range(4):
        patient = make_patient("Martin", f"Lucie{n}")
        view = refs.create(
            team.gp,
            ReferralInput(
                patient, "housing", message="Motif", receiver_id=team.social_worker.user_id
            ),
        )
        refs.send(team.gp, view.id, patient_agrees=True)
        clock.advance(minutes=1)
    with services.db.session() as session:
        for n in range(3):
            session.add(
                Notification(
                    user_id=team.social_worker.user_id,
                    kind="reminder",
                    text=f"Rappel {n}",
                    created_at=clock(),
                    read_at=clock() if n == 0 else None,
                )
            )
    return services


def _calls(services, team):
    sw, gp, secretary = team.social_worker, team.gp, team.secretary
    return {
        "inbox count (social worker)": lambda: services.inbox.unread_count(sw),
        "inbox list (social worker)": lambda: services.inbox.items(sw),
        "inbox unread list (social worker)": lambda: services.inbox.items(sw, unread_only=True),
        "inbox count (GP)": lambda: services.inbox.unread_count(gp),
        "inbox list (GP)": lambda: services.inbox.items(gp),
        "to schedule (secretary)": lambda: services.scheduling.referrals_to_schedule(secretary),
        "to schedule (social worker)": lambda: services.scheduling.referrals_to_schedule(sw),
        "to schedule, a page past the end": lambda: services.scheduling.referrals_to_schedule(
            secretary, offset=50
        ),
    }


CALLS = [
    "inbox count (social worker)",
    "inbox list (social worker)",
    "inbox unread list (social worker)",
    "inbox count (GP)",
    "inbox list (GP)",
    "to schedule (secretary)",
    "to schedule (social worker)",
    "to schedule, a page past the end",
]


@pytest.mark.parametrize("call", CALLS)
def test_no_statement_scans_referrals_appointments_or_notices(busy, team, call):
    engine = busy.db.engine
    statements = _Recorder(engine).during(_calls(busy, team)[call])
    assert statements
    for (statement, _params), plan in zip(statements, _plans(engine, statements), strict=True):
        assert not _scans(plan, engine.dialect.name), f"{statement}\n{plan}"


def _plan_of(services, call, needle: str) -> str:
    """The plan of the one statement of ``call`` whose SQL holds ``needle``."""
    engine = services.db.engine
    statements = [s for s in _Recorder(engine).during(call) if needle in s[0]]
    assert len(statements) == 1, [s for s, _ in statements]
    [plan] = _plans(engine, statements)
    return plan


def test_the_receivers_referrals_are_read_on_the_queue_index_alone(busy, team):
    sw = team.social_worker
    sqlite = busy.db.engine.dialect.name == "sqlite"
    for call in (lambda: busy.inbox.unread_count(sw), lambda: busy.inbox.items(sw)):
        plan = _plan_of(busy, call, "FROM referral")
        if sqlite:
            assert (
                "USING COVERING INDEX ix_referral_receiver_queue (receiver_id=? AND status=?)"
                in (plan)
            ), plan
        else:  # an index scan, or index-only once the visibility map is set (VACUUM)
            assert "using ix_referral_receiver_queue on referral" in plan, plan
    plan = _plan_of(busy, lambda: busy.inbox.unread_count(sw), "FROM notification")
    assert "ix_notification_user_read" in plan, plan


def test_to_schedule_reads_the_page_keys_on_indexes_alone(busy, team):
    plan = _plan_of(
        busy, lambda: busy.scheduling.referrals_to_schedule(team.secretary), "FROM referral"
    )
    if busy.db.engine.dialect.name == "sqlite":
        assert "SEARCH referral USING COVERING INDEX ix_referral_receiver_queue" in plan, plan
        assert (
            "USING COVERING INDEX ix_appointment_referral_status (referral_id=? AND status=?)"
            in (plan)
        ), plan
        assert plan.count("SEARCH referral USING INTEGER PRIMARY KEY") == 1, plan  # the page only
    else:
        assert "using ix_referral_receiver_queue on referral" in plan, plan
        assert "Index Only Scan using ix_appointment_referral_status" in plan, plan


def test_the_to_schedule_total_counts_beyond_the_page(busy, team):
    page = busy.scheduling.referrals_to_schedule(team.secretary, limit=2)
    assert page.total == 4 and len(page.items) == 2
    rest = busy.scheduling.referrals_to_schedule(team.secretary, offset=2, limit=2)
    assert rest.total == 4 and {r.id for r in rest.items}.isdisjoint({r.id for r in page.items})
    past = busy.scheduling.referrals_to_schedule(team.secretary, offset=10, limit=2)
    assert past.total == 4 and past.items == []


def test_a_liaison_page_reads_its_notes_and_the_consent_on_their_indexes(
    services, team, make_patient
):
    """The page of liaison notes asks the patient's consent in its own statement: both read
    on their indexes (the patient's notes of the compartment, the patient's decisions for
    the scope), never a scan of either table."""
    patient = make_patient()
    services.consents.record(team.secretary, patient, "liaison", "given")
    for n in range(3):
        services.notes.add(team.gp, patient, "liaison", f"Note {n}")
    plan = _plan_of(services, lambda: services.notes.list(team.gp, patient, "liaison"), "JOIN note")
    if services.db.engine.dialect.name == "sqlite":
        assert "SEARCH note USING INDEX ix_note_patient_compartment" in plan, plan
        assert "SEARCH consent USING INDEX ix_consent_patient_scope" in plan, plan
        assert "SCAN note" not in plan and "SCAN consent" not in plan, plan
    else:
        assert "ix_note_patient_compartment on note" in plan, plan
        assert "ix_consent_patient_scope on consent" in plan, plan
        assert "Seq Scan" not in plan, plan


def _consent_active(services, patient) -> bool:
    with services.db.session(write=False) as session:
        return consent_active(session, patient, "liaison")


def _file_lists(services, team, patient):
    gp = team.gp
    return {
        "notes (medical)": lambda: services.notes.list(gp, patient, "medical"),
        "consent (latest decision)": lambda: _consent_active(services, patient),
        "referrals": lambda: services.referrals.for_patient(gp, patient),
        "appointments": lambda: services.scheduling.patient_appointments(gp, patient),
        "documents": lambda: services.documents.documents_page(team.coordinator, patient),
        "home-care requests": lambda: services.home_care.for_patient(gp, patient),
        "discharge plans": lambda: services.discharge.plans_for(gp, patient),
        "history": lambda: services.patient_file.history_page(gp, patient),
        "social assessments": lambda: services.consultations.history(team.social_worker, patient),
    }


FILE_LISTS = [
    ("notes (medical)", "FROM note"),
    ("consent (latest decision)", "FROM consent"),
    ("referrals", "FROM referral"),
    ("appointments", "FROM appointment"),
    ("documents", "FROM document"),
    ("home-care requests", "FROM home_care_request"),
    ("discharge plans", "FROM discharge_plan"),
    ("history", "FROM audit_entry"),
    ("social assessments", "FROM social_assessment"),
]


@pytest.mark.parametrize(("name", "needle"), FILE_LISTS)
def test_a_files_lists_are_read_in_their_indexes_order(services, team, make_patient, name, needle):
    """Migration 0012: each list of a file is read in the order of its index, newest first
    and the id breaking ties, never every row of the patient gathered and then sorted.
    SQLite's indexes end with the rowid; PostgreSQL's with the ``id`` column 0012 added
    (without it: ``Sort`` over a 200-note file). A consent's latest decision likewise (it is
    also read inside a liaison page, whose few notes are joined to that one row and sorted)."""
    patient = make_patient()
    services.consents.record(team.secretary, patient, "liaison", "given")
    if name == "documents":  # an empty list is answered by its count alone
        services.documents.access_report(team.coordinator, patient)
    statements = [
        s
        for s in _Recorder(services.db.engine).during(_file_lists(services, team, patient)[name])
        if needle in s[0] and "ORDER BY" in s[0]
    ]
    assert statements
    for plan in _plans(services.db.engine, statements, also_off=("enable_sort",)):
        if services.db.engine.dialect.name == "sqlite":
            assert "TEMP B-TREE" not in plan, plan
        else:
            assert "Sort" not in plan, plan
