"""The agenda, booking (from a referral, a free slot, the waiting list), the slip, the call
list, the sessions editor and the iCalendar export, through the widgets, on the real
services."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from gui_helpers import login, settle, visible_texts
from icalendar import Calendar
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QPushButton
from suite_clock import TODAY, at, next_christmas, next_weekday, working_tuesday

from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus
from app.services.scheduling.records import AppointmentStatus, SessionInput, fr_date, fr_datetime
from app.views.agenda.agenda_actions import AppointmentDialog, CancelAppointmentDialog
from app.views.agenda.agenda_calls import CallListDialog
from app.views.agenda.agenda_sessions import DayDialog, SessionFormDialog, SessionsDialog
from app.views.agenda.agenda_view import AgendaWidget, week_title
from app.views.agenda.booking_dialog import BookSlotDialog, SlotPickerDialog
from app.views.agenda.scheduling_model import DayModel
from app.views.agenda.side_models import ToScheduleModel
from app.views.common import pdf_view

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
JOB_REASON = "Maintien dans l'emploi (arrêt de travail long, invalidité)"
MESSAGE = "Arret long, inquiet pour son poste."


# The session (one Tuesday in two) starts on TUE and is held on TUE2 and TUE3, no holidays.
TUE = working_tuesday()
TUE2 = TUE + timedelta(weeks=2)
TUE3 = TUE + timedelta(weeks=4)
# The day before TUE, 10:00 at the clinic: the secretary calls TUE's patients.
EVE_OF_TUE = at(TUE - timedelta(days=1), 10).astimezone(UTC)


def click(qtbot, button: QPushButton) -> None:
    settle(qtbot, button)  # what the screen was reading is shown
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)
    settle(qtbot, button)  # the service call the click made (on the task runner) is done


def carsat(professional_id: int, **changes) -> SessionInput:
    values = dict(
        professional_id=professional_id,
        label="Permanence CARSAT",
        place="MSP des Tilleuls",
        room="salle 2",
        weekday=1,
        opens=time(9),
        closes=time(12),
        slot_minutes=30,
        every_weeks=2,
        first_date=TUE,
        last_date=None,
    )
    values.update(changes)
    return SessionInput(**values)


@pytest.fixture
def session(services, team):
    return services.scheduling.create_session(team.coordinator, carsat(team.social_worker.user_id))


def send_referral(services, team, patient_id: int) -> int:
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient_id,
            reason=ReferralReason.JOB_RETENTION,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    return view.id


def book(services, team, patient_id: int, when: datetime, **kwargs):
    return services.scheduling.book(
        team.secretary,
        patient_id=patient_id,
        professional_id=team.social_worker.user_id,
        starts_at=when,
        **kwargs,
    )


def agenda_for(qtbot, services, actor) -> AgendaWidget:
    widget = AgendaWidget(services, actor, debounce_ms=0)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    widget.go_to(TUE)
    return widget


def headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def save_pdf_to(monkeypatch, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a, **_k: target)
    return target


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(path.read_bytes())).pages)


# ---- booking from a referral, and the slip -------------------------------------------------
def test_secretary_books_a_slot_from_a_referral_and_prints_the_slip(
    qtbot, window, services, team, session, make_patient, passwords, monkeypatch, tmp_path
):
    patient = make_patient("Lefort", "Marie", sex="F", phone="06 12 34 56 78")
    rid = send_referral(services, team, patient)

    workspace = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = workspace.open_patient(patient)
    file.select_tab("referrals")
    settle(qtbot, file)  # the tab's list and referral are read on the task runner
    detail = file.referrals_tab.detail
    assert detail.view is not None and detail.view.id == rid
    # The secretary has no referral step of her own, but she fixes the appointment.
    assert detail.visible_actions() == ["book"]
    assert detail.action_buttons["book"].text().replace("&", "") == "Fixer un rendez-vous…"
    click(qtbot, detail.action_buttons["book"])
    picker = detail.slot_picker
    assert isinstance(picker, SlotPickerDialog)
    assert not picker.professional.isEnabled()  # the referral's receiver
    assert picker.professional.currentText() == "Sophie Moreau"
    days = [picker.tree.topLevelItem(i).text(0) for i in range(picker.tree.topLevelItemCount())]
    assert days[0] == f"{fr_date(TUE).capitalize()} — 6 créneaux libres"
    assert days[1].startswith(fr_date(TUE2).capitalize())  # one Tuesday in two
    assert picker.select_slot(at(TUE, 10))
    click(qtbot, picker.ok)
    assert picker.appointment is not None
    assert picker.pages.currentIndex() == 1
    summary = picker.done_text.text()
    assert fr_datetime(at(TUE, 10)) in summary and "Arrêts de travail" in summary
    # The referral moved in the same step, the detail shows it.
    assert detail.view.status is ReferralStatus.APPOINTMENT_BOOKED
    assert services.referrals.get(team.gp, rid).status is ReferralStatus.APPOINTMENT_BOOKED

    click(qtbot, picker.print_slip_button)
    preview = picker.preview
    assert preview is not None and preview.isVisible()
    target = save_pdf_to(monkeypatch, tmp_path, "convocation.pdf")
    click(qtbot, preview.buttons.save_button)
    text = pdf_text(target)
    assert "LEFORT Marie" in text
    assert fr_datetime(at(TUE, 10)).capitalize() in text
    assert "Sophie Moreau" in text
    assert "Arrêts de travail" in text  # papers for the referral's reason
    assert JOB_REASON not in text and "Arret long" not in text  # no reason, no message
    preview.accept()
    picker.accept()

    # The patient file lists the appointment; the slip was archived in the documents.
    file.select_tab("appointments")
    tab = file.appointments_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.row_at(0).status is AppointmentStatus.BOOKED
    assert tab.print_button.isVisible() and tab.book_button.isVisible()


def test_slot_taken_meanwhile_shows_the_message_and_refreshes_the_slots(
    qtbot, services, team, session, make_patient
):
    patient, other = make_patient("Lefort", "Marie"), make_patient("Garnier", "Paul")
    rid = send_referral(services, team, patient)
    agenda = agenda_for(qtbot, services, team.secretary)
    assert agenda.to_schedule_model.rowCount() == 1
    assert agenda.side.tabText(0) == "Orientations à planifier (1)"
    picker = agenda.schedule_referral()
    assert isinstance(picker, SlotPickerDialog) and picker.referral_id == rid
    assert picker.selected_slot().starts_at == at(TUE, 9)
    book(services, team, other, at(TUE, 9))  # another workstation, in between
    click(qtbot, picker.ok)
    assert picker.appointment is None
    assert "vient d'être pris" in picker.error.text() and picker.error.isVisible()
    assert all(s.starts_at != at(TUE, 9) for s in picker.slots)
    assert picker.selected_slot().starts_at == at(TUE, 9, 30)
    # The agenda behind shows the other booking.
    assert agenda.row_for(at(TUE, 9)).appointment.patient_name == "GARNIER Paul"
    click(qtbot, picker.ok)
    assert picker.appointment is not None
    picker.accept()
    assert agenda.to_schedule_model.rowCount() == 0


def test_secretary_books_a_free_slot_by_searching_the_patient(
    qtbot, services, team, session, make_patient
):
    patient = make_patient("Lefort", "Marie")
    agenda = agenda_for(qtbot, services, team.secretary)
    dialog = agenda.activate(agenda.row_for(at(TUE, 11)))
    assert isinstance(dialog, BookSlotDialog)
    assert fr_datetime(at(TUE, 11)).capitalize() in dialog.title.text()
    assert dialog.sources.currentIndex() == BookSlotDialog.SEARCH  # nothing else to propose
    qtbot.keyClicks(dialog.search.search, "lefort")
    dialog.search.run_search()
    click(qtbot, dialog.ok)
    assert dialog.appointment is not None and dialog.appointment.patient_id == patient
    assert agenda.row_for(at(TUE, 11)).appointment.patient_name == "LEFORT Marie"


def test_another_patient_shows_whole_in_the_booking_dialog(
    qtbot, services, team, session, make_patient
):
    """« Autre patient », at the dialog's size: the date, sex, NIR and town columns are as wide
    as what they show, and the name takes the rest, a married name with its birth name whole
    (it used to wrap and elide in a column squeezed by fixed widths)."""
    make_patient(
        "Aubert",
        "Isabelle",
        sex="F",
        birth_date="10/11/1972",
        used_name="Kowalski",
        nir="272117511735270",
        city="Le Petit-Quevilly",
    )
    agenda = agenda_for(qtbot, services, team.secretary)
    dialog = agenda.activate(agenda.row_for(at(TUE, 11)))
    assert isinstance(dialog, BookSlotDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.search.search, "kowa")
    dialog.search.run_search()
    table, model = dialog.search.table, dialog.search.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, model.NAME)) == "KOWALSKI Isabelle (née Aubert)"
    metrics = table.fontMetrics()
    for column in (model.NAME, model.BIRTH_DATE, model.SEX, model.NIR, model.CITY):
        shown = str(model.data(model.index(0, column)))
        assert metrics.horizontalAdvance(shown) < table.columnWidth(column), (column, shown)
    dialog.reject()


# ---- what each role sees ---------------------------------------------------------------------
def test_the_secretary_never_sees_the_reason_the_social_worker_does(
    qtbot, services, team, session, make_patient
):
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)
    book(services, team, patient, at(TUE, 9, 30), referral_id=rid)

    secretary = agenda_for(qtbot, services, team.secretary)
    assert "Motif" not in headers(secretary.day_model)
    assert secretary.day_model.columnCount() == 6
    row = secretary.row_for(at(TUE, 9, 30))
    assert row.appointment.reason == "" and row.appointment.reason_label == ""
    assert JOB_REASON not in visible_texts(secretary)
    assert "LEFORT Marie" in visible_texts(secretary)

    social = agenda_for(qtbot, services, team.social_worker)
    assert headers(social.day_model)[-1] == "Motif"
    column = social.day_model.column_of(DayModel.REASON)
    line = social.day_model.rows().index(social.row_for(at(TUE, 9, 30)))
    assert social.day_model.data(social.day_model.index(line, column)) == JOB_REASON

    # Her appointment opens the consultation screen; the secretary has no such button.
    dialog = secretary.activate(secretary.row_for(at(TUE, 9, 30)))
    assert not dialog.consult_button.isVisible()
    dialog.accept()
    dialog = social.activate(social.row_for(at(TUE, 9, 30)))
    assert JOB_REASON in dialog.body.text()
    click(qtbot, dialog.consult_button)
    consultation = social.consultation
    assert consultation is not None and consultation.isVisible()
    consultation.close()


def test_a_gp_reads_the_agenda_without_any_booking_action(
    qtbot, window, services, team, session, make_patient, passwords
):
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)
    book(services, team, patient, at(TUE, 9), referral_id=rid)
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    assert workspace.agenda_button is not None and workspace.agenda_button.isVisible()
    click(qtbot, workspace.agenda_button)
    agenda = workspace.agenda
    assert workspace.files.currentWidget() is agenda
    agenda.go_to(TUE)
    assert not agenda.can_book and agenda.side is None
    assert not agenda.calls_button.isVisible()
    assert "lecture seule" in agenda.hint.text()
    assert "Motif" not in headers(agenda.day_model)  # not the GP's appointment
    assert agenda.activate(agenda.row_for(at(TUE, 9, 30))) is None  # a free slot: nothing
    dialog = agenda.activate(agenda.row_for(at(TUE, 9)))
    assert isinstance(dialog, AppointmentDialog)
    assert dialog.visible_actions() == [] and not dialog.print_button.isVisible()
    assert JOB_REASON not in dialog.body.text()
    dialog.accept()
    # Nor in the patient file.
    file = workspace.open_patient(patient)
    file.select_tab("appointments")
    tab = file.appointments_tab
    assert tab.model.rowCount() == 1
    assert not tab.book_button.isVisible() and not tab.print_button.isVisible()


# ---- day and week views -------------------------------------------------------------------
def test_day_and_week_views_holidays_and_cancelled_days(
    qtbot, services, team, session, make_patient
):
    patient = make_patient("Lefort", "Marie")
    book(services, team, patient, at(TUE, 9))
    services.scheduling.cancel_day(team.coordinator, session.id, TUE2, "Formation")
    agenda = agenda_for(qtbot, services, team.secretary)
    assert agenda.title.text() == f"{fr_date(TUE).capitalize()} — 6 créneaux, 5 libres"
    assert agenda.day_model.rowCount() == 6
    assert agenda.day_model.row_at(1).free

    click(qtbot, agenda.week_button)
    assert agenda.stack.currentWidget() is agenda.week_table
    monday = TUE - timedelta(days=1)
    assert agenda.title.text() == week_title(monday)  # « Semaine du 23 au 29 novembre 2026 »
    model = agenda.week_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        f"{name} {monday + timedelta(days=n):%d/%m}"  # « lun. 23/11 » …
        for n, name in enumerate(("lun.", "mar.", "mer.", "jeu.", "ven."))
    ]
    assert model.rowCount() == 6
    assert model.data(model.index(0, 1)) == "LEFORT Marie\nRéservé"
    assert model.data(model.index(1, 1)) == "Libre"
    assert model.data(model.index(1, 0)) == ""

    click(qtbot, agenda.next_button)  # the week after: one Tuesday in two, no session
    assert agenda.banner.text() == "Aucune permanence cette semaine."
    click(qtbot, agenda.next_button)  # TUE2's week: cancelled
    assert "annulée" in model.headerData(1, Qt.Orientation.Horizontal)
    assert "Formation" in agenda.banner.text()

    click(qtbot, agenda.day_button)
    agenda.go_to(TUE2)
    assert agenda.banner.isVisible() and "Formation" in agenda.banner.text()
    assert agenda.day_model.rowCount() == 0
    click(qtbot, agenda.today_button)
    assert agenda.day == TODAY


def test_week_title_in_french():  # fixed dates: about the French wording, not about the clock
    assert week_title(date(2026, 11, 23)) == "Semaine du 23 au 29 novembre 2026"
    assert week_title(date(2026, 11, 30)) == "Semaine du 30 novembre au 6 décembre 2026"
    assert week_title(date(2026, 12, 28)) == "Semaine du 28 décembre 2026 au 3 janvier 2027"


def test_a_public_holiday_says_why(qtbot, services, team):
    # A weekly session on the weekday of the next Christmas, from this week on.
    christmas = next_christmas()
    services.scheduling.create_session(
        team.coordinator,
        carsat(
            team.social_worker.user_id,
            weekday=christmas.weekday(),
            every_weeks=1,
            first_date=next_weekday(christmas.weekday()),
        ),
    )
    agenda = agenda_for(qtbot, services, team.secretary)
    agenda.go_to(christmas)
    assert "Noël" in agenda.banner.text() and agenda.day_model.rowCount() == 0


# ---- cancelling, the waiting list ---------------------------------------------------------
def test_cancel_frees_the_slot_and_shows_the_waiting_list_candidate(
    qtbot, services, team, session, make_patient
):
    first = make_patient("Lefort", "Marie")
    make_patient("Garnier", "Paul")
    book(services, team, first, at(TUE, 9))
    agenda = agenda_for(qtbot, services, team.secretary)
    # Inscribe Paul Garnier on the waiting list through the panel.
    agenda.side.setCurrentIndex(1)
    click(qtbot, agenda.add_waiting_button)
    add = agenda.dialog
    qtbot.keyClicks(add.search.search, "garnier")
    add.search.run_search()
    add.urgency.setCurrentIndex(1)
    qtbot.keyClicks(add.preferences, "le mardi matin")
    click(qtbot, add.ok)
    assert agenda.waiting_model.rowCount() == 1
    assert agenda.side.tabText(1) == "Liste d'attente (1)"
    assert agenda.waiting_model.row_at(0).patient_name == "GARNIER Paul"

    dialog = agenda.activate(agenda.row_for(at(TUE, 9)))
    assert isinstance(dialog, AppointmentDialog)
    assert set(dialog.visible_actions()) == {"confirm", "cancel"}  # absent: not yet
    click(qtbot, dialog.action_buttons["cancel"])
    cancel = dialog.step_dialog
    assert isinstance(cancel, CancelAppointmentDialog)
    click(qtbot, cancel.ok)  # no reason: French message next to the field
    assert cancel.isVisible() and cancel.errors.messages().get("reason")
    cancel.by_clinic.setChecked(True)
    qtbot.keyClicks(cancel.reason, "Absence de l'assistante sociale")
    click(qtbot, cancel.ok)
    assert dialog.appointment.status is AppointmentStatus.CANCELLED_CLINIC
    assert agenda.row_for(at(TUE, 9)).free
    assert dialog.candidates.isVisible()
    assert dialog.candidates_model.row_at(0).patient_name == "GARNIER Paul"
    assert "Créneau libéré" in dialog.candidates_label.text()

    click(qtbot, dialog.book_candidate_button)
    booking = dialog.book_dialog
    assert booking.sources.currentIndex() == BookSlotDialog.WAITING
    click(qtbot, booking.ok)
    assert booking.appointment.patient_name == "GARNIER Paul"
    assert agenda.row_for(at(TUE, 9)).appointment.patient_name == "GARNIER Paul"
    assert agenda.waiting_model.rowCount() == 0


# ---- the call list ------------------------------------------------------------------------
def test_call_list_marks_patients_called(qtbot, services, team, session, make_patient, clock):
    first = make_patient("Lefort", "Marie", phone="06 12 34 56 78")
    second = make_patient("Garnier", "Paul")
    book(services, team, first, at(TUE, 9))
    book(services, team, second, at(TUE, 10))
    clock.now = EVE_OF_TUE  # Monday: tomorrow's patients
    agenda = agenda_for(qtbot, services, team.secretary)
    dialog = agenda.open_calls()
    assert isinstance(dialog, CallListDialog)
    assert dialog.day.date().toPython() == TUE
    assert "2 rendez-vous, 2 patients à appeler" in dialog.title.text()
    model = dialog.model
    assert [model.row_at(r).patient_name for r in range(2)] == ["LEFORT Marie", "GARNIER Paul"]
    assert model.data(model.index(0, model.PHONE)) == "06 12 34 56 78"
    assert model.data(model.index(1, model.CALLED)) == "à appeler"
    click(qtbot, dialog.reached)  # Marie: reached, confirmed
    assert model.row_at(0).called_at is not None
    assert model.row_at(0).status is AppointmentStatus.CONFIRMED
    click(qtbot, dialog.not_reached)  # the selection moved on to Paul
    assert model.row_at(1).called_at is not None
    assert model.row_at(1).status is AppointmentStatus.BOOKED
    assert "0 patient à appeler" in dialog.title.text()
    assert agenda.row_for(at(TUE, 9)).appointment.status is AppointmentStatus.CONFIRMED


# ---- the sessions editor ------------------------------------------------------------------
def test_sessions_editor_validation_and_cancelling_a_day(
    qtbot, services, team, session, make_patient
):
    book(services, team, make_patient("Lefort", "Marie"), at(TUE, 9))
    dialog = SessionsDialog(services, team.coordinator)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert "Un mardi sur deux, 9 h – 12 h" in dialog.model.data(dialog.model.index(0, 1))
    click(qtbot, dialog.new_button)
    form = dialog.form
    assert isinstance(form, SessionFormDialog)
    form.weekday.setCurrentIndex(3)  # Thursday: the first date follows
    assert form.first_date.date().toPython().weekday() == 3
    form.opens.setTime(QTime(14, 0))
    form.closes.setTime(QTime(12, 0))
    click(qtbot, form.ok)
    assert form.isVisible()
    assert "L'heure de fin doit suivre l'heure de début." in form.errors.messages()["opens"]
    assert form.errors.labels["opens"].isVisible()
    form.closes.setTime(QTime(17, 0))
    form.slot_minutes.setValue(45)
    qtbot.keyClicks(form.room, "salle 3")
    click(qtbot, form.ok)
    assert dialog.form is None
    summaries = [dialog.model.data(dialog.model.index(r, 1)) for r in range(2)]
    assert any("Chaque jeudi, 14 h – 17 h, salle 3, créneaux de 45 min" in s for s in summaries)

    # Cancelling a day with an appointment asks to cancel it too.
    dialog.table.selectRow(dialog.model.row_of(session.id))
    click(qtbot, dialog.cancel_day_button)
    day = dialog.day_dialog
    assert isinstance(day, DayDialog)
    day.day.setDate(QDate(TUE))
    assert day.booked == 1 and day.with_appointments.isVisible()
    assert day.with_appointments.text().replace("&", "") == (  # a mnemonic may be added
        "Annuler aussi le rendez-vous de ce jour (le patient sera à prévenir)"
    )
    qtbot.keyClicks(day.reason, "Formation")
    click(qtbot, day.ok)
    assert day.isVisible() and "cochez la case" in day.errors.messages()["day"]
    assert day.errors.messages()["day"].startswith("Un rendez-vous est pris ce jour-là")
    day.with_appointments.setChecked(True)
    click(qtbot, day.ok)
    assert dialog.day_dialog is None
    assert "Formation" in dialog.exceptions.item(0).text()
    cancelled = services.scheduling.call_list(team.secretary, TUE)
    assert [a.status for a in cancelled] == [AppointmentStatus.CANCELLED_CLINIC]


def test_a_social_worker_edits_only_her_own_sessions(qtbot, services, team, session):
    dialog = SessionsDialog(services, team.social_worker)
    qtbot.addWidget(dialog)
    assert dialog.can_edit and dialog.model.rowCount() == 1
    dialog.new_session()
    assert not dialog.form.professional.isEnabled()
    assert dialog.form.professional.currentData() == team.social_worker.user_id
    dialog.form.reject()
    secretary = SessionsDialog(services, team.secretary)
    qtbot.addWidget(secretary)
    assert not secretary.can_edit and secretary.new_button.isHidden()


# ---- iCalendar ----------------------------------------------------------------------------
def test_icalendar_export_is_saved_and_parses(
    qtbot, services, team, session, make_patient, monkeypatch, tmp_path
):
    book(services, team, make_patient("Lefort", "Marie"), at(TUE, 9))
    agenda = agenda_for(qtbot, services, team.social_worker)
    dialog = agenda.open_export()
    dialog.end.setDate(QDate(TUE + timedelta(days=20)))
    target = tmp_path / "agenda.ics"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a, **_k: target)
    click(qtbot, dialog.ok)
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert events
    assert any("LEFORT Marie" in str(e.get("SUMMARY")) for e in events)
    assert all(JOB_REASON not in str(e.get("DESCRIPTION", "")) for e in events)


@pytest.mark.parametrize("role", ["paramedical", "coordinator"])
def test_other_roles_read_the_agenda_only(qtbot, services, team, session, make_patient, role):
    book(services, team, make_patient("Lefort", "Marie"), at(TUE, 9))
    agenda = agenda_for(qtbot, services, getattr(team, role))
    assert not agenda.can_book and agenda.side is None and agenda.calls_button.isHidden()
    assert "Motif" not in headers(agenda.day_model)
    assert agenda.row_for(at(TUE, 9)).appointment.patient_name == "LEFORT Marie"
    assert agenda.activate(agenda.row_for(at(TUE, 10))) is None
    dialog = agenda.activate(agenda.row_for(at(TUE, 9)))
    assert dialog.visible_actions() == [] and dialog.print_button.isHidden()
    dialog.accept()


def test_social_worker_fixes_the_appointment_from_her_referral(
    qtbot, window, services, team, session, make_patient, passwords
):
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)
    services.referrals.acknowledge(team.social_worker, rid)
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = workspace.open_referral(patient, rid)
    settle(qtbot, file)
    detail = file.referrals_tab.detail
    assert "book" in detail.visible_actions()
    click(qtbot, detail.action_buttons["book"])
    picker = detail.slot_picker
    assert isinstance(picker, SlotPickerDialog)  # her sessions: the slot picker
    click(qtbot, picker.ok)
    assert picker.appointment.starts_at == at(TUE, 9)
    assert detail.view.status is ReferralStatus.APPOINTMENT_BOOKED
    click(qtbot, picker.findChild(QPushButton, "bookedClose"))


def test_a_freed_slot_shows_its_candidates_in_sight(qtbot, services, team, session, make_patient):
    """After a cancellation the appointment's dialog grows to show up to four candidates of
    the waiting list, whole, not one row squeezed by the dialog's first size."""
    first = make_patient("Lefort", "Marie")
    book(services, team, first, at(TUE, 9))
    for name in ("Garnier", "Morel", "Petit", "Roux", "Blanc"):
        services.scheduling.add_to_waiting_list(
            team.secretary,
            patient_id=make_patient(name, "Paul"),
            professional_id=team.social_worker.user_id,
        )
    agenda = agenda_for(qtbot, services, team.secretary)
    dialog = agenda.activate(agenda.row_for(at(TUE, 9)))
    assert isinstance(dialog, AppointmentDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click(qtbot, dialog.action_buttons["cancel"])
    cancel = dialog.step_dialog
    cancel.by_clinic.setChecked(True)
    qtbot.keyClicks(cancel.reason, "Absence de l'assistante sociale")
    click(qtbot, cancel.ok)
    table = dialog.candidates
    assert table.isVisible() and dialog.candidates_model.rowCount() == 5
    qtbot.waitUntil(lambda: table.rowViewportPosition(3) + table.rowHeight(3) > 0)
    bottom = table.rowViewportPosition(3) + table.rowHeight(3)
    assert bottom <= table.viewport().height()  # four rows whole in sight
    assert table.horizontalScrollBar().maximum() == 0  # and every column
    dialog.accept()


def test_inbox_items_open_the_agenda_and_the_patients_appointments(
    qtbot, window, services, team, session, make_patient, passwords
):
    first, waiting = make_patient("Lefort", "Marie"), make_patient("Garnier", "Paul")
    appointment = book(services, team, first, at(TUE, 9))
    services.scheduling.add_to_waiting_list(
        team.secretary, patient_id=waiting, professional_id=team.social_worker.user_id
    )
    services.scheduling.cancel(team.secretary, appointment.id, by_patient=True, reason="Malade")
    social = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    freed = next(i for i in services.inbox.items(social.actor) if i.kind == "slot_freed")
    social.open_source_item(freed)
    assert social.agenda is not None and social.files.currentWidget() is social.agenda

    day = TUE3
    later = book(services, team, first, at(day, 9))
    services.scheduling.cancel_day(
        team.coordinator, session.id, day, "Congés", cancel_appointments=True
    )
    click(qtbot, social.switch_button)
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    to_call = next(
        i for i in services.inbox.items(secretary.actor) if i.kind == "appointment_to_call"
    )
    assert to_call.id == later.id
    file = secretary.open_source_item(to_call)
    assert file.tabs.currentWidget() is file.appointments_tab
    assert file.appointments_tab.model.row_at(0).status is AppointmentStatus.CANCELLED_CLINIC


def test_removing_from_the_waiting_list(qtbot, services, team, session, make_patient):
    patient = make_patient("Garnier", "Paul")
    services.scheduling.add_to_waiting_list(
        team.secretary, patient_id=patient, professional_id=team.social_worker.user_id
    )
    agenda = agenda_for(qtbot, services, team.secretary)
    assert agenda.waiting_model.rowCount() == 1
    agenda.side.setCurrentIndex(1)
    click(qtbot, agenda.remove_waiting_button)
    assert agenda.waiting_model.rowCount() == 0
    assert services.scheduling.waiting_list(team.secretary, team.social_worker.user_id) == []


def test_agenda_models_pass_the_model_tester(
    qtmodeltester, qtbot, services, team, session, make_patient, clock
):
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)
    book(services, team, patient, at(TUE, 9), referral_id=rid)
    services.scheduling.add_to_waiting_list(
        team.secretary,
        patient_id=make_patient("Garnier", "Paul"),
        professional_id=team.social_worker.user_id,
    )
    agenda = agenda_for(qtbot, services, team.social_worker)
    qtmodeltester.check(agenda.day_model, force_py=True)
    agenda.set_mode("week")
    qtmodeltester.check(agenda.week_model, force_py=True)
    qtmodeltester.check(agenda.waiting_model, force_py=True)
    secretary = agenda_for(qtbot, services, team.secretary)
    qtmodeltester.check(secretary.to_schedule_model, force_py=True)
    clock.now = EVE_OF_TUE  # the call list of TUE
    calls = secretary.open_calls()
    qtmodeltester.check(calls.model, force_py=True)
    sessions = secretary.open_sessions()
    qtmodeltester.check(sessions.model, force_py=True)


