"""A hand-built data set whose statistics are known (tests/unit/test_statistics*.py).

Everything happens in 2025, a year in the past whatever the suite's clock. Rows are inserted
directly with chosen instants: the statistics read only readable columns, and the answers
below are worked out by hand in the tests.

Referrals (sender: the GP, receiver: the social worker unless said otherwise):
- 31 January 23:30 in Paris (22:30 UTC): sent, rights and care → January;
- 3 March 10:00 UTC, six referrals closed: received after 0.5 day, first appointment booked
  1 day later, seen after 2, 3, 4, 5, 6 and 11 days, closed 2 days after that; five « rights
  and care », one « employment »; the first three written from the orientation guide;
- 10 March: two reoriented to the CCAS after 1 day (guide rule R1), « living »;
- 12 March: one refused by the patient at sending (« living »), one cancelled after sending
  (« employment »);
- 1 April 00:30 in Paris (31 March 22:30 UTC, summer time): received after 1.5 days,
  « living » → April.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from app.models import (
    Appointment,
    Consent,
    DischargeFollowUp,
    DischargePlan,
    HomeCareRequest,
    Referral,
)
from app.models.scheduling import ConsultationSession
from app.services.partners.records import PartnerInput
from app.services.statistics.model import StatsFilter

YEAR = 2025
PERIOD = StatsFilter(date(YEAR, 1, 1), date(YEAR, 12, 31))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class KnownSet:
    patients: list[int]
    ccas: int
    nurses: int


def _referral(team, patient: int, status: str, category: str, *, sent=None, **stamps) -> dict:
    row = {
        "patient_id": patient, "sender_id": team.gp.user_id,
        "receiver_id": team.social_worker.user_id, "partner_id": None, "reason": "",
        "reason_category": category, "urgency": "normal", "status": status,
        "created_at": (sent or stamps.get("closed_at")) - timedelta(hours=1),
        "updated_at": sent or stamps.get("closed_at"), "sent_at": sent, "from_guide": False,
        "received_at": None, "booked_at": None, "seen_at": None, "closed_at": None,
        "reoriented_to_id": None, "orientation_error_rule": "", "version": 1,
    }  # fmt: skip
    row.update(stamps)
    return row


def referrals(team, patients: list[int], ccas: int) -> list[dict]:
    p = patients
    rows = [_referral(team, p[0], "sent", "rights_and_care", sent=utc(YEAR, 1, 31, 22, 30),
                      from_guide=True)]  # fmt: skip
    march = utc(YEAR, 3, 3, 10)
    for i, days in enumerate((2, 3, 4, 5, 6, 11)):
        seen = march + timedelta(days=days)
        rows.append(
            _referral(team, p[i % len(p)], "closed",
                      "employment" if i == 5 else "rights_and_care", sent=march,
                      received_at=march + timedelta(days=0.5),
                      booked_at=march + timedelta(days=1.5), seen_at=seen,
                      closed_at=seen + timedelta(days=2), from_guide=i < 3)
        )  # fmt: skip
    for i in range(2):
        sent = utc(YEAR, 3, 10, 9)
        rows.append(
            _referral(team, p[i], "reoriented", "living", sent=sent,
                      received_at=sent + timedelta(days=1), closed_at=sent + timedelta(days=1),
                      reoriented_to_id=ccas, orientation_error_rule="R1")
        )  # fmt: skip
    rows.append(_referral(team, p[2], "refused_by_patient", "living",
                          closed_at=utc(YEAR, 3, 12, 9), from_guide=None))  # fmt: skip
    rows.append(_referral(team, p[3], "cancelled", "employment", sent=utc(YEAR, 3, 12, 9),
                          closed_at=utc(YEAR, 3, 13, 9), from_guide=None))  # fmt: skip
    april = utc(YEAR, 3, 31, 22, 30)
    rows.append(_referral(team, p[4], "received", "living", sent=april,
                          received_at=april + timedelta(days=1.5)))  # fmt: skip
    return rows


def consents(team, patients: list[int]) -> list[dict]:
    """Refusals and withdrawals decided in May 2025."""
    rows = []
    for scope, status, count in (("liaison", "refused", 5), ("liaison", "withdrawn", 1),
                                 ("referral_carsat", "refused", 2)):  # fmt: skip
        for i in range(count):
            rows.append({
                "patient_id": patients[i], "scope": scope, "partner_id": None, "status": status,
                "decided_on": date(YEAR, 5, 5 + i), "method": "oral",
                "recorded_by_id": team.gp.user_id, "recorded_at": utc(YEAR, 5, 5 + i, 10),
            })  # fmt: skip
    return rows


def permanence(session, team, patients: list[int]) -> None:
    """Tuesdays 4 to 25 March 2025, 9:00–12:00 in 30-minute slots (4 × 6 = 24 slots); ten
    appointments: six seen, two no-shows, one cancelled by the clinic, one by the patient."""
    s = ConsultationSession(
        professional_id=team.social_worker.user_id, label="Permanence CARSAT", place="MSP",
        room="2", weekday=1, opens=time(9), closes=time(12), slot_minutes=30, every_weeks=1,
        first_date=date(YEAR, 3, 4), last_date=date(YEAR, 3, 25), active=True,
        created_at=utc(YEAR, 1, 2),
    )  # fmt: skip
    session.add(s)
    session.flush()
    statuses = ["seen"] * 6 + ["no_show"] * 2 + ["cancelled_clinic", "cancelled_patient"]
    for i, status in enumerate(statuses):
        starts = utc(YEAR, 3, 4 + 7 * (i % 4), 8 + i // 4)  # 9:00, 10:00, 11:00 in Paris
        session.add(
            Appointment(
                patient_id=patients[i % len(patients)], professional_id=s.professional_id,
                session_id=s.id, starts_at=starts, ends_at=starts + timedelta(minutes=30),
                slot_key=None if status.startswith("cancelled") else starts, status=status,
                booked_at=starts - timedelta(days=5), status_at=starts,
            )
        )  # fmt: skip


def home_care(team, patients: list[int], nurses: int) -> list[dict]:
    """Nurse: six finished (accepted 1, 1, 2, 2, 3 and 5 days after sending), one refused;
    physiotherapist: two cancelled before sending."""
    rows = []
    sent = utc(YEAR, 6, 2, 9)
    for i, days in enumerate((1, 1, 2, 2, 3, 5)):
        rows.append(_request(team, patients[i], "nurse", "finished", nurses, sent,
                             accepted_at=sent + timedelta(days=days)))  # fmt: skip
    rows.append(_request(team, patients[0], "nurse", "refused", nurses, sent,
                         refused_at=sent + timedelta(days=1)))  # fmt: skip
    for i in range(2):
        rows.append(_request(team, patients[i], "physiotherapist", "cancelled", None, None))
    return rows


def _request(team, patient, kind, status, partner, sent, **stamps) -> dict:  # type: ignore[no-untyped-def]
    created = utc(YEAR, 6, 1, 9)
    row = {
        "patient_id": patient, "created_by_id": team.gp.user_id, "care_kind": kind,
        "start_date": date(YEAR, 6, 10), "partner_id": partner, "status": status,
        "created_at": created, "updated_at": created, "sent_at": sent, "accepted_at": None,
        "refused_at": None,
    }  # fmt: skip
    row.update(stamps)
    return row


def plans(session, team, patients: list[int]) -> None:
    """Five plans home (ARDH: 3 eligible, 2 not), one EHPAD (not evaluated); follow-ups due
    10 June 2025: one done at 23:30 in Paris that day (on time), one at 00:30 the next day
    (late); one due 1 June, never done (overdue)."""
    for i, (destination, ardh) in enumerate(
        [("home", True)] * 3 + [("home", False)] * 2 + [("ehpad", None)]
    ):
        plan = DischargePlan(
            patient_id=patients[i], created_by_id=team.social_worker.user_id,
            target_date=date(YEAR, 6, 3), destination=destination, ardh_eligible=ardh,
            status="open", created_at=utc(YEAR, 5, 20), updated_at=utc(YEAR, 5, 20),
        )  # fmt: skip
        session.add(plan)
        session.flush()
        if i == 0:
            owner = team.social_worker.user_id
            for due, done in ((date(YEAR, 6, 10), utc(YEAR, 6, 10, 21, 30)),
                              (date(YEAR, 6, 10), utc(YEAR, 6, 10, 22, 30)),
                              (date(YEAR, 6, 1), None)):  # fmt: skip
                session.add(DischargeFollowUp(plan_id=plan.id, owner_id=owner, due_on=due,
                                              label="Suivi", done_at=done))  # fmt: skip


def build(services, team, make_patient) -> KnownSet:
    patients = [make_patient(f"Statistique{i}", "Camille") for i in range(6)]
    ccas = services.partners.create(team.coordinator, PartnerInput("CCAS test", "ccas")).id
    nurses = services.partners.create(
        team.coordinator, PartnerInput("Cabinet infirmier test", "home_nurse")
    ).id
    with services.db.session() as session:
        session.execute(insert(Referral.__table__), referrals(team, patients, ccas))
        session.execute(insert(Consent.__table__), consents(team, patients))
        session.execute(insert(HomeCareRequest.__table__), home_care(team, patients, nurses))
        permanence(session, team, patients)
        plans(session, team, patients)
    return KnownSet(patients, ccas, nurses)
