"""Consultation sessions and appointments through the real scheduling service: recurrence with
holidays and exceptions, booking conflicts (also two workstations racing for one slot), every
transition legal or refused, the referral moved in the same unit of work, refusals audited with
nothing written."""

from __future__ import annotations

import threading
from datetime import UTC, time, timedelta

import pytest
from sqlalchemy import select
from suite_clock import at, next_christmas, working_tuesday

from app.container import Services
from app.models import Appointment, Consent, Referral, ReferralEvent
from app.models.db import Database
from app.services.kernel.errors import ConflictError, PermissionDenied, ValidationError
from app.services.referrals.records import (
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    Urgency,
)
from app.services.scheduling.base import (
    OWN_AGENDA_ONLY,
    OWN_SESSIONS_ONLY,
    SESSIONS_REFUSED,
    WRITE_REFUSED,
    DayHasAppointments,
    PatientBusy,
)
from app.services.scheduling.records import (
    APPOINTMENT_TRANSITIONS,
    AppointmentStatus,
    AppointmentTransitionRefused,
    SessionInput,
    SlotTaken,
    fr_datetime,
)

# The session (one Tuesday in two) starts on TUE and is held on TUE2 and TUE3; OFF_TUE is the
# Tuesday in between, without session. None of them is a public holiday.
TUE = working_tuesday()
OFF_TUE = TUE + timedelta(weeks=1)
TUE2 = TUE + timedelta(weeks=2)
TUE3 = TUE + timedelta(weeks=4)
WED2, THU2 = TUE2 + timedelta(days=1), TUE2 + timedelta(days=2)


def carsat(professional_id: int, **changes) -> SessionInput:
    values = dict(
        professional_id=professional_id,
        label="Permanence CARSAT",
        place="MSP des Tilleuls",
        room="2",
        weekday=1,
        opens=time(9),
        closes=time(12, 30),
        slot_minutes=30,
        every_weeks=2,
        first_date=TUE,
        last_date=None,
    )
    values.update(changes)
    return SessionInput(**values)


@pytest.fixture
def sched(services):
    return services.scheduling


@pytest.fixture
def sw_session(services, team):
    return services.scheduling.create_session(team.coordinator, carsat(team.social_worker.user_id))


@pytest.fixture
def patient(make_patient):
    return make_patient("Lefort", "Marie", sex="F")


@pytest.fixture
def other_patient(make_patient):
    return make_patient("Garnier", "Paul")


def sent_referral(services, team, patient_id, reason=ReferralReason.JOB_RETENTION) -> int:
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient_id,
            reason=reason,
            message="Arrêt long, inquiet pour son poste.",
            receiver_id=team.social_worker.user_id,
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    return view.id


def referral_row(services, rid):
    with services.db.sessions() as s:
        r = s.get(Referral, rid)
        events = s.scalars(
            select(ReferralEvent).where(ReferralEvent.referral_id == rid).order_by(ReferralEvent.id)
        ).all()
        return r.status, [(e.from_status, e.to_status, e.detail) for e in events]


def book(services, team, patient_id, when, actor=None, **kw):
    return services.scheduling.book(
        actor or team.secretary,
        patient_id=patient_id,
        professional_id=team.social_worker.user_id,
        starts_at=when,
        **kw,
    )


def assert_refused(audit_log, last, message_part=""):
    rows = audit_log.since(last)
    assert [r.outcome for r in rows] == ["refused"], rows
    assert message_part in rows[0].detail


# ---- sessions ----------------------------------------------------------------------------
def test_session_summary_and_recurrence_every_other_tuesday(sched, team, sw_session):
    assert sw_session.summary == "Un mardi sur deux, 9 h – 12 h 30, salle 2, créneaux de 30 min"
    assert sw_session.weekday_label == "mardi"
    days = sched.agenda(team.secretary, TUE, TUE + timedelta(days=28))
    held = [d.day for d in days if d.slots]
    assert held == [TUE, TUE2, TUE3]
    first = next(d for d in days if d.day == TUE)
    assert len(first.slots) == 7  # 9:00 … 12:00
    assert first.slots[0].starts_at == at(TUE, 9).astimezone(UTC)
    assert first.slots[-1].ends_at == at(TUE, 12, 30).astimezone(UTC)
    assert all(s.free for s in first.slots)


def test_public_holidays_are_skipped_and_named(sched, team):
    # The next Christmas to come, a weekly session on its weekday: New Year's Day falls on
    # the same weekday a week later, the week after is an ordinary day.
    christmas = next_christmas()
    new_year, after = christmas + timedelta(weeks=1), christmas + timedelta(weeks=2)
    weekly = sched.create_session(
        team.social_worker,
        carsat(
            team.social_worker.user_id,
            weekday=christmas.weekday(),
            first_date=christmas - timedelta(weeks=1),
            every_weeks=1,
        ),
    )
    days = {d.day: d for d in sched.agenda(team.gp, christmas - timedelta(weeks=1), after)}
    assert days[christmas - timedelta(weeks=1)].slots
    assert days[christmas].slots == ()
    assert "Noël" in days[christmas].skipped
    assert days[new_year].slots == () and "jour férié" in days[new_year].skipped
    assert days[after].slots
    # Added by hand on the holiday itself: held all the same.
    sched.add_day(team.social_worker, weekly.id, christmas, "Permanence de Noël")
    days = {d.day: d for d in sched.agenda(team.gp, christmas, christmas)}
    assert len(days[christmas].slots) == 7