# ---- keyboard, columns, urgency (issue 14) -------------------------------------------------
def test_the_slot_picker_is_driven_by_the_arrow_keys(qtbot, services, team, session, make_patient):
    """Down from a day's last slot goes to the next day's first slot (the day line is
    skipped), Up comes back; Return books the chosen slot."""
    patient = make_patient("Lefort", "Marie")
    picker = SlotPickerDialog(
        services,
        team.secretary,
        patient_id=patient,
        patient_name="LEFORT Marie",
        professional_id=team.social_worker.user_id,
    )
    qtbot.addWidget(picker)
    picker.show()
    picker.start.setDate(QDate(TUE))
    last_of_first_day = picker.slot_items()[5]  # 9:00 … 11:30: six slots a day
    picker.tree.setCurrentItem(last_of_first_day)
    picker.tree.setFocus()
    qtbot.keyClick(picker.tree, Qt.Key.Key_Down)
    assert picker.selected_slot().starts_at == at(TUE2, 9)
    qtbot.keyClick(picker.tree, Qt.Key.Key_Up)
    assert picker.selected_slot().starts_at == at(TUE, 11, 30)
    assert picker.ok.isEnabled() and picker.ok.isDefault()
    qtbot.keyClick(picker.tree, Qt.Key.Key_Return)
    assert picker.pages.currentIndex() == 1
    assert picker.appointment.starts_at == at(TUE, 11, 30)


