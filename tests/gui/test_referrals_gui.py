"""Consent, referrals, the orientation guide and the partners directory, through the widgets."""

from __future__ import annotations

import pytest
from gui_helpers import login, settle, visible_texts
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from suite_clock import TODAY, dmy

from app.clock import clinic_today
from app.services.partners.records import PartnerInput
from app.services.patient_file.records import ConsentScope
from app.services.referrals.orientation_guide import Need
from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus, SharedItem
from app.views.admin.partners_dialog import ContactsModel, PartnersDialog, PartnersModel
from app.views.patient_file.consent_panel import ConsentDialog
from app.views.referrals.orientation_dialog import ProposalsModel
from app.views.referrals.referral_dialog import CLINIC, ReferralDialog
from app.views.referrals.referrals_model import ReferralEventsModel, ReferralsModel
from app.views.shell.workspace import Workspace

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def click(qtbot, button) -> None:
    settle(qtbot, button)  # what the screen was reading is shown
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)
    settle(qtbot, button)  # the service call the click made (on the task runner) is done


def double_click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), LEFT, pos=rect.center())


def switch_to(qtbot, window, workspace: Workspace, username: str, password: str) -> Workspace:
    click(qtbot, workspace.switch_button)
    return login(qtbot, window, username, password)


def test_gp_refers_social_worker_books_and_closes_gp_sees_feedback(
    qtbot, window, services, team, make_patient, liaison_consent, passwords, clock
):
    patient = make_patient("Dupré", "Jean")
    liaison_consent(patient)
    note = services.notes.add(team.gp, patient, "liaison", "Loyer impayé depuis 3 mois")
    services.notes.add(team.gp, patient, "liaison", "Autre note sans rapport")

    # ---- the GP refers --------------------------------------------------------------------
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.referrals_tab is not None
    file.select_tab("referrals")
    click(qtbot, file.referrals_tab.new_button)
    dialog = file.referral_dialog
    assert isinstance(dialog, ReferralDialog)
    assert dialog.kind.currentData() == CLINIC
    assert dialog.destination.currentText() == "Sophie Moreau"
    # Nothing ticked before the reason; the reason ticks what it usually needs.
    assert not any(box.isChecked() for box in dialog.item_boxes.values())
    assert dialog.checked_notes() == ()
    dialog.set_reason(ReferralReason.HOUSING)
    settle(qtbot, dialog)  # the reason's usual items are read on the task runner
    ticked = {item for item, box in dialog.item_boxes.items() if box.isChecked()}
    assert ticked == {SharedItem.CONTACT, SharedItem.ADDRESS}
    click(qtbot, dialog.item_boxes[SharedItem.ADDRESS])  # the sender keeps what is needed
    qtbot.keyClicks(dialog.message, "Loyers impayes, risque d'expulsion.")
    dialog.set_note_checked(note.id)
    # One action sends and states the patient's agreement (no second dialog).
    assert "le patient est d'accord" in dialog.send_button.text().replace("&", "")
    click(qtbot, dialog.send_button)
    qtbot.waitUntil(lambda: file.referral_dialog is None)
    tab = file.referrals_tab
    assert tab.model.rowCount() == 1
    summary = tab.model.row_at(0)
    assert summary.status is ReferralStatus.SENT
    assert tab.detail.view is not None and tab.detail.view.allowed_actions == ["cancel"]
    assert "Loyer impayé depuis 3 mois" in tab.detail.body.toPlainText()
    assert "Autre note sans rapport" not in tab.detail.body.toPlainText()

    # ---- the social worker sees it in her inbox --------------------------------------------
    clock.advance(hours=2)
    sw = switch_to(qtbot, window, gp, "as.moreau", passwords("as.moreau"))
    sw.refresh_inbox()
    assert sw.unread >= 1 and "Messages (" in sw.inbox_button.text().replace("&", "")
    click(qtbot, sw.inbox_button)
    inbox = sw.inbox_dialog
    qtbot.waitUntil(lambda: not inbox.loading)  # read on the task runner
    rows = [inbox.model.item(r) for r in range(inbox.model.rowCount())]
    row = next(i for i, item in enumerate(rows) if item.kind == "referral_new")
    assert rows[row].referral_id == summary.id and not rows[row].read
    assert inbox.model.data(inbox.model.index(row, 1)).startswith("●")
    double_click_row(qtbot, inbox.table, row)
    qtbot.waitUntil(lambda: sw.inbox_dialog is None)
    settle(qtbot, sw)
    sw_file = sw.file_for(patient)
    assert sw_file is not None and sw_file.tabs.currentWidget() is sw_file.referrals_tab
    detail = sw_file.referrals_tab.detail
    assert detail.view is not None and detail.view.id == summary.id
    assert "Loyers impayes" in detail.body.toPlainText()
    assert set(detail.visible_actions()) == {
        "acknowledge",
        "book",
        "reorient",
    }  # book: acknowledged with it

    click(qtbot, detail.action_buttons["acknowledge"])
    assert detail.view.status is ReferralStatus.RECEIVED
    clock.advance(hours=1)
    click(qtbot, detail.action_buttons["book"])
    book = detail.step_dialog
    click(qtbot, book.ok)
    assert detail.view.status is ReferralStatus.APPOINTMENT_BOOKED
    clock.advance(days=3)
    click(qtbot, detail.action_buttons["close"])
    close = detail.step_dialog
    click(qtbot, close.ok)  # no outcome: French error next to the field
    assert close.isVisible() and close.errors.messages().get("outcome")
    qtbot.keyClicks(close.outcome.lineEdit(), "Prise en charge")
    qtbot.keyClicks(close.feedback, "Dossier FSL depose, visite le 12.")
    click(qtbot, close.ok)
    assert detail.view.status is ReferralStatus.CLOSED
    steps = [
        detail.events_model.data(detail.events_model.index(r, ReferralEventsModel.STEP))
        for r in range(detail.events_model.rowCount())
    ]
    assert steps[-1] == "Rendez-vous fixé → Clôturée" and len(steps) == 5

    # ---- the GP sees the feedback ---------------------------------------------------------
    gp = switch_to(qtbot, window, sw, "dr.durand", passwords("dr.durand"))
    gp.refresh_inbox()
    items = services.inbox.items(gp.actor)
    assert any(i.kind == "referral_feedback" and i.referral_id == summary.id for i in items)
    assert gp.open_referral(patient, summary.id) is file
    settle(qtbot, file)
    assert "Dossier FSL depose, visite le 12." in file.referrals_tab.detail.body.toPlainText()
    assert file.referrals_tab.detail.print_feedback_button.isVisible()


