"""The inbox dialog: its first page is read on the task runner, the next ones as it scrolls."""

from __future__ import annotations

import threading

import pytest
from gui_helpers import login
from PySide6.QtCore import Qt

from app.services.referrals.records import ReferralInput
from app.views.shell.inbox import InboxModel

pytestmark = pytest.mark.gui


def _send_referrals(services, team, make_patient, count: int) -> list[int]:
    sent = []
    for n in range(count):
        patient = make_patient("Martin", f"Lucie{'e' * n}")
        view = services.referrals.create(
            team.gp,
            ReferralInput(
                patient, "housing", message="Motif", receiver_id=team.social_worker.user_id
            ),
        )
        services.referrals.send(team.gp, view.id, patient_agrees=True)
        sent.append(view.id)
    return sent


def test_the_inbox_reads_a_page_off_the_ui_thread_then_the_next_as_it_scrolls(
    qtbot, services, team, make_patient, make_window, passwords, monkeypatch
):
    sent = _send_referrals(services, team, make_patient, 5)
    monkeypatch.setattr(InboxModel, "PAGE", 2)
    threads: list[threading.Thread] = []
    pages: list[tuple[int, int]] = []
    real_items = services.inbox.items

    def items(actor, **kwargs):
        threads.append(threading.current_thread())
        pages.append((kwargs.get("offset", 0), kwargs.get("limit", 0)))
        return real_items(actor, **kwargs)

    monkeypatch.setattr(services.inbox, "items", items)
    window = make_window()
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    sw.open_inbox()
    inbox = sw.inbox_dialog
    qtbot.waitUntil(lambda: not inbox.loading)
    assert threads[0] is not threading.main_thread()  # the first page: on the task runner
    assert pages[0] == (0, 2)
    # The view asks for the next pages while it has room, as the user scrolls down.
    while inbox.model.canFetchMore():  # what the view does as the user scrolls down
        inbox.model.fetchMore()
    shown = [inbox.model.item(r).referral_id for r in range(inbox.model.rowCount())]
    assert sorted(shown) == sorted(sent)  # every item, once
    assert pages == [(0, 2), (2, 2), (4, 2)]  # each page read once, in order


def test_the_inbox_is_worked_from_the_keyboard(
    qtbot, services, team, make_patient, make_window, passwords
):
    """The first message is selected when the list arrives, Down goes to the next one,
    « Marquer comme lu » keeps the place in the list, and Return opens the selected message
    (its referral, in the patient's file)."""
    sent = _send_referrals(services, team, make_patient, 3)
    window = make_window()
    sw = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    sw.open_inbox()
    inbox = sw.inbox_dialog
    qtbot.waitUntil(lambda: not inbox.loading)
    assert inbox.table.hasFocus()
    assert [item.referral_id for item in inbox.selected()] == [inbox.model.item(0).referral_id]
    assert inbox.read_button.isEnabled() and inbox.open_button.isEnabled()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Down)
    second = inbox.model.item(1)
    assert inbox.selected() == [second]
    qtbot.mouseClick(inbox.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not inbox.loading)
    rows = [inbox.model.item(r) for r in range(inbox.model.rowCount())]
    assert next(i for i in rows if i.referral_id == second.referral_id).read
    # The place in the list is kept: the message now in that row is selected, to go on.
    assert inbox.table.currentIndex().row() == 1 and inbox.selected() == [rows[1]]
    chosen = rows[1]
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sw.inbox_dialog is None)
    file = sw.file_for(chosen.patient_id)
    assert file is not None and chosen.referral_id in sent
    assert file.referrals_tab is not None and file.referrals_tab.isVisible()