def test_agenda_lists_leave_with_tab_and_book_with_return(
    qtbot, services, team, session, make_patient
):
    rid = send_referral(services, team, make_patient("Lefort", "Marie"))
    agenda = agenda_for(qtbot, services, team.secretary)
    for view in (agenda.to_schedule, agenda.waiting, agenda.day_table, agenda.week_table):
        assert not view.tabKeyNavigation(), view.objectName()
    agenda.to_schedule.setFocus()
    agenda.to_schedule.selectRow(0)
    qtbot.keyClick(agenda.to_schedule, Qt.Key.Key_Return)
    picker = agenda.dialog
    assert isinstance(picker, SlotPickerDialog) and picker.referral_id == rid
    picker.reject()
    # The menu bar's « Fixer un rendez-vous… »: the selected row (the first one if none).
    agenda.to_schedule.clearSelection()
    dialog = agenda.book_selected()
    assert isinstance(dialog, SlotPickerDialog) and dialog.referral_id == rid
    dialog.reject()
    reader = agenda_for(qtbot, services, team.gp)
    assert reader.book_selected() is None


def test_urgency_beside_the_agenda_is_readable_without_colour(
    qtbot, services, team, session, make_patient
):
    """The « Urgence » column shows a sign and a word (colour is never the only signal),
    short enough to be shown whole: every column is as wide as its content."""
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=make_patient("Lefort", "Marie"),
            reason=ReferralReason.JOB_RETENTION,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
            urgency="emergency",
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    send_referral(services, team, make_patient("Garnier", "Paul"))
    agenda = agenda_for(qtbot, services, team.secretary)
    model, table = agenda.to_schedule_model, agenda.to_schedule
    urgency = [model.data(model.index(r, model.URGENCY)) for r in range(model.rowCount())]
    assert urgency == ["⚠⚠ Situation d'urgence", "Normale"]  # the emergency first
    tip = model.data(model.index(0, model.URGENCY), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Situation d'urgence (le jour même)"
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        if column != model.PATIENT:
            assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    assert table.viewport().width() >= header.length() - 1  # nothing cut at the right


def test_alt_arrows_move_the_agenda_by_day_or_week(qtbot, services, team, session):
    agenda = agenda_for(qtbot, services, team.secretary)
    agenda.activateWindow()
    qtbot.waitUntil(agenda.isActiveWindow)
    agenda.day_table.setFocus()
    qtbot.keyClick(agenda.day_table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert agenda.day == TUE + timedelta(days=1)
    agenda.set_mode("week")
    qtbot.keyClick(agenda.week_table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert agenda.day == TUE + timedelta(days=1) - timedelta(weeks=1)


def test_the_selected_referral_stays_selected_when_the_lists_refresh(
    qtbot, services, team, session, make_patient
):
    first = send_referral(services, team, make_patient("Lefort", "Marie"))
    second = send_referral(services, team, make_patient("Garnier", "Paul"))
    agenda = agenda_for(qtbot, services, team.secretary)
    model = agenda.to_schedule_model
    assert [model.row_at(r).id for r in range(2)] == [second, first]  # the newest first
    agenda.to_schedule.selectRow(1)
    agenda.reload()  # as the live refresh does when another workstation changes something
    [index] = agenda.to_schedule.selectionModel().selectedRows()
    assert model.row_at(index.row()).id == first


def test_the_social_workers_own_agenda_shows_whole_beside_her_list(
    qtbot, services, team, session, make_patient
):
    """Her day has a seventh column (« Motif ») beside her referrals to schedule: the day
    takes the width it needs from the side panel, which drops « Pour » (every referral there
    is hers), and neither scrolls sideways. The secretary's list keeps « Pour »."""
    phone = {"phone": "0773846935"}
    patient = make_patient("Lemonnier", "Maëlys", used_name="André-Lemonnier", **phone)
    rid = send_referral(services, team, patient)
    cancelled = book(services, team, patient, at(TUE, 9), referral_id=rid)
    services.scheduling.cancel(team.secretary, cancelled.id, by_patient=False, reason="Absente")
    book(services, team, patient, at(TUE, 9, 30), referral_id=rid)
    other = make_patient("Lévêque", "Zoé Maëlys", **phone)
    other_referral = send_referral(services, team, other)
    called = book(services, team, other, at(TUE, 10), referral_id=other_referral)
    services.scheduling.mark_called(team.secretary, called.id, confirmed=True)
    send_referral(services, team, make_patient("Bernard", "Annick Renée"))
    social = agenda_for(qtbot, services, team.social_worker)
    social.resize(1500, 860)
    settle(qtbot, social)
    day, side = social.day_table, social.to_schedule
    qtbot.waitUntil(lambda: day.horizontalHeader().length() <= day.viewport().width())
    assert side.isColumnHidden(ToScheduleModel.WITH)
    assert side.horizontalHeader().length() <= side.viewport().width()
    # « Motif » gives way, cut short: the whole reason is in its tooltip.
    model = social.day_model
    line = model.rows().index(social.row_for(at(TUE, 9, 30)))
    cell = model.index(line, model.column_of(DayModel.REASON))
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == JOB_REASON
    secretary = agenda_for(qtbot, services, team.secretary)
    assert not secretary.to_schedule.isColumnHidden(ToScheduleModel.WITH)
