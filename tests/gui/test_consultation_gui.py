"""The social worker's consultation through the widgets: the « Suivi social » tab (assessment,
history, action plan), its absence for every other role, and closing a consultation from its
appointment (seen, referral « patient reçu », feedback to the GP)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from gui_helpers import login, visible_texts
from PySide6.QtCore import QDate, QPoint, Qt

from app.models.enums import Role
from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus
from app.services.scheduling.records import AppointmentStatus, SessionInput
from app.services.social.records import ActionKind, AssessmentInput, SocialActionInput
from app.views.social.action_plan import ActionsModel
from app.views.social.assessment_form import VersionsModel
from app.views.social.consultation_screen import (
    SOCIAL_FOLLOW_UP_TAB,
    ConsultationScreen,
    open_consultation,
)
from app.views.social.follow_up_tab import SocialFollowUpTab
from app.views.social.ports import SocialPorts

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
USERNAMES = {
    Role.GP: "dr.durand",
    Role.PARAMEDICAL: "ide.bernard",
    Role.SECRETARY: "sec.roux",
    Role.COORDINATOR: "coord",
}


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)


def test_social_worker_fills_the_assessment_and_adds_an_action(
    qtbot, window, services, team, make_patient, passwords, clock, qtmodeltester
):
    patient = make_patient("Lenoir", "Marie", sex="F")
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    assert "Suivi social" in file.tab_titles()
    assert file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    tab = file.social_tab
    assert isinstance(tab, SocialFollowUpTab)
    form = tab.screen_widget.form
    assert "Aucune évaluation" in form.status.text()

    form.set_choice("work", "status", "employee")
    form.set_choice("work", "job_loss_risk", "high")
    rsa = form.multis[("resources", "minima")]["rsa"]
    qtbot.mouseClick(rsa, LEFT, pos=QPoint(8, rsa.height() // 2))  # on the box itself
    qtbot.keyClicks(form.lines[("work", "employer")], "Garage du Centre")
    qtbot.keyClicks(form.lines[("work", "sick_leave_since")], "31/02/2026")
    qtbot.keyClicks(form.texts["housing"], "Troisieme etage sans ascenseur.")
    click(qtbot, form.save_button)  # a wrong date: French error under the field
    assert "date incorrecte" in form.errors.messages()["work.sick_leave_since"]
    assert services.consultations.history(team.social_worker, patient) == []
    form.lines[("work", "sick_leave_since")].clear()
    qtbot.keyClicks(form.lines[("work", "sick_leave_since")], "03/09/2026")
    click(qtbot, form.save_button)
    assert "Version 1" in form.status.text() and "Sophie Moreau" in form.status.text()
    saved = services.consultations.assessment(team.social_worker, patient)
    assert saved.value("work", "employer") == "Garage du Centre"
    assert saved.value("resources", "minima") == ("rsa",)
    assert saved.value("work", "sick_leave_since") == "2026-09-03"
    assert saved.texts == {"housing": "Troisieme etage sans ascenseur."}

    clock.advance(days=20)
    form.set_choice("work", "job_loss_risk", "medium")
    click(qtbot, form.save_button)
    assert "Version 2" in form.status.text()
    # Reopened later: the form opens on the latest version.
    form.reload()
    assert form.choices[("work", "job_loss_risk")].currentData() == "medium"
    assert form.lines[("work", "sick_leave_since")].text() == "03/09/2026"

    screen = tab.screen_widget
    screen.tabs.setCurrentWidget(screen.history)
    history = screen.history
    qtmodeltester.check(history.model)
    assert history.model.rowCount() == 2
    assert history.model.data(history.model.index(0, VersionsModel.NUMBER)) == "2"
    changes = history.changes.toPlainText()
    assert "Travail et arrêt maladie" in changes
    assert "Risque de désinsertion professionnelle : « Élevé » → « Modéré »" in changes
    assert "Garage du Centre" in history.content.toPlainText()

    # ---- the action plan ----------------------------------------------------------------
    screen.tabs.setCurrentWidget(screen.actions)
    plan = screen.actions
    assert plan.model.rowCount() == 0
    click(qtbot, plan.new_button)
    dialog = plan.dialog
    assert dialog is not None
    click(qtbot, dialog.ok)  # no kind chosen: French error
    assert dialog.isVisible() and dialog.errors.messages().get("kind")
    dialog.kind.setCurrentIndex(dialog.kind.findData(str(ActionKind.C2S)))
    cpam = next(p for p in services.partners.list(team.social_worker) if p.kind == "cpam")
    dialog.partner.setCurrentIndex(dialog.partner.findData(cpam.id))
    dialog.due.check.setChecked(True)
    due = clock().date() + timedelta(days=15)
    dialog.due.edit.setDate(QDate(due.year, due.month, due.day))
    qtbot.keyClicks(dialog.detail, "Avis d imposition demande.")
    click(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: plan.dialog is None)
    qtmodeltester.check(plan.model)
    assert plan.model.rowCount() == 1
    row = plan.model.row_at(0)
    assert row.kind is ActionKind.C2S and row.partner_id == cpam.id and row.due_on == due
    assert plan.model.data(plan.model.index(0, ActionsModel.STATUS)) == "À faire"
    assert plan.model.data(plan.model.index(0, ActionsModel.KIND)) == (
        "Demande de complémentaire santé solidaire (CPAM)"
    )
    plan.table.selectRow(0)
    click(qtbot, plan.done_button)
    assert plan.model.row_at(0).status_label == "Terminée"


def test_overdue_action_is_red_and_comes_back_in_the_inbox(
    qtbot, window, services, team, make_patient, passwords, clock
):
    patient = make_patient("Lenoir", "Marie", sex="F")
    services.consultations.add_action(
        team.social_worker,
        patient,
        SocialActionInput(ActionKind.MDPH, due_on=clock().date() - timedelta(days=2)),
    )
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    sw.refresh_inbox()
    click(qtbot, sw.inbox_button)
    inbox = sw.inbox_dialog
    qtbot.waitUntil(lambda: not inbox.loading)  # read on the task runner
    items = [inbox.model.item(r) for r in range(inbox.model.rowCount())]
    row = next(r for r, i in enumerate(items) if i.kind == "social_action_overdue")
    item = items[row]
    assert item.text.startswith("Dossier MDPH : échéance du") and item.patient_id == patient
    # Opening it: marked read, the file opens on « Suivi social ».
    rect = inbox.table.visualRect(inbox.model.index(row, 0))
    qtbot.mouseClick(inbox.table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(inbox.table.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: sw.inbox_dialog is None)
    file = sw.file_for(patient)
    assert file is not None and file.tabs.currentWidget() is file.social_tab
    mine = services.inbox.items(team.social_worker)
    assert next(i for i in mine if i.source == item.source and i.id == item.id).read
    plan = file.social_tab.screen_widget.actions
    plan.ensure_loaded()
    assert plan.model.data(plan.model.index(0, ActionsModel.STATUS)).endswith("en retard")
    assert plan.model.data(plan.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert "dont 1 en retard" in plan.message.text()


@pytest.mark.parametrize("role", list(USERNAMES))
def test_other_roles_have_no_social_follow_up(
    qtbot, window, services, team, make_patient, passwords, role
):
    patient = make_patient("Lenoir", "Marie", sex="F")
    services.consultations.save_assessment(
        team.social_worker,
        patient,
        AssessmentInput({"work": {"employer": "Employeur confidentiel"}}),
        based_on=None,
    )
    services.consultations.add_action(
        team.social_worker, patient, SocialActionInput(ActionKind.FSL, detail="Détail secret")
    )
    username = USERNAMES[role]
    workspace = login(qtbot, window, username, passwords(username))
    file = workspace.open_patient(patient)
    assert SOCIAL_FOLLOW_UP_TAB not in file.tab_keys()
    assert "Suivi social" not in file.tab_titles()
    assert file.social_tab is None
    assert file.findChild(SocialFollowUpTab) is None
    assert file.findChild(ConsultationScreen) is None
    assert open_consultation(file, SocialPorts.of(services), workspace.actor, patient) is None
    texts = visible_texts(window)
    for secret in ("Employeur confidentiel", "Détail secret", "Évaluation sociale", "FSL"):
        assert secret not in texts


def _referred_and_booked(services, team, make_patient, liaison_consent, clock):
    """A referral from the GP, a session of the social worker, an appointment booked on it."""
    patient = make_patient("Lenoir", "Marie", sex="F")
    liaison_consent(patient)
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason=ReferralReason.COMPLEMENTARY_INSURANCE,
            message="Sans complémentaire depuis juin.",
            receiver_id=team.social_worker.user_id,
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    services.referrals.acknowledge(team.social_worker, view.id)
    today = clock().date()
    first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    services.scheduling.create_session(
        team.social_worker,
        SessionInput(
            professional_id=team.social_worker.user_id,
            label="Permanence CARSAT",
            place="MSP des Tilleuls",
            room="Bureau 2",
            weekday=1,
            opens=time(9, 0),
            closes=time(12, 0),
            slot_minutes=30,
            every_weeks=1,
            first_date=first,
            last_date=None,
        ),
    )
    slots = services.scheduling.free_slots(team.secretary, team.social_worker.user_id, start=first)
    slot = slots[0]
    appointment = services.scheduling.book(
        team.secretary,
        patient_id=patient,
        professional_id=team.social_worker.user_id,
        starts_at=slot.starts_at,
        referral_id=view.id,
    )
    return patient, view.id, appointment


def test_closing_the_consultation_marks_seen_and_offers_feedback(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, clock
):
    patient, referral_id, appointment = _referred_and_booked(
        services, team, make_patient, liaison_consent, clock
    )
    clock.now = appointment.starts_at + timedelta(minutes=5)
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    dialog = open_consultation(
        sw, SocialPorts.of(services), sw.actor, patient, appointment_id=appointment.id
    )
    assert dialog is not None
    qtbot.addWidget(dialog)
    screen = dialog.screen_widget
    # The referral's reason and message, the situation at a glance.
    assert "Sans complémentaire depuis juin." in screen.referral_box.toPlainText()
    glance = screen.glance.text()
    assert "LENOIR Marie" in glance and "non excusée" in glance
    assert "Rendez-vous du" in glance
    # The assessment saved during the consultation is tied to its appointment.
    screen.form.set_choice("coverage", "complementary", "none")
    click(qtbot, screen.form.save_button)
    assert screen.form.latest.version.appointment_id == appointment.id

    click(qtbot, screen.close_button)
    seen = services.scheduling.appointment(team.social_worker, appointment.id)
    assert seen.status is AppointmentStatus.SEEN
    assert services.referrals.get(team.social_worker, referral_id).status is ReferralStatus.SEEN
    assert screen.close_button.isHidden()
    assert "patient reçu" in screen.close_state.text()
    feedback = screen.feedback_dialog
    assert feedback is not None and feedback.isVisible()
    qtbot.keyClicks(feedback.text, "Dossier C2S depose ce jour.")
    click(qtbot, feedback.ok)
    qtbot.waitUntil(lambda: screen.feedback_dialog is None)
    assert "Retour envoyé" in screen.close_state.text()
    assert services.referrals.get(team.gp, referral_id).feedback == "Dossier C2S depose ce jour."


def test_start_consultation_from_the_tab_finds_the_appointment(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, clock
):
    patient, _referral_id, appointment = _referred_and_booked(
        services, team, make_patient, liaison_consent, clock
    )
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = sw.open_patient(patient)
    file.select_tab(SOCIAL_FOLLOW_UP_TAB)
    click(qtbot, file.social_tab.start_button)
    dialog = file.social_tab.consultation_dialog
    assert dialog is not None and dialog.isVisible()
    screen = dialog.screen_widget
    assert screen.appointment is not None and screen.appointment.id == appointment.id
    assert screen.referral is not None
    assert screen.close_button.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: file.social_tab.consultation_dialog is None)


def test_no_appointment_means_nothing_to_close(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient()
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    dialog = open_consultation(sw, SocialPorts.of(services), sw.actor, patient)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.screen_widget.close_button.isHidden()
    assert "sans rendez-vous" in dialog.screen_widget.close_state.text()
