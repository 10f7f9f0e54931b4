"""Home care through the widgets: a GP creates a home-care request for a nurse after a
discharge (plan with the live ARDH check, then the request dialog), follows it and prints the
form to a file; the secretary sees the tab read-only."""

from __future__ import annotations

import io
from datetime import date

import pytest
from gui_helpers import login, visible_texts
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt
from stdnum import luhn

from app import i18n
from app.services.home_care.rules import CareKind, HomeCareStatus
from app.services.partners.records import PartnerContactInput, PartnerInput
from app.views.common import pdf_view
from app.views.home_care.discharge_dialog import DischargeDialog
from app.views.home_care.home_care_dialog import HomeCareDialog
from app.views.home_care.models import DischargePlansModel, HomeCareRequestsModel

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
RPPS_BODY = "1000000001"
RPPS = RPPS_BODY + luhn.calc_check_digit(RPPS_BODY)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)


def tick(qtbot, box) -> None:
    """Click a check box on its indicator (a wide box ignores clicks right of its text)."""
    assert box.isVisible() and box.isEnabled(), box.objectName()
    qtbot.mouseClick(box, LEFT, pos=QPoint(6, box.height() // 2))


@pytest.fixture
def patient(make_patient):
    return make_patient(
        "Lemoine",
        "Odette",
        sex="F",
        birth_date="12/05/1941",
        phone="02 35 11 22 33",
        address="8 rue du Gros-Horloge",
        postal_code="76000",
        city="Rouen",
    )


@pytest.fixture
def nurses(services, team):
    robec = services.partners.create(
        team.secretary,
        PartnerInput("Cabinet infirmier du Robec", "home_nurse", communes=["Rouen"]),
    )
    services.partners.add_contact(
        team.secretary, robec.id, PartnerContactInput("Antoine Leclerc", "Infirmier libéral")
    )
    elbeuf = services.partners.create(
        team.secretary, PartnerInput("Infirmières d'Elbeuf", "home_nurse", communes=["Elbeuf"])
    )
    return robec, elbeuf


def plan_with_request(services, team, patient: int, partner, **plan):
    """A discharge plan (``plan``: its fields beyond the patient and the date) and a nurse's
    request made from it by the GP; the plan."""
    from dataclasses import replace

    from app.services.home_care.records import DischargePlanInput
    from app.services.home_care.rules import Frequency, FrequencyPeriod

    made = services.discharge.create(
        team.gp, DischargePlanInput(patient_id=patient, target_date=date(2026, 11, 30), **plan)
    )
    defaults = services.discharge.request_defaults(team.gp, made.id)
    services.home_care.create(
        team.gp,
        replace(
            defaults,
            acts=("injection",),
            frequency=Frequency(1, FrequencyPeriod.DAY),
            prescriber_name="Dr Durand",
            prescriber_rpps=RPPS,
            partner_id=partner.id,
        ),
    )
    return made


def test_gp_creates_a_home_care_request_for_a_nurse_after_a_discharge(
    qtbot, window, services, team, patient, nurses, passwords, monkeypatch, tmp_path, qtmodeltester
):
    robec, _elbeuf = nurses
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    tab = file.home_care_tab
    assert tab is not None and "Soins à domicile" in file.tab_titles()
    assert file.select_tab("home_care")
    assert tab.loaded and tab.requests_model.rowCount() == 0

    # ---- the discharge plan, with the ARDH check live ---------------------------------------
    click(qtbot, tab.new_plan_button)
    plan_dialog = tab.dialog
    assert isinstance(plan_dialog, DischargeDialog)
    plan_dialog.target.setDate(QDate(2026, 11, 30))
    qtbot.keyClicks(plan_dialog.hospital, "CHU de Rouen")
    qtbot.keyClicks(plan_dialog.ward, "Chirurgie digestive")
    assert [r.label.text() for r in plan_dialog.follow_rows] == ["Suivi à J+7", "Suivi à J+90"]
    assert plan_dialog.follow_rows[0].due.date() == QDate(2026, 12, 7)
    assert "à vérifier" in plan_dialog.ardh_verdict.text()
    assert "retraite du régime général" in plan_dialog.ardh_reasons.text()
    plan_dialog.retired.setCurrentIndex(1)
    plan_dialog.gir.setCurrentIndex(plan_dialog.gir.findData(5))
    assert "Éligible à l'ARDH" in plan_dialog.ardh_verdict.text()
    assert "85 ans" in plan_dialog.ardh_reasons.text()
    tick(qtbot, plan_dialog.aid_boxes["apa"])
    assert "Non éligible" in plan_dialog.ardh_verdict.text()
    assert "APA" in plan_dialog.ardh_reasons.text()
    tick(qtbot, plan_dialog.aid_boxes["apa"])
    tick(qtbot, plan_dialog.aid_boxes["ardh"])
    tick(qtbot, plan_dialog.aid_boxes["meals"])
    tick(qtbot, plan_dialog.equipment_boxes["Lit médicalisé"])
    click(qtbot, plan_dialog.save_button)
    qtbot.waitUntil(lambda: tab.dialog is None)
    assert tab.plans_model.rowCount() == 1
    qtmodeltester.check(tab.plans_model)
    plan = tab.plan
    assert plan is not None and plan.ardh.eligible is True
    assert tab.plans_model.data(tab.plans_model.index(0, DischargePlansModel.ARDH)) == "éligible"

    # ---- a nurse for the return home --------------------------------------------------------
    click(qtbot, tab.plan_request_button)
    dialog = tab.dialog
    assert isinstance(dialog, HomeCareDialog)
    assert dialog.kind.currentData() == CareKind.NURSE
    assert dialog.address.text() == "8 rue du Gros-Horloge, 76000 Rouen"
    assert dialog.phone.text() == "02 35 11 22 33"
    assert dialog.after_stay.isChecked() and dialog.hospital.text() == "CHU de Rouen"
    assert dialog.start.date() == QDate(2026, 11, 30)
    assert dialog.commune.text() == "Rouen"
    choices = [dialog.partner.itemText(i) for i in range(dialog.partner.count())]
    assert any("Cabinet infirmier du Robec" in c for c in choices)
    assert not any("Elbeuf" in c for c in choices)
    assert set(dialog.act_boxes) >= {"dressing", "injection", "blood_test", "hygiene"}
    qtbot.waitUntil(lambda: dialog.act_boxes["dressing"].height() > 0)  # laid out
    tick(qtbot, dialog.act_boxes["dressing"])
    tick(qtbot, dialog.act_boxes["injection"])
    qtbot.keyClicks(dialog.prescriber, "Dr Paul Durand")
    qtbot.keyClicks(dialog.rpps, RPPS[:-1] + str((int(RPPS[-1]) + 1) % 10))
    qtbot.keyClicks(dialog.door_code, "4521B")
    qtbot.keyClicks(dialog.floor, "3e sans ascenseur")
    qtbot.keyClicks(dialog.availability_edits[0], "8:00-10:00, 17:00-19:00")
    qtbot.keyClicks(dialog.availability_edits[3], "10:00-9:00")
    dialog.count.setValue(2)
    dialog.duration.setValue(15)
    assert dialog.choose_partner(robec.id)
    dialog.contact.setCurrentIndex(1)
    click(qtbot, dialog.save_button)
    shown = dialog.errors.messages()
    assert shown["prescriber_rpps"] == "Le numéro RPPS est incorrect (clé de contrôle)."
    assert "finit avant de commencer" in shown["availability_3"]
    assert dialog.isVisible()
    dialog.rpps.setText(RPPS)
    dialog.availability_edits[3].setText("9:00-11:00")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible(), dialog.errors.messages()
    qtbot.waitUntil(lambda: tab.dialog is None)

    # ---- it appears in the tab --------------------------------------------------------------
    assert tab.requests_model.rowCount() == 1
    qtmodeltester.check(tab.requests_model)
    model = tab.requests_model
    assert model.data(model.index(0, HomeCareRequestsModel.CARE)) == "Infirmier(ère)"
    assert model.data(model.index(0, HomeCareRequestsModel.PARTNER)) == robec.name
    assert model.data(model.index(0, HomeCareRequestsModel.START)) == "30/11/2026"
    assert model.data(model.index(0, HomeCareRequestsModel.STATUS)) == "À envoyer"
    request = tab.request
    assert request is not None and request.discharge_plan_id == plan.id
    assert request.partner_contact_name == "Antoine Leclerc"
    assert request.availability == {
        0: (("08:00", "10:00"), ("17:00", "19:00")),
        3: (("09:00", "11:00"),),
    }
    assert set(tab.visible_actions()) == {"edit", "send", "cancel"}
    click(qtbot, tab.action_buttons["send"])
    assert tab.request.status is HomeCareStatus.SENT
    assert set(tab.visible_actions()) == {"accept", "refuse", "cancel"}
    click(qtbot, tab.action_buttons["accept"])
    step = tab.step_dialog
    click(qtbot, step.ok)
    assert step.isVisible() and "qui a accepté" in step.errors.messages()["accepted_by"]
    qtbot.keyClicks(step.line, "Antoine Leclerc")
    click(qtbot, step.ok)
    qtbot.waitUntil(lambda: tab.step_dialog is None)
    assert tab.request.status is HomeCareStatus.ACCEPTED
    assert "Acceptée (Antoine Leclerc)" in model.data(model.index(0, 3))
    assert "Antoine Leclerc" in tab.detail.toPlainText()

    # ---- printed to a file, read back -------------------------------------------------------
    target = tmp_path / "demande.pdf"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a, **_k: target)
    click(qtbot, tab.print_request_button)
    qtbot.waitUntil(lambda: tab.preview is not None)  # generated on the task runner
    preview = tab.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.rendered)  # pages rendered on the task runner
    assert len(preview.page_labels) == 1
    click(qtbot, preview.buttons.save_button)
    text = PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    for expected in (
        "Demande de soins à domicile",
        "LEMOINE",
        "4521B",
        "08h00–10h00, 17h00–19h00",
        "Pansements",
        RPPS,
        "Cabinet infirmier du Robec",
        "CHU de Rouen",
        "2 fois par jour",
    ):
        assert expected in text, expected
    preview.accept()
    # The plan now lists the request.
    assert tab.select_plan(plan.id)
    assert "Cabinet infirmier du Robec" in tab.detail.toPlainText()


