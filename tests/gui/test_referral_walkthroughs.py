"""Clinician walkthroughs (issue 14), counted with the shared input counter: the GP refers from
the open file (mouse, then keyboard) and prints the referral form in one action (a real
``QPrinter`` writing a PDF file, read back with pypdf). The counts go to
``benchmarks/out/walkthroughs.json`` (``record``)."""

from __future__ import annotations

import pytest
from gui_helpers import login, settle
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus, SharedItem
from app.views.common import pdf_view
from tests.gui.input_counter import InputCounter, record

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
MESSAGE = "Loyers impayes, risque d'expulsion."  # ASCII: QTest types ASCII only


@pytest.fixture
def patient(services, team, make_patient, liaison_consent):
    """A demo-like patient: liaison consent, two liaison notes, an address and a phone."""
    pid = make_patient("Lefèvre", "Martine")
    liaison_consent(pid)
    services.notes.add(team.gp, pid, "liaison", "Loyer impayé depuis trois mois, bailleur social.")
    services.notes.add(team.gp, pid, "liaison", "Vit seule, fille à Lyon.")
    return pid


def _click_tab(qtbot, file, key: str) -> None:
    bar = file.tabs.tabBar()
    index = next(
        i for i in range(file.tabs.count()) if file.tabs.widget(i).property("compartment") == key
    )
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())


def _pick_reason(qtbot, dialog, reason: ReferralReason) -> None:
    """Click the reason in the list of reasons (all in sight), as a person does."""
    reasons = dialog.reason
    item = reasons.item(reasons.findData(str(reason)))
    rect = reasons.visualItemRect(item)
    assert reasons.viewport().rect().contains(rect), "the reason is in sight, no scrolling"
    qtbot.mouseClick(reasons.viewport(), LEFT, pos=rect.center())


def _sent(file) -> ReferralStatus:
    tab = file.referrals_tab
    assert tab.model.rowCount() == 1
    return tab.model.row_at(0).status


def test_refer_from_the_open_file_by_mouse(qtbot, window, services, team, patient, passwords):
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with InputCounter() as counter:
        _click_tab(qtbot, file, "referrals")  # 1
        settle(qtbot, file)  # the list is read on the task runner
        qtbot.mouseClick(file.referrals_tab.new_button, LEFT)  # 2
        dialog = file.referral_dialog
        settle(qtbot, file)  # the form's lists are read on the task runner
        assert dialog is not None and dialog.destination.currentText() == "Sophie Moreau"
        qtbot.waitUntil(dialog.isActiveWindow)
        _pick_reason(qtbot, dialog, ReferralReason.HOUSING)  # 3
        settle(qtbot, dialog)  # the reason's usual items
        assert dialog.reason.currentData() == ReferralReason.HOUSING
        # The reason ticked what it needs; the message has the focus.
        assert dialog.item_boxes[SharedItem.CONTACT].isChecked()
        assert dialog.message.hasFocus()
        qtbot.keyClicks(dialog.message, MESSAGE)  # 4
        qtbot.mouseClick(dialog.send_button, LEFT)  # 5
        qtbot.waitUntil(lambda: file.referral_dialog is None)
        settle(qtbot, file)
    assert _sent(file) is ReferralStatus.SENT
    view = file.referrals_tab.detail.view
    assert view.message == MESSAGE and SharedItem.CONTACT in view.items
    record("orienter depuis le dossier", "souris", counter.counts, budget=6)
    assert counter.counts.actions <= 6, counter.counts.log


def test_refer_from_the_open_file_by_keyboard(qtbot, window, services, team, patient, passwords):
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    bar = file.tabs.tabBar()
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    with InputCounter() as counter:
        while file.tabs.currentWidget() is not file.referrals_tab:
            qtbot.keyClick(bar, Qt.Key.Key_Right)
        tab = file.referrals_tab
        for _ in range(15):  # Tab to « Nouvelle orientation… », then Space
            focus = QApplication.focusWidget()
            if focus is None or tab.new_button.hasFocus():
                break
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
        qtbot.keyClick(tab.new_button, Qt.Key.Key_Space)
        dialog = file.referral_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.waitUntil(dialog.reason.hasFocus)
        qtbot.keyClicks(dialog.reason, "Log")  # type-ahead on the reason's own words
        settle(qtbot, dialog)  # the form's lists, the reason's usual items
        assert dialog.reason.currentData() == ReferralReason.HOUSING
        assert dialog.item_boxes[SharedItem.ADDRESS].isChecked()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # confirms it: on to « Message »
        assert dialog.message.hasFocus()
        qtbot.keyClicks(dialog.message, MESSAGE)
        qtbot.keyClick(dialog.message, Qt.Key.Key_Tab)  # Tab leaves the message
        assert not dialog.message.hasFocus() and "\t" not in dialog.message.toPlainText()
        qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # « &Envoyer »
        qtbot.waitUntil(lambda: file.referral_dialog is None)
        settle(qtbot, file)
    assert _sent(file) is ReferralStatus.SENT
    record("orienter depuis le dossier", "clavier", counter.counts)
    # Keys besides the message: to the tab, to the button, Space, « Log », Return, Tab, Alt+E.
    assert counter.counts.keys - len(MESSAGE) <= 20, counter.counts.log