def test_secretary_sees_status_but_no_reason(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    social = services.accounts.find_user(team.coordinator, "as.moreau")
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient,
            ReferralReason.DOMESTIC_VIOLENCE,
            message="Violences rapportees par la patiente",
            receiver_id=social.id,
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = secretary.open_patient(patient)
    file.select_tab("referrals")
    settle(qtbot, file)
    tab = file.referrals_tab
    assert tab.model.rowCount() == 1 and not tab.new_button.isVisible()
    assert file.orient_button.isHidden()
    texts = visible_texts(window)
    assert "Envoyée" in texts and "Sophie Moreau" in texts
    assert "Violences" not in texts and "violence" not in texts.lower()
    assert "ne sont visibles que par son émetteur" in texts
    assert tab.detail.visible_actions() == []


def test_consent_recorded_from_panel_shows_at_a_glance(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert "Liaison</b> : <span style='color:#616161'>non recueilli" in file.consent_label.text()
    liaison = file.notes_tabs[ConsentScope.LIAISON]
    assert not liaison.notice.isHidden() and liaison.new_button.isHidden()
    file.select_tab("consents")
    tab = file.consents_tab
    click(qtbot, tab.record_button)
    dialog = tab.dialog
    assert isinstance(dialog, ConsentDialog) and not dialog.partner.isEnabled()
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: tab.dialog is None)
    assert f"accord donné le {dmy(TODAY)} (oral)" in file.consent_label.text()
    assert "#1b5e20" in file.consent_label.text()
    assert liaison.notice.isHidden() and not liaison.new_button.isHidden()
    assert tab.model.rowCount() == 1
    # A refusal of the CARSAT referral, recorded as such, in red.
    dialog = tab.ask_record(ConsentScope.REFERRAL_CARSAT)
    dialog.set_status("refused")
    click(qtbot, dialog.save_button)
    assert "Orientation CARSAT</b> : <span style='color:#b71c1c'>refus le" in (
        file.consent_label.text()
    )
    # Withdrawing a consent never given is refused next to the field.
    dialog = tab.ask_record(ConsentScope.PARTNER)
    dialog.set_status("withdrawn")
    click(qtbot, dialog.save_button)
    assert dialog.errors.messages().get("partner_id")
    dialog.reject()


def test_consent_form_then_signed_form(
    qtbot, window, services, team, make_patient, passwords, monkeypatch
):
    patient = make_patient("Dupré", "Jean")
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = secretary.open_patient(patient)
    file.select_tab("consents")
    tab = file.consents_tab
    assert not tab.signed_button.isEnabled()
    click(qtbot, tab.print_button)
    click(qtbot, tab.form_dialog.ok)
    qtbot.waitUntil(lambda: tab.preview is not None)  # generated on the task runner
    assert tab.form_dialog is None
    qtbot.waitUntil(lambda: tab.preview.rendered)  # pages rendered on the task runner
    assert tab.preview.page_labels
    tab.preview.accept()
    assert tab.signed_button.isEnabled()
    document_id = tab.printed[0]
    click(qtbot, tab.signed_button)
    record = services.consents.history(team.secretary, patient)[0]
    assert record.method == "signed_form" and record.document_id == document_id
    assert "(formulaire signé)" in file.consent_label.text()


def test_items_disabled_without_consent(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.open_referral_dialog()
    settle(qtbot, file)
    dialog = file.referral_dialog
    assert not dialog.notes_list.isEnabled()
    assert "n'a pas donné (ou a retiré) son accord" in dialog.items_explanation.text()
    assert dialog.items_explanation.isVisible()
    assert all(box.isEnabled() for box in dialog.item_boxes.values())
    dialog.reject()


def test_guide_prefills_referral(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Dupré", "Jean", birth_date="15/03/1950")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    click(qtbot, file.orient_button)
    guide = file.guide_dialog
    qtbot.waitExposed(guide)
    # Born 15/03/1950: the age on the clinic's today.
    assert guide.age.value() == TODAY.year - 1950 - ((TODAY.month, TODAY.day) < (3, 15))
    guide.set_activity("retired")
    guide.set_gir(5)
    click(qtbot, guide.need_boxes[Need.RETURN_HOME])
    first = guide.proposals()[0]
    assert first.service == "carsat" and first.rule == "C2"
    rule = guide.model.data(guide.model.index(0, ProposalsModel.RULE))
    assert rule == "C2"
    click(qtbot, guide.orient_button)
    dialog = file.referral_dialog
    assert dialog is not None and dialog.kind.currentData() == CLINIC
    assert dialog.destination.currentText() == "Sophie Moreau"
    assert dialog.reason.currentData() == ReferralReason.RETURN_HOME
    assert "règle C2" in dialog.rule_label.text()
    dialog.reject()
    # An emergency for a partner kind: the partner of that kind is proposed.
    click(qtbot, file.orient_button)
    guide = file.guide_dialog
    qtbot.waitExposed(guide)
    box = guide.need_boxes[Need.DOMESTIC_VIOLENCE]
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
    assert guide.proposals()[0].urgent
    click(qtbot, guide.orient_button)
    dialog = file.referral_dialog
    assert dialog.kind.currentData() == "violence_3919"
    assert dialog.urgency.currentData() == "emergency"
    assert dialog.reason.currentData() == ReferralReason.DOMESTIC_VIOLENCE
    dialog.reject()


def test_partners_directory_edit_and_conflict(qtbot, window, services, team, passwords):
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    click(qtbot, secretary.partners_button)
    dialog = secretary.partners_dialog
    assert isinstance(dialog, PartnersDialog) and dialog.can_edit
    assert dialog.model.rowCount() > 5  # pre-filled kinds
    click(qtbot, dialog.new_button)
    qtbot.keyClicks(dialog.phone, "12")
    click(qtbot, dialog.save_button)
    shown = dialog.errors.messages()
    assert "name" in shown and "phone" in shown
    qtbot.keyClicks(dialog.name, "CCAS de Bois-Guillaume")
    dialog.kind.setCurrentIndex(dialog.kind.findData("ccas"))
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "02 35 00 00 00")
    qtbot.keyClicks(dialog.communes, "Bois-Guillaume")
    click(qtbot, dialog.save_button)
    assert dialog.current is not None and dialog.current.name == "CCAS de Bois-Guillaume"
    qtbot.keyClicks(dialog.contact_name, "Mme Leroy")
    click(qtbot, dialog.contact_social)
    click(qtbot, dialog.save_contact_button)
    assert [c.name for c in dialog.current.contacts] == ["Mme Leroy"]
    # Someone else saves meanwhile: the conflict is shown, nothing overwritten.
    current = dialog.current
    services.partners.update(
        team.social_worker, current.id, PartnerInput(current.name, "ccas", "Aides"), current.version
    )
    dialog.service.setText("Mon service")
    click(qtbot, dialog.save_button)
    assert dialog.conflict_label.isVisible()
    assert "quelqu'un d'autre" in dialog.conflict_label.text()
    assert services.partners.get(team.secretary, current.id).service == "Aides"
    click(qtbot, dialog.reload_button)
    assert dialog.service.text() == "Aides"
    # Filter by commune.
    qtbot.keyClicks(dialog.commune_filter, "Bois-Guillaume")
    dialog.reload()
    names = {dialog.model.row_at(r).name for r in range(dialog.model.rowCount())}
    assert "CCAS de Bois-Guillaume" in names


def test_partners_directory_read_only_for_gp(qtbot, window, team, passwords):
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    click(qtbot, gp.partners_button)
    dialog = gp.partners_dialog
    assert not dialog.can_edit and dialog.read_only_banner.isVisible()
    assert dialog.save_button.isHidden() and dialog.new_button.isHidden()
    assert dialog.name.isReadOnly() and not dialog.contact_form_widget.isVisible()
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("mdph"))
    assert dialog.model.rowCount() >= 1
    assert all(dialog.model.row_at(r).kind == "mdph" for r in range(dialog.model.rowCount()))


def test_the_partners_list_shows_every_column_at_the_dialogs_size(
    qtbot, window, services, team, passwords
):
    """Long types, names and communes are cut short (whole in the tooltip and the form), so
    that the list does not scroll sideways; « Service » takes the width left."""
    long_name = "Département de Seine-Maritime — centre médico-social de Rouen rive gauche"
    services.partners.create(
        team.secretary,
        PartnerInput(
            long_name,
            "ccas",
            "Pôle solidarités et accompagnement social",
            phone="02 35 00 20 20",
            communes="Rouen, Bihorel, Bois-Guillaume, Darnétal, Mont-Saint-Aignan",
        ),
    )
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    click(qtbot, secretary.partners_button)
    dialog = secretary.partners_dialog
    qtbot.waitExposed(dialog)
    settle(qtbot, dialog)
    table, model = dialog.table, dialog.model
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(PartnersModel.PHONE) >= table.sizeHintForColumn(PartnersModel.PHONE)
    assert header.sectionSize(PartnersModel.SERVICE) >= 100
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == long_name)
    name = model.index(row, PartnersModel.NAME)
    assert header.sectionSize(PartnersModel.NAME) < table.sizeHintForColumn(PartnersModel.NAME)
    assert model.data(name, Qt.ItemDataRole.ToolTipRole).startswith(long_name)
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("mdph"))
    dialog.reload()  # fewer, shorter rows: the capped columns shrink to them
    assert header.sectionSize(PartnersModel.NAME) < 230