def test_secretary_sees_the_home_care_tab_read_only(
    qtbot, window, services, team, patient, nurses, passwords
):
    plan = plan_with_request(services, team, patient, nurses[0])
    sec = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = sec.open_patient(patient)
    tab = file.home_care_tab
    assert tab is not None and file.select_tab("home_care")
    assert tab.requests_model.rowCount() == 1 and tab.plans_model.rowCount() == 1
    assert tab.request is not None and "Injections" in tab.detail.toPlainText()
    assert "Consultation seule" in tab.message.text()
    buttons = [
        tab.new_request_button,
        tab.new_plan_button,
        *tab.action_buttons.values(),
        tab.print_request_button,
        tab.edit_plan_button,
        tab.plan_request_button,
        tab.follow_up_button,
        tab.plan_done_button,
        tab.print_plan_button,
    ]
    assert not any(b.isVisible() for b in buttons)
    assert tab.select_plan(plan.id)
    assert not any(b.isVisible() for b in buttons)
    texts = visible_texts(file)
    assert "Nouvelle demande de soins" not in texts and "Imprimer" not in texts


def test_overdue_request_in_the_inbox_opens_the_home_care_tab(
    qtbot, window, services, team, patient, nurses, passwords, clock
):
    """A request left « à envoyer » for more than a day reaches its creator's inbox; opening
    the item opens the patient's file on « Soins à domicile »."""
    from datetime import timedelta

    from app.services.home_care.records import HomeCareInput
    from app.services.home_care.rules import Frequency, FrequencyPeriod

    services.home_care.create(
        team.gp,
        HomeCareInput(
            patient_id=patient,
            care_kind=CareKind.NURSE,
            acts=("dressing",),
            start_date=clock().date() + timedelta(days=6),
            frequency=Frequency(1, FrequencyPeriod.DAY),
            prescriber_name="Dr Paul Durand",
            prescriber_rpps=RPPS,
            partner_id=nurses[0].id,
        ),
    )
    clock.advance(days=2)
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    gp.refresh_inbox()
    click(qtbot, gp.inbox_button)
    inbox = gp.inbox_dialog
    qtbot.waitUntil(lambda: not inbox.loading)  # read on the task runner
    items = [inbox.model.item(r) for r in range(inbox.model.rowCount())]
    row = next(r for r, i in enumerate(items) if i.source == "home_care")
    assert items[row].patient_id == patient and "Pansement" not in items[row].text
    rect = inbox.table.visualRect(inbox.model.index(row, 0))
    qtbot.mouseClick(inbox.table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(inbox.table.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: gp.inbox_dialog is None)
    file = gp.file_for(patient)
    assert file is not None and file.tabs.currentWidget() is file.home_care_tab


def test_refusal_and_cancellation_ask_their_reason_in_the_tab(
    qtbot, window, services, team, patient, nurses, passwords, clock
):
    from datetime import timedelta

    from app.services.home_care.records import HomeCareInput
    from app.services.home_care.rules import Frequency, FrequencyPeriod

    def new_request():
        return services.home_care.create(
            team.gp,
            HomeCareInput(
                patient_id=patient,
                care_kind=CareKind.NURSE,
                acts=("dressing",),
                start_date=clock().date() + timedelta(days=6),
                frequency=Frequency(1, FrequencyPeriod.DAY),
                prescriber_name="Dr Paul Durand",
                prescriber_rpps=RPPS,
                partner_id=nurses[0].id,
            ),
        )

    sent = services.home_care.send(team.gp, new_request().id)
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.select_tab("home_care")
    tab = file.home_care_tab
    tab.reload(request_id=sent.id)
    click(qtbot, tab.action_buttons["refuse"])
    step = tab.step_dialog
    qtbot.keyClicks(step.line, "Pas de place cette semaine")
    click(qtbot, step.ok)
    qtbot.waitUntil(lambda: tab.step_dialog is None)
    assert tab.request.status is HomeCareStatus.REFUSED
    assert services.home_care.get(team.gp, sent.id).refusal_reason == "Pas de place cette semaine"

    waiting = new_request()
    tab.reload(request_id=waiting.id)
    click(qtbot, tab.action_buttons["cancel"])
    step = tab.step_dialog
    step.line.setText("Sortie reportée")  # QTest types ASCII only
    click(qtbot, step.ok)
    qtbot.waitUntil(lambda: tab.step_dialog is None)
    assert services.home_care.get(team.gp, waiting.id).status is HomeCareStatus.CANCELLED


@pytest.mark.parametrize(
    ("n", "french", "english"), [(1, "1 jour", "1 day"), (3, "3 jours", "3 days")]
)
def test_durations_are_counted_in_proper_plurals(qapp, n, french, english):
    from PySide6.QtCore import QLocale

    from app.views.common import language
    from app.views.home_care.detail import HomeCareWords

    locale = QLocale()

    def installed(code: str) -> str:
        language.install_language(qapp, code)
        try:
            return HomeCareWords().days(n)
        finally:
            for translator in language._installed:
                qapp.removeTranslator(translator)
            language._installed.clear()

    assert installed("fr") == french
    assert installed("en") == english
    i18n.set_language("fr")
    QLocale.setDefault(locale)


def test_the_lists_show_every_column_beside_the_detail(
    qtbot, window, services, team, patient, nurses, passwords
):
    """The requests and the discharge plans show all their columns (the plan's status and
    ARDH included) without scrolling sideways: the lists take once from the detail what their
    columns need (``responsive.widen_first_pane``)."""
    hospital = "Centre hospitalier universitaire de Rouen — Orthopédie et traumatologie"
    plan_with_request(services, team, patient, nurses[0], destination="smr", hospital=hospital)
    window.resize(1500, 860)
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    tab = file.home_care_tab
    assert tab is not None and file.select_tab("home_care")
    for table in (tab.requests_table, tab.plans_table):
        assert table.model().rowCount() == 1
        # Every column within the table's view: nothing to scroll sideways.
        qtbot.waitUntil(lambda t=table: t.horizontalHeader().length() <= t.viewport().width())
