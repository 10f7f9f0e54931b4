"""Waiting list, freed-slot notices, no-show count, call list, the appointment slip (read back
with pypdf) and the iCalendar export (parsed back with icalendar)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from dateutil.rrule import rrulestr
from pypdf import PdfReader
from sql_statements import statements
from sqlalchemy import select
from suite_clock import at, working_tuesday

from app.models import Clinic, Document
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.kernel.errors import ValidationError
from app.services.referrals.records import ReferralInput, ReferralReason, SharedItem
from app.services.scheduling.records import (
    GENERIC_PAPERS,
    PAPER_SICK_LEAVE,
    PAPER_TAX,
    AppointmentStatus,
    SessionInput,
    WaitingStatus,
    fr_date,
    fr_datetime,
)

# The session (one Tuesday in two) starts on TUE and is held on TUE2 and TUE3, no holidays.
TUE = working_tuesday()
TUE2 = TUE + timedelta(weeks=2)
TUE3 = TUE + timedelta(weeks=4)
MESSAGE = "Arrêt depuis quatre mois, dettes de loyer : SECRET-MESSAGE-42."


@pytest.fixture
def sched(services):
    return services.scheduling


sw_session_input = SessionInput(
    professional_id=0,
    label="Permanence CARSAT",
    place="MSP des Tilleuls",
    room="2",
    weekday=1,
    opens=time(9),
    closes=time(12, 30),
    slot_minutes=30,
    every_weeks=2,
    first_date=TUE,
)


@pytest.fixture
def sw_session(services, team):
    return services.scheduling.create_session(
        team.coordinator, replace(sw_session_input, professional_id=team.social_worker.user_id)
    )


@pytest.fixture
def patient(make_patient):
    return make_patient("Lefort", "Marie", sex="F")


@pytest.fixture
def patients(make_patient):
    return [make_patient(name, "Alex") for name in ("Aubert", "Blanc", "Carpentier")]


def book(services, team, patient_id, when, **kw):
    return services.scheduling.book(
        team.secretary,
        patient_id=patient_id,
        professional_id=team.social_worker.user_id,
        starts_at=when,
        **kw,
    )


def wait(services, team, patient_id, **kw):
    return services.scheduling.add_to_waiting_list(
        team.secretary, patient_id=patient_id, professional_id=team.social_worker.user_id, **kw
    )


# ---- waiting list --------------------------------------------------------------------------
def test_waiting_list_order_candidates_and_booking_from_an_entry(
    services, sched, team, sw_session, patient, patients, clock, audit_log, helpers
):
    first = wait(services, team, patients[0], preferences="mardi matin")
    clock.advance(minutes=5)
    second = wait(services, team, patients[1])
    clock.advance(minutes=5)
    urgent = wait(services, team, patients[2], urgency="urgent")
    listed = sched.waiting_list(team.secretary, team.social_worker.user_id)
    assert [e.id for e in listed] == [urgent.id, first.id, second.id]
    assert listed[1].preferences == "mardi matin" and listed[0].urgency_label == "Urgente"
    with pytest.raises(ValidationError) as caught:
        wait(services, team, patients[0])
    assert "déjà en liste d'attente" in caught.value.fields["patient_id"]
    with pytest.raises(ValidationError):
        wait(services, team, patient, urgency="tout de suite")
    # Booked without going through the list: the entry leaves it all the same.
    book(services, team, patients[1], at(TUE2, 9))
    listed = sched.waiting_list(team.secretary, team.social_worker.user_id)
    assert [e.id for e in listed] == [urgent.id, first.id]
    # Someone expected elsewhere at that time is no candidate for it.
    other = services.accounts.create_user(
        team.coordinator,
        UserInput("as.petit", "Léa", "Petit", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
        must_change=False,
    )
    sched.create_session(team.coordinator, replace(sw_session_input, professional_id=other.id))
    sched.book(
        team.secretary, patient_id=patients[0], professional_id=other.id, starts_at=at(TUE2, 9, 30)
    )
    a = book(services, team, patient, at(TUE2, 9, 30))
    sched.cancel(team.secretary, a.id, by_patient=True, reason="Empêchée")
    candidates = sched.candidates_for(team.secretary, team.social_worker.user_id, at(TUE2, 9, 30))
    assert [c.id for c in candidates] == [urgent.id]
    candidates = sched.candidates_for(team.secretary, team.social_worker.user_id, at(TUE2, 10))
    assert [c.id for c in candidates] == [urgent.id, first.id]
    # Booking from the entry marks it booked and takes it off the list.
    b = book(services, team, patients[2], at(TUE2, 9, 30), waiting_entry_id=urgent.id)
    listed = sched.waiting_list(team.secretary, team.social_worker.user_id)
    assert [e.id for e in listed] == [first.id]
    with services.db.sessions() as s:
        from app.models import WaitingListEntry

        row = s.get(WaitingListEntry, urgent.id)
        assert (row.status, row.appointment_id) == (str(WaitingStatus.BOOKED), b.id)
    with pytest.raises(ValidationError):  # not waiting any more
        book(services, team, patients[2], at(TUE2, 10), waiting_entry_id=urgent.id)
    sched.remove_from_waiting_list(team.secretary, first.id, expected_version=first.version)
    assert sched.waiting_list(team.gp, team.social_worker.user_id) == []
    assert audit_log.rows(action="waiting_list_remove")


def test_freed_slot_notice_for_the_professional(
    services, sched, team, sw_session, patient, patients, clock
):
    a = book(services, team, patient, at(TUE2, 11))
    sched.cancel(team.secretary, a.id, by_patient=True, reason="Déménagement")
    assert [i for i in services.inbox.items(team.social_worker) if i.kind == "slot_freed"] == []
    b = book(services, team, patient, at(TUE2, 11, 30))
    wait(services, team, patients[0])
    wait(services, team, patients[1])
    sched.cancel(team.secretary, b.id, by_patient=False, reason="Salle indisponible")
    freed = [i for i in services.inbox.items(team.social_worker) if i.kind == "slot_freed"]
    # Both free slots to come now have patients waiting for them.
    assert {i.text for i in freed} == {
        f"Créneau libéré le {fr_datetime(at(TUE2, 11))} : 2 patients en liste d'attente.",
        f"Créneau libéré le {fr_datetime(at(TUE2, 11, 30))} : 2 patients en liste d'attente.",
    }
    item = next(i for i in freed if i.id == b.id)
    assert item.patient_id is None and not item.read and item.source == "scheduling"
    assert item.kind_label == "Créneau libéré"
    # Nothing for the other roles; marking read is the professional's own.
    assert not [i for i in services.inbox.items(team.gp) if i.kind == "slot_freed"]
    assert sched.mark_item_read(team.secretary, item.id) is False
    unread = services.inbox.unread_count(team.social_worker)
    assert services.inbox.mark_read(team.social_worker, [item]) == 1
    assert services.inbox.unread_count(team.social_worker) == unread - 1
    # Taken again from the waiting list: that notice goes.
    book(services, team, patients[0], at(TUE2, 11, 30))
    freed = [i for i in services.inbox.items(team.social_worker) if i.kind == "slot_freed"]
    assert [i.id for i in freed] == [a.id]
    assert freed[0].text.endswith(": 1 patient en liste d'attente.")


def test_freed_slot_notices_count_the_patients_free_then_in_one_statement(
    services, sched, team, sw_session, patient, patients, helpers
):
    other = services.accounts.create_user(
        team.coordinator,
        UserInput("as.petit", "Léa", "Petit", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER),
        helpers.password,
        must_change=False,
    )
    sched.create_session(team.coordinator, replace(sw_session_input, professional_id=other.id))
    for p in patients:
        wait(services, team, p)
    # Patients[1] is expected by the other social worker at 11:00, not at 11:30.
    sched.book(
        team.secretary, patient_id=patients[1], professional_id=other.id, starts_at=at(TUE2, 11)
    )
    slots = [at(TUE2, 10), at(TUE2, 11), at(TUE2, 11, 30), at(TUE3, 9)]
    for when in slots:
        a = book(services, team, patient, when)
        sched.cancel(team.secretary, a.id, by_patient=True, reason="Empêchée")
    with statements(services) as seen:
        freed = sched.inbox_items(team.social_worker)
    assert len(seen) <= 2  # the freed slots with their candidates (BEGIN aside): not per slot
    texts = {i.text for i in freed if i.kind == "slot_freed"}
    assert texts == {
        f"Créneau libéré le {fr_datetime(at(TUE2, 10))} : 3 patients en liste d'attente.",
        f"Créneau libéré le {fr_datetime(at(TUE2, 11))} : 2 patients en liste d'attente.",
        f"Créneau libéré le {fr_datetime(at(TUE2, 11, 30))} : 3 patients en liste d'attente.",
        f"Créneau libéré le {fr_datetime(at(TUE3, 9))} : 3 patients en liste d'attente.",
    }


def test_no_shows_are_counted(services, sched, team, sw_session, patient, clock):
    a = book(services, team, patient, at(TUE2, 9))
    b = book(services, team, patient, at(TUE2, 10))
    clock.now = at(TUE2, 12).astimezone(UTC)
    sched.record_no_show(team.secretary, a.id, reason="Pas de nouvelles")
    assert sched.no_show_count(team.gp, patient) == 1
    sched.record_no_show(team.social_worker, b.id)
    assert sched.no_show_count(team.coordinator, patient) == 2
    c = book(services, team, patient, at(TUE3, 9))
    assert c.no_show_count == 2
    [rec] = [r for r in sched.patient_appointments(team.secretary, patient) if r.id == a.id]
    assert rec.status is AppointmentStatus.NO_SHOW and rec.status_reason == "Pas de nouvelles"
    assert rec.active  # a missed appointment keeps its (past) slot


# ---- call list -------------------------------------------------------------------------------
def test_call_list_of_the_day_and_marking_calls(
    services, sched, team, sw_session, patient, patients, audit_log
):
    a = book(services, team, patients[1], at(TUE2, 10))
    b = book(services, team, patient, at(TUE2, 9))
    c = book(services, team, patients[0], at(TUE2, 11))
    sched.cancel(team.secretary, c.id, by_patient=True, reason="Empêché")
    book(services, team, patients[2], at(TUE3, 9))  # another day
    calls = sched.call_list(team.secretary, TUE2)
    assert [r.id for r in calls] == [b.id, a.id]
    assert calls[0].patient_name == "LEFORT Marie" and calls[0].called_at is None
    assert audit_log.rows(action="read", object_type="call_list")
    called = sched.mark_called(team.secretary, b.id, confirmed=True)
    assert called.called_at is not None and called.status is AppointmentStatus.CONFIRMED
    no_answer = sched.mark_called(team.secretary, a.id, confirmed=False)
    assert no_answer.called_at is not None and no_answer.status is AppointmentStatus.BOOKED
    assert len(audit_log.rows(action="appointment_call")) == 2
    with pytest.raises(Exception) as caught:
        sched.mark_called(team.secretary, c.id, confirmed=True)
    assert "plus personne à appeler" in caught.value.message
    assert audit_log.rows(action="appointment_call", outcome="refused")


# ---- the slip ------------------------------------------------------------------------------
def text_of(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def test_slip_for_a_referral_lists_its_papers_and_nothing_of_its_content(
    services, sched, team, sw_session, patient, audit_log
):
    with services.db.sessions() as s:
        s.scalar(select(Clinic)).phone = "02 35 00 11 22"
        s.commit()
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason=ReferralReason.JOB_RETENTION,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
            items=frozenset({SharedItem.CONTACT}),
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    a = book(services, team, patient, at(TUE2, 9, 30), referral_id=view.id)
    doc = sched.slip_pdf(team.secretary, a.id)
    text = text_of(doc.pdf)
    assert "Convocation à un rendez-vous" in text
    assert "LEFORT Marie" in text
    assert fr_datetime(at(TUE2, 9, 30)).capitalize() in text  # « Mardi 8 décembre 2026 à 9 h 30 »
    assert "Sophie Moreau, assistante sociale (CARSAT)" in text
    assert "MSP des Tilleuls — salle 2" in text
    assert PAPER_SICK_LEAVE in text and "Pièce d'identité" in text
    assert "02 35 00 11 22" in text and "24 heures" in text
    for secret in ("SECRET-MESSAGE-42", "Maintien dans l'emploi", "dettes"):
        assert secret not in text
    with services.db.sessions() as s:
        row = s.get(Document, doc.id)
        assert (row.kind, row.patient_id, row.compartment) == (
            "appointment_slip",
            patient,
            "administrative",
        )
    [printed] = audit_log.rows(action="print", patient_id=patient)
    assert printed.object_id == doc.id and "SECRET" not in printed.detail


def test_slip_booked_directly_has_the_generic_papers(services, sched, team, sw_session, patient):
    a = book(services, team, patient, at(TUE2, 9))
    text = text_of(sched.slip_pdf(team.social_worker, a.id).pdf)
    for paper in GENERIC_PAPERS:
        assert paper in text
    assert PAPER_TAX in text and PAPER_SICK_LEAVE not in text
    assert "prévenez l'accueil de la maison de santé au moins 24 heures" in text
    sched.cancel(team.secretary, a.id, by_patient=True, reason="Empêchée")
    with pytest.raises(ValidationError):
        sched.slip_pdf(team.secretary, a.id)


def test_french_dates():  # fixed dates: about the French wording, not about the clock
    assert fr_datetime(at(date(2026, 12, 8), 9, 30)) == "mardi 8 décembre 2026 à 9 h 30"
    assert fr_datetime(at(date(2027, 3, 1), 14)) == "lundi 1er mars 2027 à 14 h"
    assert fr_date(datetime(2027, 7, 14, 22, 30, tzinfo=UTC)) == "jeudi 15 juillet 2027"


# ---- iCalendar -------------------------------------------------------------------------------
def summer_time_tuesdays() -> tuple[date, date]:
    """The last session Tuesday before Paris moves to summer time (last Sunday of March) and
    the next one, a fortnight later: the first such pair to come."""
    year = TUE.year
    while True:
        change = date(year, 3, 31)
        change -= timedelta(days=(change.weekday() - 6) % 7)  # the last Sunday of March
        winter = change - timedelta(days=(change - TUE).days % 14)
        if winter >= TUE:
            return winter, winter + timedelta(weeks=2)
        year += 1


# Either side of the change to summer time (16 and 30 March 2027 from 22 November 2026).
WINTER_TUE, SUMMER_TUE = summer_time_tuesdays()


def events(data: bytes) -> list:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def occurrences(event) -> list[datetime]:
    """The starts of a (possibly recurring) VEVENT read back: DTSTART, its RRULE expanded with
    ``dateutil``, minus EXDATE, plus RDATE (what a calendar application shows)."""
    start = event.decoded("dtstart")
    out = {start}
    if "RRULE" in event:
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        out = set(rule)
    for key, sign in (("EXDATE", -1), ("RDATE", 1)):
        values = event.get(key, [])
        for prop in values if isinstance(values, list) else [values]:
            dates = {d.dt for d in prop.dts}
            out = out - dates if sign < 0 else out | dates
    return sorted(out)


def test_icalendar_export_for_the_professional_herself(
    services, sched, team, sw_session, patient, patients, audit_log
):
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason=ReferralReason.HOUSING,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    winter = book(services, team, patient, at(WINTER_TUE, 9), referral_id=view.id)
    summer = book(services, team, patients[0], at(SUMMER_TUE, 9))
    gone = book(services, team, patients[1], at(SUMMER_TUE, 10))
    sched.cancel(team.secretary, gone.id, by_patient=True, reason="Empêché")
    data = sched.icalendar(team.social_worker, team.social_worker.user_id, WINTER_TUE, SUMMER_TUE)
    evs = events(data)
    sessions = [e for e in evs if str(e["uid"]).startswith("relais-session-")]
    appointments = {str(e["uid"]): e for e in evs if str(e["uid"]).startswith("relais-appoint")}
    # One recurring event (RRULE every two weeks): the winter and the summer Tuesdays, both
    # at 9:00 in Paris (8:00 then 7:00 UTC).
    [recurring] = sessions
    assert b"RRULE:FREQ=WEEKLY;UNTIL=" in data and b"INTERVAL=2" in data
    held = occurrences(recurring)
    assert [d.date() for d in held] == [WINTER_TUE, SUMMER_TUE]
    assert [d.astimezone(UTC).hour for d in held] == [8, 7]
    assert str(sessions[0]["summary"]) == "Permanence CARSAT"
    assert str(sessions[0]["location"]) == "MSP des Tilleuls — salle 2"
    w = appointments[f"relais-appointment-{winter.id}@relais"]
    s = appointments[f"relais-appointment-{summer.id}@relais"]
    c = appointments[f"relais-appointment-{gone.id}@relais"]
    # 9:00 in Paris is 8:00 UTC in winter and 7:00 UTC in summer.
    assert w.decoded("dtstart").astimezone(UTC).hour == 8
    assert s.decoded("dtstart").astimezone(UTC).hour == 7
    assert str(w.decoded("dtstart").tzinfo) == "Europe/Paris"
    assert b"TZID=Europe/Paris" in data and b"BEGIN:VTIMEZONE" in data
    assert w.decoded("dtend") - w.decoded("dtstart") == timedelta(minutes=30)
    assert str(w["summary"]) == "Rendez-vous — LEFORT Marie"
    assert str(w["location"]) == "MSP des Tilleuls — salle 2"
    assert str(c["status"]) == "CANCELLED" and str(w["status"]) == "CONFIRMED"
    for forbidden in (b"housing", b"Logement", b"SECRET", "Empêché".encode()):
        assert forbidden not in data
    # The same UID on the next export.
    again = events(
        sched.icalendar(team.social_worker, team.social_worker.user_id, WINTER_TUE, SUMMER_TUE)
    )
    assert {str(e["uid"]) for e in again} == {str(e["uid"]) for e in evs}
    [entry, _again] = audit_log.rows(action="agenda_export")
    assert entry.object_id == team.social_worker.user_id and "sans noms" not in entry.detail


@pytest.mark.parametrize("role", ["secretary", "gp", "coordinator"])
def test_icalendar_export_by_others_names_nobody(
    services, sched, team, sw_session, patient, role, audit_log
):
    book(services, team, patient, at(WINTER_TUE, 9))
    data = sched.icalendar(getattr(team, role), team.social_worker.user_id, WINTER_TUE, WINTER_TUE)
    [appointment] = [e for e in events(data) if str(e["uid"]).startswith("relais-appoint")]
    assert str(appointment["summary"]) == "Rendez-vous"
    assert b"LEFORT" not in data and b"Marie" not in data
    [entry] = audit_log.rows(action="agenda_export")
    assert "sans noms" in entry.detail


def test_icalendar_recurring_session_with_a_cancelled_and_an_added_date(
    services, sched, team, sw_session
):
    """A cancelled date is an EXDATE, a date added by hand an RDATE: read back, the calendar
    holds exactly the dates the agenda shows."""
    sw = team.social_worker
    start, end = TUE, TUE + timedelta(weeks=8)
    cancelled, added = TUE + timedelta(weeks=2), TUE + timedelta(weeks=3, days=1)
    sched.cancel_day(team.coordinator, sw_session.id, cancelled, "Formation")
    sched.add_day(team.coordinator, sw_session.id, added, "Rattrapage")
    data = sched.icalendar(sw, sw.user_id, start, end)
    [recurring] = [e for e in events(data) if str(e["uid"]).startswith("relais-session-")]
    assert b"EXDATE;TZID=Europe/Paris" in data and b"RDATE;TZID=Europe/Paris" in data
    held_in_agenda = [
        d.day for d in sched.agenda(sw, start, end, professional_id=sw.user_id) if d.slots
    ]
    assert [d.date() for d in occurrences(recurring)] == held_in_agenda
    assert cancelled not in held_in_agenda and added in held_in_agenda