def _sent_referral(services, team, patient) -> int:
    draft = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason=ReferralReason.HOUSING,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
            items=frozenset({SharedItem.CONTACT}),
        ),
    )
    return services.referrals.send(team.gp, draft.id, patient_agrees=True).id


def _open_referral(qtbot, window, passwords, patient, rid):
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.open_referral(rid)
    settle(qtbot, file)  # the list and the referral are read on the task runner
    detail = file.referrals_tab.detail
    assert detail.print_form_button.isVisible() and detail.preview_form_button.isVisible()
    return file, detail


def test_print_the_form_in_one_action(
    qtbot, window, services, team, patient, passwords, settings, tmp_path, monkeypatch
):
    rid = _sent_referral(services, team, patient)
    _file, detail = _open_referral(qtbot, window, passwords, patient, rid)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first = tmp_path / "premiere.pdf"
    asked: list[str] = []

    def ask(_parent, title):  # the print dialog, the first time only
        asked.append(title)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(first))
        return printer

    monkeypatch.setattr(pdf_view, "ask_printer", ask)
    qtbot.mouseClick(detail.print_form_button, LEFT)
    qtbot.waitUntil(lambda: detail.printed is not None)
    assert len(asked) == 1 and first.exists()
    assert settings.value(pdf_view.LAST_OUTPUT_KEY) == str(first)
    first.unlink()

    # Next time: one click, straight to the last printer, no dialog.
    with InputCounter() as counter:
        detail.printed = None
        qtbot.mouseClick(detail.print_form_button, LEFT)
        qtbot.waitUntil(lambda: detail.printed is not None)
    assert len(asked) == 1
    # The printer got every page of the form, on A4 (the pages are painted as images).
    pages = PdfReader(str(first)).pages
    assert len(pages) == pdf_view.page_count(detail.printed.pdf) >= 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3
    assert detail.printed.number in detail.print_status.text()
    record("imprimer la fiche", "souris", counter.counts, budget=1)
    assert counter.counts.actions == 1, counter.counts.log

    # By keyboard: the button's mnemonic, one key.
    first.unlink()
    with InputCounter() as counter:
        detail.printed = None
        qtbot.keyClick(detail, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: detail.printed is not None)
    assert first.exists()
    record("imprimer la fiche", "clavier", counter.counts, budget=1)
    assert counter.counts.keys == 1, counter.counts.log
    # The preview stays available (generated off the UI thread too).
    qtbot.mouseClick(detail.preview_form_button, LEFT)
    qtbot.waitUntil(lambda: detail.preview is not None)
    qtbot.waitUntil(lambda: detail.preview.rendered)  # pages rendered on the task runner
    assert detail.preview.page_labels
    detail.preview.accept()


def test_return_on_a_referral_row_opens_it(qtbot, window, services, team, patient, passwords):
    rid = _sent_referral(services, team, patient)
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.select_tab("referrals")
    tab = file.referrals_tab
    tab.ensure_loaded()
    settle(qtbot, tab)
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table.viewport(), Qt.Key.Key_Return)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    settle(qtbot, tab)
    assert tab.detail.view is not None and tab.detail.view.id == rid
    assert tab.detail.action_buttons["cancel"].hasFocus()


def test_start_referral_from_the_open_file(qtbot, window, services, team, patient, passwords):
    """The public entry the window's « Orienter… » action calls on the open file."""
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    assert file.referrals_tab.start_referral()
    assert file.referral_dialog is not None and file.referral_dialog.reason.currentData() is None
    file.referral_dialog.reject()
    qtbot.waitUntil(lambda: file.referral_dialog is None)
    # Someone who may not refer: nothing opens.
    gp.switch_button.click()
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    sec_file = secretary.open_patient(patient)
    assert sec_file.referrals_tab is not None and not sec_file.referrals_tab.start_referral()
    assert sec_file.referral_dialog is None


def test_return_never_sends_and_confirms_the_reason(qtbot, window, team, patient, passwords):
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    window.activateWindow()
    assert file.referrals_tab.start_referral()
    dialog = file.referral_dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    assert not any(b.isDefault() for b in (dialog.send_button, dialog.draft_button))
    qtbot.keyClicks(dialog.reason, "Fam")
    assert dialog.reason.currentData() == ReferralReason.FAMILY_CHILD_CARE
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # on to the message, nothing sent
    assert dialog.message.hasFocus() and dialog.isVisible() and dialog.referral is None
    qtbot.keyClick(dialog.urgency, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.referral is None
    dialog.reject()