def test_cancelled_and_added_dates_through_the_service(sched, team, sw_session):
    rec = sched.cancel_day(team.social_worker, sw_session.id, TUE2, "Formation")
    assert [(e.day, e.kind, e.reason) for e in rec.exceptions] == [(TUE2, "cancelled", "Formation")]
    rec = sched.add_day(team.coordinator, sw_session.id, THU2, "Rattrapage")
    days = {d.day: d for d in sched.agenda(team.secretary, TUE2, THU2)}
    assert days[TUE2].slots == () and "annulée : Formation" in days[TUE2].skipped
    assert len(days[THU2].slots) == 7  # a Thursday, added by hand
    rec = sched.remove_exception(team.coordinator, sw_session.id, TUE2)
    assert [e.day for e in rec.exceptions] == [THU2]
    assert sched.agenda(team.secretary, TUE2, TUE2)[0].slots
    with pytest.raises(ValidationError) as caught:
        sched.add_day(team.coordinator, sw_session.id, TUE2)
    assert "déjà lieu" in caught.value.fields["day"]
    with pytest.raises(ValidationError):
        sched.cancel_day(team.coordinator, sw_session.id, OFF_TUE, "Rien ce jour")


def test_session_validation_is_french_and_writes_nothing(sched, team, db_state, sw_session):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        sched.create_session(
            team.coordinator,
            carsat(
                team.social_worker.user_id,
                first_date=TUE + timedelta(days=1),
                opens=time(12),
                closes=time(9),
            ),
        )
    assert "mardi" in caught.value.fields["first_date"]
    assert "fin" in caught.value.fields["closes"]
    with pytest.raises(ValidationError) as caught:  # the same Tuesdays, overlapping hours
        sched.create_session(
            team.coordinator, carsat(team.social_worker.user_id, opens=time(11), closes=time(13))
        )
    assert "chevauchent" in caught.value.fields["opens"]
    with pytest.raises(ValidationError) as caught:
        sched.create_session(team.coordinator, carsat(team.gp.user_id))
    assert "assistante sociale" in caught.value.fields["professional_id"]
    assert db_state() == before
    # The other Tuesdays are free: an alternating session is fine.
    other = sched.create_session(
        team.coordinator, carsat(team.social_worker.user_id, first_date=TUE + timedelta(days=7))
    )
    assert other.summary.startswith("Un mardi sur deux")


@pytest.mark.parametrize("role", ["gp", "paramedical", "secretary"])
def test_only_coordinator_and_social_worker_define_sessions(sched, team, role, audit_log, db_state):
    actor = getattr(team, role)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        sched.create_session(actor, carsat(team.social_worker.user_id))
    assert caught.value.message == SESSIONS_REFUSED
    assert db_state() == before
    assert_refused(audit_log, last)


