"""The dialogs that offer a date open on the clinic clock's day and save it, whatever the
instant: the day Paris moves to summer time, New Year's Eve late in the evening, the first
half-hour of the year (still 31 December in UTC), 29 February.

Each dialog takes "today" from the services' clock in the clinic's time zone; a dialog that
took it from the workstation (or from UTC) would offer a day that the services refuse as « dans
le futur », or save yesterday.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from gui_helpers import login, settle
from PySide6.QtCore import QDate, QPoint, Qt
from stdnum import luhn
from suite_clock import dmy

from app.clock import CLINIC_TZ, clinic_today
from app.services.partners.records import PartnerInput
from app.services.patient_file.records import ConsentScope
from app.services.referrals.records import ReferralInput, ReferralReason
from app.services.scheduling.records import AppointmentStatus, SessionInput
from app.services.scheduling.recurrence import french_holiday
from app.services.social.records import ActionKind
from app.views.home_care.discharge_dialog import DischargeDialog
from app.views.home_care.home_care_dialog import HomeCareDialog
from app.views.patient_file.consent_panel import ConsentDialog
from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
RPPS = "1000000001" + luhn.calc_check_digit("1000000001")

INSTANTS = {
    "summer-time": datetime.fromisoformat("2027-03-28T03:30+02:00"),
    "new-year-eve": datetime.fromisoformat("2026-12-31T23:30+01:00"),
    "new-year-utc-still-31": datetime.fromisoformat("2027-01-01T00:30+01:00"),
    "leap-day": datetime.fromisoformat("2028-02-29T10:00+01:00"),
}


@pytest.fixture(params=list(INSTANTS), ids=list(INSTANTS))
def instant(request, clock) -> datetime:
    """The services' clock set at the instant (UTC)."""
    clock.now = INSTANTS[request.param].astimezone(UTC)
    return clock.now


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)


def tick(qtbot, box) -> None:
    assert box.isVisible() and box.isEnabled(), box.objectName()
    qtbot.mouseClick(box, LEFT, pos=QPoint(6, box.height() // 2))


def qdate(day) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_consent_dialog(qtbot, window, services, make_patient, passwords, instant):
    today = clinic_today(services.clock)
    assert today == instant.astimezone(CLINIC_TZ).date()
    patient = make_patient("Dupré", "Jean")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.select_tab("consents")
    tab = file.consents_tab
    click(qtbot, tab.record_button)
    dialog = tab.dialog
    assert isinstance(dialog, ConsentDialog)
    assert dialog.decided_on.date() == qdate(today)
    assert dialog.decided_on.maximumDate() == qdate(today)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: tab.dialog is None)
    [record] = services.consents.history(gp.actor, patient)
    assert record.scope is ConsentScope.LIAISON and record.decided_on == today


def test_home_care_dialog(qtbot, window, services, team, make_patient, passwords, instant):
    today = clinic_today(services.clock)
    patient = make_patient("Lemoine", "Odette", sex="F", city="Rouen", postal_code="76000")
    nurse = services.partners.create(
        team.secretary, PartnerInput("Cabinet infirmier du Robec", "home_nurse")
    )
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.select_tab("home_care")
    tab = file.home_care_tab
    click(qtbot, tab.new_request_button)
    dialog = tab.dialog
    assert isinstance(dialog, HomeCareDialog)
    assert dialog.start.date() == qdate(today)
    assert dialog.discharge.date() == qdate(today)
    qtbot.waitUntil(lambda: dialog.act_boxes["dressing"].height() > 0)
    tick(qtbot, dialog.act_boxes["dressing"])
    qtbot.keyClicks(dialog.prescriber, "Dr Paul Durand")
    qtbot.keyClicks(dialog.rpps, RPPS)
    qtbot.keyClicks(dialog.address, "8 rue du Gros-Horloge, 76000 Rouen")
    assert dialog.choose_partner(nurse.id)
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible(), dialog.errors.messages()
    qtbot.waitUntil(lambda: tab.dialog is None)
    [request] = services.home_care.for_patient(gp.actor, patient)
    assert request.start_date == today


def test_discharge_dialog(qtbot, window, services, make_patient, passwords, instant):
    today = clinic_today(services.clock)
    patient = make_patient("Lemoine", "Odette", sex="F")
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert file.select_tab("home_care")
    tab = file.home_care_tab
    click(qtbot, tab.new_plan_button)
    dialog = tab.dialog
    assert isinstance(dialog, DischargeDialog)
    assert dialog.admitted.date() == qdate(today)
    assert dialog.target.date() == qdate(today + timedelta(days=3))
    qtbot.keyClicks(dialog.hospital, "CHU de Rouen")
    dialog.with_admission.setChecked(True)  # admitted today
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: tab.dialog is None)
    [plan] = services.discharge.plans_for(sw.actor, patient)
    assert plan.admitted_on == today and plan.target_date == today + timedelta(days=3)
    assert [f.due_on for f in plan.follow_ups] == [
        today + timedelta(days=3 + 7),
        today + timedelta(days=3 + 90),
    ]