def test_models(qtmodeltester, services, team, make_patient, liaison_consent):
    patient = make_patient()
    liaison_consent(patient)
    social = services.accounts.find_user(team.coordinator, "as.moreau")
    view = services.referrals.create(
        team.gp, ReferralInput(patient, ReferralReason.HOUSING, receiver_id=social.id)
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    model = ReferralsModel()
    model.set_rows(services.referrals.for_patient(team.gp, patient))
    qtmodeltester.check(model, force_py=True)
    events = ReferralEventsModel()
    events.set_rows(services.referrals.get(team.gp, view.id).events)
    qtmodeltester.check(events, force_py=True)
    partners = PartnersModel()
    partners.set_rows(services.partners.list(team.gp))
    qtmodeltester.check(partners, force_py=True)
    contacts = ContactsModel()
    contacts.set_rows([c for p in services.partners.list(team.gp) for c in p.contacts])
    qtmodeltester.check(contacts, force_py=True)
    from app.views.patient_file.consent_panel import ConsentHistoryModel
    from app.views.referrals.orientation_dialog import OrientationGuideDialog

    history = ConsentHistoryModel()
    history.set_rows(services.consents.history(team.gp, patient))
    qtmodeltester.check(history, force_py=True)
    guide = OrientationGuideDialog(today=clinic_today(services.clock))
    qtmodeltester.check(guide.model, force_py=True)
    guide.deleteLater()
    QApplication.processEvents()


def test_booking_date_is_in_the_clinic_time_zone(qtbot):
    """The referral's « Rendez-vous pris » date is shown and read in Europe/Paris time, not
    in the workstation's zone (this machine runs in UTC)."""
    from datetime import UTC, datetime

    from app.views.referrals.referral_actions import BookDialog

    dialog = BookDialog(now=datetime(2026, 7, 1, 7, 30, tzinfo=UTC))
    qtbot.addWidget(dialog)
    assert dialog.value() is None  # no date unless asked
    dialog.with_time.setChecked(True)
    assert dialog.when.dateTime().toString("dd/MM/yyyy HH:mm") == "01/07/2026 09:30"
    assert dialog.value() == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