def test_social_worker_defines_only_her_own_sessions(
    sched, team, sw_session, audit_log, db_state, services, helpers
):
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput

    other = services.accounts.create_user(
        team.coordinator,
        UserInput("as.petit", "Léa", "Petit", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
        must_change=False,
    )
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        sched.create_session(team.social_worker, carsat(other.id))
    assert caught.value.message == OWN_SESSIONS_ONLY
    assert db_state() == before
    assert_refused(audit_log, last)
    theirs = sched.create_session(team.coordinator, carsat(other.id))
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        sched.cancel_day(team.social_worker, theirs.id, TUE2, "Absente")
    assert db_state() != before  # the coordinator's session exists…
    assert_refused(audit_log, last)  # …and the refusal is audited, nothing else written


def test_update_session_with_stale_version_is_a_conflict(sched, team, sw_session):
    updated = sched.update_session(
        team.social_worker,
        sw_session.id,
        carsat(team.social_worker.user_id, room="3"),
        expected_version=sw_session.version,
    )
    assert updated.room == "3" and updated.version == sw_session.version + 1
    with pytest.raises(ConflictError):
        sched.update_session(
            team.coordinator,
            sw_session.id,
            carsat(team.social_worker.user_id, room="4"),
            expected_version=sw_session.version,
        )


# ---- booking -----------------------------------------------------------------------------
def test_book_a_slot_then_it_is_taken(services, sched, team, sw_session, patient, audit_log):
    a = book(services, team, patient, at(TUE2, 9, 30))
    assert a.status is AppointmentStatus.BOOKED and a.active
    assert a.room == "2" and a.place == "MSP des Tilleuls"
    assert a.ends_at - a.starts_at == timedelta(minutes=30)
    assert a.booked_by_name == "Nadia Roux"
    [entry] = audit_log.rows(action="appointment_book")
    assert entry.patient_id == patient and entry.object_id == a.id
    day = sched.agenda(team.social_worker, TUE2, TUE2)[0]
    taken = [s for s in day.slots if not s.free]
    assert [s.appointment.id for s in taken] == [a.id]
    free = sched.free_slots(team.secretary, team.social_worker.user_id, start=TUE2, days=1)
    assert at(TUE2, 9, 30) not in [s.starts_at for s in free] and len(free) == 6


def test_same_slot_twice_is_refused(
    services, team, sw_session, patient, other_patient, audit_log, db_state
):
    book(services, team, patient, at(TUE2, 9, 30))
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(SlotTaken) as caught:
        book(services, team, other_patient, at(TUE2, 9, 30))
    assert "vient d'être pris" in caught.value.message
    assert db_state() == before
    assert_refused(audit_log, last)


def test_one_patient_cannot_be_expected_twice_at_once(
    services, sched, team, sw_session, patient, audit_log, db_state, helpers
):
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput

    other = services.accounts.create_user(
        team.coordinator,
        UserInput("as.petit", "Léa", "Petit", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
        must_change=False,
    )
    sched.create_session(team.coordinator, carsat(other.id, slot_minutes=45, room="5"))
    book(services, team, patient, at(TUE2, 9, 30))
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PatientBusy) as caught:  # 9:00–9:45 overlaps 9:30–10:00
        sched.book(
            team.secretary,
            patient_id=patient,
            professional_id=other.id,
            starts_at=at(TUE2, 9),
        )
    assert f"LEFORT Marie a déjà un rendez-vous le {fr_datetime(at(TUE2, 9, 30))}" in (
        caught.value.message
    )
    assert db_state() == before
    assert_refused(audit_log, last)
    # 10:30–11:15 does not overlap: fine.
    sched.book(
        team.secretary, patient_id=patient, professional_id=other.id, starts_at=at(TUE2, 10, 30)
    )


def test_past_slot_is_refused(services, team, sw_session, patient, clock, audit_log, db_state):
    clock.now = at(TUE2, 10, 5).astimezone(UTC)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(Exception) as caught:
        book(services, team, patient, at(TUE2, 10))
    assert caught.value.message == "Ce créneau est déjà passé : choisissez un créneau à venir."
    assert db_state() == before
    assert_refused(audit_log, last)
    assert book(services, team, patient, at(TUE2, 10, 30)).active


@pytest.mark.parametrize(
    "when",
    [
        at(TUE2, 9, 15),  # not the start of a slot
        at(TUE2, 12, 30),  # closing time
        at(TUE2, 8, 30),  # before opening
        at(OFF_TUE, 9),  # the Tuesday without session
        at(WED2, 9),  # a Wednesday
    ],
)
def test_slot_outside_a_session_is_refused(services, team, sw_session, patient, when, db_state):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        book(services, team, patient, when)
    assert "aucune permanence" in caught.value.fields["starts_at"]
    assert db_state() == before


def test_cancelled_day_and_inactive_session_offer_no_slot(
    services, sched, team, sw_session, patient
):
    sched.cancel_day(team.coordinator, sw_session.id, TUE2, "Congés")
    with pytest.raises(ValidationError):
        book(services, team, patient, at(TUE2, 9))
    sched.deactivate_session(team.coordinator, sw_session.id, expected_version=sw_session.version)
    with pytest.raises(ValidationError):
        book(services, team, patient, at(TUE3, 9))


def test_deactivating_a_session_with_appointments_to_come_is_refused(
    services, sched, team, sw_session, patient, audit_log, db_state
):
    book(services, team, patient, at(TUE2, 9))
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(Exception) as caught:
        sched.deactivate_session(team.coordinator, sw_session.id, expected_version=1)
    assert "1 rendez-vous à venir est fixé" in caught.value.message
    assert db_state() == before
    assert_refused(audit_log, last)


def test_appointment_outside_a_changed_session_is_never_lost(
    services, sched, team, sw_session, patient
):
    a = book(services, team, patient, at(TUE2, 12))
    sched.update_session(
        team.coordinator,
        sw_session.id,
        carsat(team.social_worker.user_id, closes=time(12)),
        expected_version=sw_session.version,
    )
    day = sched.agenda(team.social_worker, TUE2, TUE2)[0]
    assert len(day.slots) == 6
    assert [r.id for r in day.appointments_outside] == [a.id]


def test_a_freed_slot_can_be_booked_again(
    services, sched, team, sw_session, patient, other_patient
):
    a = book(services, team, patient, at(TUE2, 9))
    cancelled = sched.cancel(team.secretary, a.id, by_patient=True, reason="Rendez-vous médical")
    assert cancelled.status is AppointmentStatus.CANCELLED_PATIENT and not cancelled.active
    assert cancelled.status_reason == "Rendez-vous médical"
    b = book(services, team, other_patient, at(TUE2, 9))
    day = sched.agenda(team.secretary, TUE2, TUE2)[0]
    assert day.slots[0].appointment.id == b.id
    assert [r.id for r in day.cancelled] == [a.id]


# ---- the race: two workstations, one slot -------------------------------------------------
def test_two_workstations_racing_for_one_slot(
    services, team, sw_session, patient, other_patient, db_url, clock, helpers, audit_log
):
    rid = sent_referral(services, team, other_patient)
    second = Services.build(
        Database.open(db_url), clock=clock, hasher=helpers.hasher, kdf=helpers.kdf
    )
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(name, svc, **kw):
        barrier.wait()
        try:
            results[name] = svc.scheduling.book(
                team.secretary,
                professional_id=team.social_worker.user_id,
                starts_at=at(TUE2, 11),
                **kw,
            )
        except Exception as exc:
            results[name] = exc

    threads = [
        threading.Thread(target=run, args=("a", services), kwargs={"patient_id": patient}),
        threading.Thread(
            target=run,
            args=("b", second),
            kwargs={"patient_id": other_patient, "referral_id": rid},
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    second.db.dispose()
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes == ["AppointmentRecord", "SlotTaken"], results
    with services.db.sessions() as s:
        rows = s.scalars(select(Appointment)).all()
    assert len(rows) == 1
    status, events = referral_row(services, rid)
    if isinstance(results["b"], SlotTaken):  # the loser's referral did not move
        assert status == ReferralStatus.SENT
        assert [e[1] for e in events] == ["draft", "sent"]
        assert rows[0].patient_id == patient
    else:
        assert status == ReferralStatus.APPOINTMENT_BOOKED
    assert len(audit_log.rows(action="appointment_book", outcome="refused")) == 1


# ---- transitions -------------------------------------------------------------------------
S = AppointmentStatus
PAIRS = [(a, b) for a in S for b in S if b is not S.BOOKED]


def reach(services, team, patient, clock, status: AppointmentStatus):
    sched = services.scheduling
    a = book(services, team, patient, at(TUE2, 10))
    if status is S.CONFIRMED:
        sched.confirm(team.secretary, a.id)
    elif status is S.CANCELLED_PATIENT:
        sched.cancel(team.secretary, a.id, by_patient=True, reason="Empêché")
    elif status is S.CANCELLED_CLINIC:
        sched.cancel(team.secretary, a.id, by_patient=False, reason="Malade")
    elif status in (S.SEEN, S.NO_SHOW):
        clock.now = at(TUE2, 10, 40).astimezone(UTC)
        if status is S.SEEN:
            sched.record_seen(team.social_worker, a.id)
        else:
            sched.record_no_show(team.secretary, a.id)
    return a.id


def attempt(services, team, clock, aid, target: AppointmentStatus):
    sched = services.scheduling
    if target in (S.SEEN, S.NO_SHOW):
        clock.now = max(clock.now, at(TUE2, 10, 40).astimezone(UTC))
    return {
        S.CONFIRMED: lambda: sched.confirm(team.secretary, aid),
        S.CANCELLED_PATIENT: lambda: sched.cancel(team.secretary, aid, by_patient=True, reason="x"),
        S.CANCELLED_CLINIC: lambda: sched.cancel(
            team.social_worker, aid, by_patient=False, reason="y"
        ),
        S.SEEN: lambda: sched.record_seen(team.social_worker, aid),
        S.NO_SHOW: lambda: sched.record_no_show(team.secretary, aid, reason="Pas venu"),
    }[target]()


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition_legal_or_refused(
    services, team, sw_session, patient, clock, current, target, audit_log, db_state
):
    aid = reach(services, team, patient, clock, current)
    if target in APPOINTMENT_TRANSITIONS[current]:
        rec = attempt(services, team, clock, aid, target)
        assert rec.status is target
        return
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(AppointmentTransitionRefused) as caught:
        attempt(services, team, clock, aid, target)
    assert caught.value.message.startswith("Impossible : un rendez-vous")
    assert db_state() == before
    assert_refused(audit_log, last)


def test_transition_table_shape():
    assert set(APPOINTMENT_TRANSITIONS[S.BOOKED]) == set(S) - {S.BOOKED}
    assert all(not APPOINTMENT_TRANSITIONS[s] for s in (S.SEEN, S.NO_SHOW, S.CANCELLED_CLINIC))


def test_timing_rules(services, sched, team, sw_session, patient, clock, audit_log, db_state):
    a = book(services, team, patient, at(TUE2, 10))
    for call in (
        lambda: sched.record_no_show(team.secretary, a.id),
        lambda: sched.record_seen(team.social_worker, a.id),
    ):
        before, last = db_state(), audit_log.last_id()
        with pytest.raises(Exception) as caught:
            call()
        assert caught.value.message == "Ce rendez-vous n'a pas encore eu lieu."
        assert db_state() == before
        assert_refused(audit_log, last)
    clock.now = at(TUE2, 10, 5).astimezone(UTC)
    with pytest.raises(Exception) as caught:
        sched.cancel(team.secretary, a.id, by_patient=True, reason="Trop tard")
    assert "a déjà commencé" in caught.value.message
    with pytest.raises(ValidationError) as missing:
        sched.cancel(team.secretary, a.id, by_patient=True, reason="  ")
    assert "motif" in missing.value.fields["reason"]


def test_stale_version_is_a_conflict(services, sched, team, sw_session, patient, audit_log):
    a = book(services, team, patient, at(TUE2, 10))
    sched.confirm(team.secretary, a.id, expected_version=a.version)
    with pytest.raises(ConflictError):
        sched.cancel(
            team.social_worker, a.id, by_patient=False, reason="x", expected_version=a.version
        )
    assert audit_log.rows(action="conflict")
    assert sched.appointment(team.secretary, a.id).status is S.CONFIRMED


# ---- referrals -----------------------------------------------------------------------------
def test_booking_from_a_sent_referral_receives_and_books_it(
    services, sched, team, sw_session, patient, audit_log
):
    rid = sent_referral(services, team, patient)
    a = book(services, team, patient, at(TUE2, 9), referral_id=rid)
    status, events = referral_row(services, rid)
    assert status == ReferralStatus.APPOINTMENT_BOOKED
    assert [e[:2] for e in events][-2:] == [
        ("sent", "received"),
        ("received", "appointment_booked"),
    ]
    assert events[-1][2] == f"rendez-vous le {at(TUE2, 9).strftime('%d/%m/%Y %H:%M')}"
    assert a.referral_id == rid
    assert a.reason == "" and a.reason_label == ""  # the secretary booked it: no reason shown
    mine = sched.appointment(team.social_worker, a.id)
    assert mine.reason == "job_retention" and mine.reason_label.startswith("Maintien dans l'emploi")
    assert audit_log.rows(action="referral_acknowledge") and audit_log.rows(action="referral_book")
    assert sched.referrals_to_schedule(team.secretary).items == []
    # Cancelled: back to « reçue », bookable again, listed to schedule.
    sched.cancel(team.secretary, a.id, by_patient=True, reason="Empêchée")
    status, events = referral_row(services, rid)
    assert status == ReferralStatus.RECEIVED and events[-1] == (
        "appointment_booked",
        "received",
        "rendez-vous annulé",
    )
    [todo] = sched.referrals_to_schedule(team.secretary).items
    assert todo.id == rid and todo.can_read_content is False
    b = book(services, team, patient, at(TUE2, 10), referral_id=rid)
    # A no-show puts it back too; then the visit moves it to « patient reçu ».
    services.clock.now = at(TUE2, 10, 45).astimezone(UTC)
    sched.record_no_show(team.secretary, b.id)
    status, events = referral_row(services, rid)
    assert status == ReferralStatus.RECEIVED and events[-1][2] == "absent"
    c = book(services, team, patient, at(TUE3, 9), referral_id=rid)
    services.clock.now = at(TUE3, 9, 40).astimezone(UTC)
    sched.record_seen(team.social_worker, c.id)
    status, _events = referral_row(services, rid)
    assert status == ReferralStatus.SEEN
    assert sched.no_show_count(team.secretary, patient) == 1


def test_to_schedule_lists_urgent_first_then_newest(
    services, sched, team, sw_session, make_patient, clock
):
    """« Orientations à planifier »: the emergency and urgent ones on top, then the newest
    first — the referral just sent is on the first row, not the last (issue 14)."""
    ids = {}
    for name, urgency in (
        ("Ancien", Urgency.NORMAL),
        ("Urgent", Urgency.URGENT),
        ("Recent", Urgency.NORMAL),
        ("Jourmeme", Urgency.EMERGENCY),
        ("Dernier", Urgency.NORMAL),
    ):
        pid = make_patient(name, "Alex")
        view = services.referrals.create(
            team.gp,
            ReferralInput(
                patient_id=pid,
                reason=ReferralReason.JOB_RETENTION,
                message="Arrêt long.",
                receiver_id=team.social_worker.user_id,
                urgency=urgency,
            ),
        )
        services.referrals.send(team.gp, view.id, patient_agrees=True)
        ids[name] = view.id
        clock.advance(minutes=5)
    order = ["Jourmeme", "Urgent", "Dernier", "Recent", "Ancien"]
    for actor in (team.secretary, team.social_worker):
        page = sched.referrals_to_schedule(actor)
        assert [r.id for r in page.items] == [ids[n] for n in order] and page.total == 5
    # Read a page at a time, in the same order; the count is the whole list's.
    second = sched.referrals_to_schedule(team.secretary, offset=2, limit=2)
    assert [r.id for r in second.items] == [ids["Dernier"], ids["Recent"]]
    assert second.total == 5 and second.offset == 2 and second.has_more
    mine = sched.referrals_to_schedule(team.secretary, professional_id=team.social_worker.user_id)
    assert mine.total == 5
    assert sched.referrals_to_schedule(team.secretary, professional_id=team.gp.user_id).total == 0


def test_to_schedule_rows_are_the_summaries_of_their_referrals(
    services, sched, team, sw_session, make_patient, clock
):
    """The list reads only the summary's columns and the patient's name, as plain rows (no
    ORM object, no sealed content), built without the dataclass constructor: each item is
    the summary the referral itself gives (``for_patient``), field for field, frozen; a
    married woman is shown under her used name with « née »."""
    import dataclasses

    from sql_statements import statements

    from app.services.referrals.records import ReferralSummary

    married = make_patient("Dubois", "Léa", sex="F", used_name="Martin")
    plain = make_patient("Bernard", "Paul")
    for pid in (married, plain):
        sent_referral(services, team, pid)
        clock.advance(minutes=5)
    with statements(services) as seen:
        page = sched.referrals_to_schedule(team.secretary)
    assert [s.patient_name for s in page.items] == [  # the newest first
        "BERNARD Paul",
        "MARTIN Léa (née Dubois)",
    ]
    listing = next(s for s in seen if "FROM referral" in s and "total" in s)
    assert "reason" not in listing and "message" not in listing and "sealed" not in listing
    for item, pid in zip(page.items, (plain, married), strict=True):
        assert type(item) is ReferralSummary
        [own] = services.referrals.for_patient(team.secretary, pid)
        assert item == own and hash(item) == hash(own)
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(ReferralSummary)}
        assert vars(item) == fields and not item.can_read_content
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.id = 0  # type: ignore[misc]


def test_social_worker_books_a_referral_not_acknowledged_yet(
    services, sched, team, sw_session, patient, other_patient, audit_log, db_state
):
    """No « Accuser réception » first: booking acknowledges it in the same unit of work (both
    audited); when the booking fails, the referral is not acknowledged either."""
    rid = sent_referral(services, team, patient)
    view = services.referrals.get(team.social_worker, rid)
    assert view.status == ReferralStatus.SENT and "book" in view.allowed_actions
    book(services, team, other_patient, at(TUE2, 9), actor=team.social_worker)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(Exception) as caught:  # that slot is taken: nothing written
        book(services, team, patient, at(TUE2, 9), actor=team.social_worker, referral_id=rid)
    assert "déjà pris" in caught.value.message or "pris" in caught.value.message
    assert db_state() == before and referral_row(services, rid)[0] == ReferralStatus.SENT
    assert [r.outcome for r in audit_log.since(last)] == ["refused"]
    last = audit_log.last_id()
    a = book(services, team, patient, at(TUE2, 10), actor=team.social_worker, referral_id=rid)
    status, events = referral_row(services, rid)
    assert status == ReferralStatus.APPOINTMENT_BOOKED
    assert [e[:2] for e in events][-2:] == [
        ("sent", "received"),
        ("received", "appointment_booked"),
    ]
    actions = [r.action for r in audit_log.since(last)]
    assert {"referral_acknowledge", "referral_book", "appointment_book"} <= set(actions)
    assert a.reason == "job_retention"  # her own appointment: she reads its reason


@pytest.mark.parametrize("role", ["gp", "paramedical", "coordinator"])
def test_booking_a_referral_is_refused_to_other_roles(
    services, team, sw_session, patient, role, audit_log, db_state
):
    rid = sent_referral(services, team, patient)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied):
        book(services, team, patient, at(TUE2, 9), actor=getattr(team, role), referral_id=rid)
    assert db_state() == before and referral_row(services, rid)[0] == ReferralStatus.SENT
    assert_refused(audit_log, last)


def test_booking_a_referral_whose_consent_was_withdrawn_is_refused(
    services, team, sw_session, patient, audit_log
):
    """The consent is checked again at booking: refused, audited, the referral neither
    acknowledged nor booked, no appointment."""
    rid = sent_referral(services, team, patient)
    with services.db.session() as session:
        session.add(
            Consent(
                patient_id=patient,
                scope="referral_carsat",
                status="withdrawn",
                decided_on=services.clock().date(),
                method="oral",
                recorded_at=services.clock() + timedelta(seconds=1),
            )
        )
    last = audit_log.last_id()
    for actor in (team.secretary, team.social_worker):
        with pytest.raises(PermissionDenied) as caught:
            book(services, team, patient, at(TUE2, 9), actor=actor, referral_id=rid)
        assert "retiré son consentement" in caught.value.message
    assert referral_row(services, rid)[0] == ReferralStatus.SENT
    assert [r.outcome for r in audit_log.since(last)] == ["refused", "refused"]
    with services.db.sessions() as s:
        assert s.scalars(select(Appointment).where(Appointment.referral_id == rid)).all() == []


def test_referral_for_someone_else_or_twice_is_refused(
    services, sched, team, sw_session, patient, other_patient, db_state, audit_log
):
    rid = sent_referral(services, team, patient)
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        book(services, team, other_patient, at(TUE2, 9), referral_id=rid)
    assert "autre patient" in caught.value.fields["referral_id"]
    assert db_state() == before
    book(services, team, patient, at(TUE2, 9), referral_id=rid)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(Exception) as caught:
        book(services, team, patient, at(TUE2, 10), referral_id=rid)
    assert "a déjà un rendez-vous" in caught.value.message
    assert db_state() == before
    assert_refused(audit_log, last)


def test_referral_not_open_to_booking_is_refused(
    services, sched, team, sw_session, patient, db_state, audit_log
):
    rid = sent_referral(services, team, patient)
    services.referrals.acknowledge(team.social_worker, rid)
    services.referrals.close(team.social_worker, rid, outcome="Réglé par téléphone")
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(Exception) as caught:
        book(services, team, patient, at(TUE2, 9), referral_id=rid)
    assert caught.value.message.startswith("Impossible : une orientation « Clôturée »")
    assert db_state() == before
    assert_refused(audit_log, last)


def test_referral_actions_never_offer_acknowledge_on_a_booked_referral(
    services, team, sw_session, patient
):
    rid = sent_referral(services, team, patient)
    book(services, team, patient, at(TUE2, 9), referral_id=rid)
    view = services.referrals.get(team.social_worker, rid)
    assert "acknowledge" not in view.allowed_actions
    with pytest.raises(Exception) as caught:
        services.referrals.acknowledge(team.social_worker, rid)
    assert caught.value.message.startswith("Impossible")


# ---- who may do what -----------------------------------------------------------------------
@pytest.mark.parametrize("role", ["gp", "paramedical", "coordinator"])
def test_only_social_worker_and_secretary_book(
    services, team, sw_session, patient, role, audit_log, db_state
):
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        book(services, team, patient, at(TUE2, 9), actor=getattr(team, role))
    assert caught.value.message == WRITE_REFUSED
    assert db_state() == before
    assert_refused(audit_log, last)


@pytest.mark.parametrize("role", ["gp", "paramedical", "coordinator"])
def test_readers_cannot_change_an_appointment(
    services, sched, team, sw_session, patient, role, audit_log, db_state
):
    a = book(services, team, patient, at(TUE2, 9))
    actor = getattr(team, role)
    for call in (
        lambda: sched.confirm(actor, a.id),
        lambda: sched.cancel(actor, a.id, by_patient=True, reason="x"),
        lambda: sched.mark_called(actor, a.id, confirmed=True),
        lambda: sched.slip_pdf(actor, a.id),
        lambda: sched.add_to_waiting_list(
            actor, patient_id=patient, professional_id=team.social_worker.user_id
        ),
    ):
        before, last = db_state(), audit_log.last_id()
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert caught.value.message == WRITE_REFUSED
        assert db_state() == before
        assert_refused(audit_log, last)


def test_social_worker_books_only_in_her_own_agenda(
    services, team, sw_session, patient, audit_log, db_state
):
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.scheduling.book(
            team.social_worker,
            patient_id=patient,
            professional_id=team.gp.user_id,
            starts_at=at(TUE2, 9),
        )
    assert caught.value.message == OWN_AGENDA_ONLY
    assert db_state() == before
    assert_refused(audit_log, last)
    assert book(services, team, patient, at(TUE2, 9), actor=team.social_worker).active


def test_only_the_professional_records_the_visit(
    services, sched, team, sw_session, patient, clock, audit_log, db_state
):
    a = book(services, team, patient, at(TUE2, 9))
    clock.now = at(TUE2, 9, 10).astimezone(UTC)
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        sched.record_seen(team.secretary, a.id)
    assert "professionnel du rendez-vous" in caught.value.message
    assert db_state() == before
    assert_refused(audit_log, last)


def test_secretary_and_readers_never_see_the_reason(
    services, sched, team, sw_session, patient, audit_log
):
    rid = sent_referral(services, team, patient, ReferralReason.HOUSING)
    a = book(services, team, patient, at(TUE2, 9), referral_id=rid)
    for actor in (team.secretary, team.gp, team.paramedical, team.coordinator):
        day = sched.agenda(actor, TUE2, TUE2)[0]
        seen = day.slots[0].appointment
        assert seen.patient_name == "LEFORT Marie"
        assert (seen.reason, seen.reason_label) == ("", "")
        [listed] = sched.patient_appointments(actor, patient)
        assert (listed.reason, listed.reason_label) == ("", "")
    own = sched.agenda(team.social_worker, TUE2, TUE2)[0].slots[0].appointment
    assert own.reason == "housing" and own.reason_label == "Logement"
    reads = audit_log.rows(action="read", patient_id=patient, object_type="appointment")
    assert len(reads) == 4
    assert "Logement" not in " ".join(r.detail for r in audit_log.rows())
    assert a.id == own.id
    # Leaving the reason out of the others' lists is the designed behaviour, written in the
    # policy table: no refusal row for it.
    from app.services.kernel import policy

    assert policy.Resource.APPOINTMENT_REASON in policy.OMITTED
    assert "omis" in policy.CONDITIONS[policy.Resource.APPOINTMENT_REASON]
    assert audit_log.rows(outcome="refused", patient_id=patient) == []


def test_allowed_actions_follow_role_and_time(services, sched, team, sw_session, patient, clock):
    a = book(services, team, patient, at(TUE2, 9))
    assert a.allowed_actions == ("confirm", "cancel")
    assert sched.appointment(team.gp, a.id).allowed_actions == ()
    clock.now = at(TUE2, 9, 5).astimezone(UTC)
    assert sched.appointment(team.social_worker, a.id).allowed_actions == (
        "record_no_show",
        "record_seen",
    )
    assert sched.appointment(team.secretary, a.id).allowed_actions == ("record_no_show",)


def test_cancelling_a_day_with_appointments(
    services, sched, team, sw_session, patient, other_patient, audit_log, db_state
):
    rid = sent_referral(services, team, patient)
    a = book(services, team, patient, at(TUE2, 9), referral_id=rid)
    b = book(services, team, other_patient, at(TUE2, 11))
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(DayHasAppointments) as caught:
        sched.cancel_day(team.social_worker, sw_session.id, TUE2, "Réunion CARSAT")
    assert caught.value.count == 2
    assert caught.value.message.startswith("2 rendez-vous sont fixés ce jour-là.")
    assert db_state() == before
    assert_refused(audit_log, last)
    sched.cancel_day(
        team.social_worker, sw_session.id, TUE2, "Réunion CARSAT", cancel_appointments=True
    )
    for aid in (a.id, b.id):
        rec = sched.appointment(team.secretary, aid)
        assert rec.status is S.CANCELLED_CLINIC
        assert rec.status_reason == "Permanence annulée : Réunion CARSAT"
    assert referral_row(services, rid)[0] == ReferralStatus.RECEIVED
    notify = sched.to_notify(team.secretary)
    assert [r.id for r in notify] == [a.id, b.id]
    items = [i for i in services.inbox.items(team.secretary) if i.kind == "appointment_to_call"]
    assert sorted(i.patient_id for i in items) == sorted([patient, other_patient])
    assert any(fr_datetime(at(TUE2, 9)) in i.text for i in items)
    sched.mark_called(team.secretary, a.id, confirmed=False)
    assert [r.id for r in sched.to_notify(team.secretary)] == [b.id]
    items = [i for i in services.inbox.items(team.secretary) if i.kind == "appointment_to_call"]
    assert len(items) == 1


SESSION_WRITES = {
    "update_session": lambda s, a, sid, sw: s.update_session(
        a, sid, carsat(sw, room="9"), expected_version=1
    ),
    "deactivate_session": lambda s, a, sid, sw: s.deactivate_session(a, sid, expected_version=1),
    "cancel_day": lambda s, a, sid, sw: s.cancel_day(a, sid, TUE2, "Grève"),
    "add_day": lambda s, a, sid, sw: s.add_day(a, sid, THU2),
    "remove_exception": lambda s, a, sid, sw: s.remove_exception(a, sid, TUE3),
}


@pytest.mark.parametrize("role", ["gp", "paramedical", "secretary"])
@pytest.mark.parametrize("call", list(SESSION_WRITES))
def test_every_session_change_is_refused_to_readers(
    sched, team, sw_session, role, call, audit_log, db_state
):
    sched.cancel_day(team.coordinator, sw_session.id, TUE3, "Congés")
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        SESSION_WRITES[call](sched, getattr(team, role), sw_session.id, team.social_worker.user_id)
    assert caught.value.message == SESSIONS_REFUSED
    assert db_state() == before
    assert_refused(audit_log, last)


@pytest.mark.parametrize("role", ["gp", "paramedical", "coordinator"])
def test_scheduling_lists_are_refused_to_readers(
    services, sched, team, sw_session, patient, role, audit_log, db_state
):
    a = book(services, team, patient, at(TUE2, 9))
    entry = sched.add_to_waiting_list(
        team.secretary, patient_id=patient, professional_id=team.social_worker.user_id
    )
    actor = getattr(team, role)
    for call in (
        lambda: sched.referrals_to_schedule(actor),
        lambda: sched.papers(actor, a.id),
        lambda: sched.remove_from_waiting_list(actor, entry.id),
        lambda: sched.record_no_show(actor, a.id),
    ):
        before, last = db_state(), audit_log.last_id()
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert caught.value.message == WRITE_REFUSED
        assert db_state() == before
        assert_refused(audit_log, last)


def test_archived_file_gets_no_appointment(
    services, sched, team, sw_session, patient, clock, audit_log, db_state
):
    from app.models import Patient

    with services.db.sessions() as s:  # archived long ago (retention has its own tests)
        s.get(Patient, patient).archived_at = clock()
        s.commit()
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        book(services, team, patient, at(TUE2, 9))
    assert "archivé" in caught.value.message
    with pytest.raises(PermissionDenied):
        sched.add_to_waiting_list(
            team.secretary, patient_id=patient, professional_id=team.social_worker.user_id
        )
    assert db_state() == before
    assert [r.outcome for r in audit_log.since(last)] == ["refused", "refused"]
