"""Booking from a referral, counted as a person does it (issue 14): the secretary and the
social worker with the mouse, then by keyboard only, from the main window after login, with
40 older referrals waiting beside the new one. Counts go to ``benchmarks/`` (``record``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from gui_helpers import login, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from suite_clock import working_tuesday
from suite_sessions import weekly_session

from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus
from app.views.agenda.slot_picker import SlotPickerDialog
from tests.gui.input_counter import InputCounter, record

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
BUDGET = 4  # actions, the target for booking from a referral
OLDER = 40

TUE = working_tuesday()


@pytest.fixture
def waiting_referrals(services, team, make_patient, clock):
    """A weekly session of the social worker, 40 older referrals and the new one (sent, not
    acknowledged): the new one's id."""
    weekly_session(services, team, TUE)

    def refer(name: str) -> int:
        patient = make_patient(name, "Alex")
        view = services.referrals.create(
            team.gp,
            ReferralInput(
                patient_id=patient,
                reason=ReferralReason.JOB_RETENTION,
                message="Arrêt long.",
                receiver_id=team.social_worker.user_id,
            ),
        )
        services.referrals.send(team.gp, view.id, patient_agrees=True)
        clock.advance(minutes=30)
        return view.id

    for n in range(OLDER):
        refer(f"Ancien{chr(65 + n % 26)}{n}")
    return refer("Nouveau")


def booked_referral(services, team, rid: int):
    view = services.referrals.get(team.social_worker, rid)
    return view.status


def click(qtbot, widget) -> None:
    settle(qtbot, widget)  # what the screen was reading is shown
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, LEFT)
    settle(qtbot, widget)  # the service call the click made (on the task runner) is done


def mouse_booking(qtbot, ws):
    """« Agenda », « Fixer un rendez-vous… » (the newest referral is on the first row, already
    selected), « Fixer ce rendez-vous » (the first free slot is already chosen)."""
    click(qtbot, ws.agenda_button)
    agenda = ws.agenda
    assert agenda.to_schedule_model.row_at(0).patient_name.startswith("NOUVEAU")
    click(qtbot, agenda.schedule_button)
    picker = agenda.dialog
    settle(qtbot, picker)  # the free slots are read on the task runner
    assert isinstance(picker, SlotPickerDialog) and picker.selected_slot() is not None
    click(qtbot, picker.ok)
    assert picker.pages.currentIndex() == 1, picker.error.text()
    return agenda, picker


@pytest.mark.parametrize(
    ("role", "username"), [("secretary", "sec.roux"), ("social worker", "as.moreau")]
)
def test_booking_from_a_referral_with_the_mouse(
    qtbot, make_window, services, team, passwords, waiting_referrals, role, username
):
    window = make_window()
    ws = login(qtbot, window, username, passwords(username))
    with InputCounter() as counter:
        _agenda, picker = mouse_booking(qtbot, ws)
    assert booked_referral(services, team, waiting_referrals) is ReferralStatus.APPOINTMENT_BOOKED
    assert picker.appointment.referral_id == waiting_referrals
    picker.accept()  # after the count: the next walkthrough starts on a clean desk
    record(f"book from a referral — {role}", "mouse", counter.counts, BUDGET)
    assert counter.counts.actions <= BUDGET, counter.counts.log
    assert counter.counts.actions == counter.counts.clicks == 3


def open_agenda_by_keyboard(qtbot, window, ws) -> None:
    """The agenda's shortcut when the window has one (the menu bar's « Agenda »), else
    Shift+Tab back to the header's « Agenda » button and Space (each key counted)."""
    for action in window.findChildren(QAction):
        if action.shortcut().matches(QKeySequence("Ctrl+G")) == QKeySequence.ExactMatch:
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_G, CTRL)
            return
    for _ in range(40):
        if QApplication.focusWidget() is ws.agenda_button:
            qtbot.keyClick(ws.agenda_button, Qt.Key.Key_Space)
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Backtab, SHIFT)
    raise AssertionError("Shift+Tab never reached « Agenda »")


def key(qtbot, k: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), k)


@pytest.mark.parametrize(
    ("role", "username"), [("secretary", "sec.roux"), ("social worker", "as.moreau")]
)
def test_booking_from_a_referral_by_keyboard(
    qtbot, make_window, services, team, passwords, waiting_referrals, role, username
):
    """Keyboard only: open the agenda (its shortcut, or Shift+Tab to « Agenda » and Space); the
    focus is on « Orientations à
    planifier », newest first: Return opens the slot picker, Down picks the next slot, Return
    books; Escape closes and the focus is back on the list."""
    window = make_window()
    ws = login(qtbot, window, username, passwords(username))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    with InputCounter() as counter:
        open_agenda_by_keyboard(qtbot, window, ws)
        agenda = ws.agenda
        qtbot.waitUntil(lambda: QApplication.focusWidget() is agenda.to_schedule)
        key(qtbot, Qt.Key.Key_Return)
        picker = agenda.dialog
        assert isinstance(picker, SlotPickerDialog)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.tree)
        settle(qtbot, picker)  # the free slots are read on the task runner
        first = picker.selected_slot()
        key(qtbot, Qt.Key.Key_Down)
        chosen = picker.selected_slot()
        assert chosen is not None and chosen.starts_at == first.starts_at + timedelta(minutes=30)
        key(qtbot, Qt.Key.Key_Return)
        settle(qtbot, picker)  # booked on the task runner
        assert picker.pages.currentIndex() == 1, picker.error.text()
        assert QApplication.focusWidget() is picker.print_slip_button
        key(qtbot, Qt.Key.Key_Escape)
        # Back in the main window, on the list (the offscreen platform does not activate the
        # window again by itself: its focus widget is where the keys go once it is).
        qtbot.waitUntil(lambda: window.focusWidget() is agenda.to_schedule)
    assert picker.appointment.starts_at == chosen.starts_at
    assert picker.appointment.referral_id == waiting_referrals
    assert booked_referral(services, team, waiting_referrals) is ReferralStatus.APPOINTMENT_BOOKED
    record(f"book from a referral — {role}", "keyboard", counter.counts)
    assert counter.counts.clicks == 0
    # In the agenda: Return, Down, Return, Escape; reaching it: its shortcut, or the Shift+Tabs
    # from the search box through the header.
    in_agenda = 4
    assert counter.counts.keys <= in_agenda + 10, counter.counts.log