def test_action_plan_dialog(qtbot, window, services, make_patient, passwords, instant):
    today = clinic_today(services.clock)
    patient = make_patient("Lenoir", "Marie", sex="F")
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    screen = file.social_tab.screen_widget
    screen.tabs.setCurrentWidget(screen.actions)
    plan = screen.actions
    click(qtbot, plan.new_button)
    dialog = plan.dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData(str(ActionKind.C2S)))
    dialog.due.check.setChecked(True)
    dialog.remind.check.setChecked(True)
    assert dialog.due.edit.date() == qdate(today) == dialog.remind.edit.date()
    click(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: plan.dialog is None)
    [action] = services.consultations.actions(sw.actor, patient)
    assert action.due_on == today and not action.overdue  # due today is not late


def test_consultation_opens_on_the_appointment_of_the_clinic_day(
    qtbot, window, services, team, make_patient, passwords, clock, instant
):
    """A session that holds the instant, booked the day before; at the instant, « Démarrer la
    consultation » finds today's appointment and « patient reçu » is accepted (not refused as
    not yet happened)."""
    local = instant.astimezone(CLINIC_TZ)
    today = local.date()
    opens = (datetime.combine(today, time(local.hour), CLINIC_TZ) - timedelta(minutes=30)).time()
    if local.minute >= 30:
        opens = time(local.hour, 0)
    closes = (datetime.combine(today, opens) + timedelta(minutes=30)).time()
    patient = make_patient("Lenoir", "Marie", sex="F")
    clock.now = instant - timedelta(days=1)
    session = services.scheduling.create_session(
        team.social_worker,
        SessionInput(
            professional_id=team.social_worker.user_id,
            label="Permanence CARSAT",
            place="MSP des Tilleuls",
            room="Bureau 2",
            weekday=today.weekday(),
            opens=opens,
            closes=closes,
            slot_minutes=30,
            every_weeks=1,
            first_date=today,
            last_date=None,
        ),
    )
    if french_holiday(today):  # 1 January: no session unless added by hand
        services.scheduling.add_day(team.social_worker, session.id, today, "Permanence du jour")
    slots = services.scheduling.free_slots(team.secretary, team.social_worker.user_id, start=today)
    slot = next(s for s in slots if s.session_id == session.id)
    assert slot.starts_at.astimezone(CLINIC_TZ).date() == today
    appointment = services.scheduling.book(
        team.secretary,
        patient_id=patient,
        professional_id=team.social_worker.user_id,
        starts_at=slot.starts_at,
    )
    clock.now = instant
    assert appointment.starts_at <= clock() < appointment.ends_at + timedelta(minutes=30)
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    click(qtbot, file.social_tab.start_button)
    dialog = file.social_tab.consultation_dialog
    assert dialog is not None and dialog.isVisible()
    screen = dialog.screen_widget
    assert screen.appointment is not None and screen.appointment.id == appointment.id
    click(qtbot, screen.close_button)
    seen = services.scheduling.appointment(team.social_worker, appointment.id)
    assert seen.status is AppointmentStatus.SEEN
    dialog.accept()
    qtbot.waitUntil(lambda: file.social_tab.consultation_dialog is None)


def test_referral_and_its_notes_are_dated_on_the_clinic_day(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, instant
):
    """A referral written, and a liaison note taken, at the instant are shown as of the clinic
    day: the first half-hour of the year in Paris is still 31 December in UTC, and a date
    taken from the stored UTC instant would be the day before."""
    today = clinic_today(services.clock)
    patient = make_patient("Lemoine", "Odette", sex="F")
    liaison_consent(patient)
    services.notes.add(team.gp, patient, "liaison", "Loyer impayé depuis 3 mois")
    social = services.accounts.find_user(team.coordinator, "as.moreau")
    services.referrals.create(
        team.gp, ReferralInput(patient, ReferralReason.HOUSING, receiver_id=social.id)
    )
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.select_tab("referrals")
    settle(qtbot, file)
    tab = file.referrals_tab
    assert tab.model.rowCount() == 1
    qtbot.waitUntil(lambda: tab.detail.view is not None)
    assert tab.detail.title.text().startswith(f"Orientation du {dmy(today)} — ")
    click(qtbot, tab.new_button)
    dialog = file.referral_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.notes_list.count() == 1)  # read on the task runner
    assert dialog.notes_list.item(0).text().startswith(f"{dmy(today)} — ")
    dialog.reject()
