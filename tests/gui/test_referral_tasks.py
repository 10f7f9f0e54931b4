"""Referring and booking call their services on the window's task runner, not on the UI
thread: each real service call notes its thread; the buttons wait while a call runs; a
refusal still shows in French where it showed before."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from gui_helpers import login, settle
from PySide6.QtCore import Qt
from suite_sessions import weekly_session

from app.services.referrals.records import ReferralInput, ReferralReason, ReferralStatus

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
_CLASS = object()  # the method comes from the service's class


@contextmanager
def threads_of(service: object, *names: str) -> Iterator[dict[str, list[threading.Thread]]]:
    """The real methods ``names`` of ``service``, each call's thread noted."""
    seen: dict[str, list[threading.Thread]] = {name: [] for name in names}
    saved = _saved(service, names)
    for name in names:
        real = getattr(service, name)

        def recording(*args, _real=real, _name=name, **kwargs):
            seen[_name].append(threading.current_thread())
            return _real(*args, **kwargs)

        setattr(service, name, recording)
    try:
        yield seen
    finally:
        _restore(service, saved)


@contextmanager
def held(service: object, name: str) -> Iterator[threading.Event]:
    """The real ``name`` waits (on its worker thread) until the test sets the event."""
    release = threading.Event()
    saved = _saved(service, (name,))
    real = getattr(service, name)

    def waiting(*args, **kwargs):
        assert release.wait(10), "the test never released the call"
        return real(*args, **kwargs)

    setattr(service, name, waiting)
    try:
        yield release
    finally:
        release.set()
        _restore(service, saved)


def _saved(service: object, names: tuple[str, ...]) -> dict[str, object]:
    """What the instance itself held for ``names`` (another wrapper, or nothing)."""
    own = vars(service)
    return {name: own.get(name, _CLASS) for name in names}


def _restore(service: object, saved: dict[str, object]) -> None:
    for name, previous in saved.items():
        if previous is _CLASS:
            delattr(service, name)
        else:
            setattr(service, name, previous)


def off_ui_thread(seen: dict[str, list[threading.Thread]]) -> None:
    for name, threads in seen.items():
        assert threads, f"{name} was not called"
        assert all(t is not threading.main_thread() for t in threads), name


def click(qtbot, button) -> None:
    settle(qtbot, button)
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, LEFT)


def sent_referral(services, team, patient: int) -> int:
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason=ReferralReason.JOB_RETENTION,
            message="Arrêt long.",
            receiver_id=team.social_worker.user_id,
        ),
    )
    return services.referrals.send(team.gp, view.id, patient_agrees=True).id


def test_referring_calls_the_services_off_the_ui_thread(
    qtbot, window, services, team, make_patient, liaison_consent, passwords
):
    patient = make_patient("Dupré", "Jean")
    liaison_consent(patient)
    services.notes.add(team.gp, patient, "liaison", "Loyer impayé depuis 3 mois")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    with (
        threads_of(services.referrals, "for_patient", "item_defaults", "create", "send") as calls,
        threads_of(services.partners, "list") as partners,
        threads_of(services.notes, "list") as notes,
    ):
        file.select_tab("referrals")  # the list is read on the task runner when first shown
        click(qtbot, file.referrals_tab.new_button)
        dialog = file.referral_dialog
        assert dialog is not None and dialog.isVisible()  # shown before its lists are read
        settle(qtbot, dialog)
        assert not dialog.loading and dialog.destination.currentText() == "Sophie Moreau"
        assert dialog.notes_list.count() == 1
        dialog.set_reason(ReferralReason.HOUSING)
        settle(qtbot, dialog)
        qtbot.keyClicks(dialog.message, "Loyers impayes.")
        with held(services.referrals, "send") as release:
            click(qtbot, dialog.send_button)
            # The send runs: the form's buttons wait, the dialog stays open.
            qtbot.waitUntil(lambda: not dialog.send_button.isEnabled())
            assert not dialog.draft_button.isEnabled() and dialog.isVisible()
            release.set()
            qtbot.waitUntil(lambda: file.referral_dialog is None)
        settle(qtbot, file)
    off_ui_thread(calls | partners | notes)
    tab = file.referrals_tab
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).status is ReferralStatus.SENT
    assert tab.detail.view is not None and tab.detail.view.status is ReferralStatus.SENT


def test_a_refused_send_shows_its_message_in_the_form(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    gp = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = gp.open_patient(patient)
    file.open_referral_dialog()
    dialog = file.referral_dialog
    settle(qtbot, dialog)
    dialog.set_reason(ReferralReason.HOUSING)
    settle(qtbot, dialog)
    # The only social worker leaves the clinic while the form is open: sending is refused.
    social = services.accounts.find_user(team.coordinator, "as.moreau")
    services.accounts.set_active(team.coordinator, social.id, False)
    click(qtbot, dialog.send_button)
    settle(qtbot, dialog)
    assert dialog.isVisible() and file.referral_dialog is dialog
    assert dialog.errors.messages(), "the refusal is shown in the form"
    assert dialog.send_button.isEnabled()  # ready for another try
    dialog.reject()


def test_the_secretariat_learns_it_books_off_the_ui_thread(
    qtbot, window, services, team, make_patient, passwords
):
    weekly_session(services, team)
    patient = make_patient("Dupré", "Jean")
    rid = sent_referral(services, team, patient)
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    file = secretary.open_patient(patient)
    with threads_of(services.scheduling, "sessions") as calls:
        file.select_tab("referrals")
        settle(qtbot, file)
        detail = file.referrals_tab.detail
        assert detail.view is not None and detail.view.id == rid
        assert detail.visible_actions() == ["book"]  # the receiver holds sessions
    off_ui_thread(calls)


def test_acknowledging_and_booking_call_the_services_off_the_ui_thread(
    qtbot, window, services, team, make_patient, passwords
):
    weekly_session(services, team)
    patient = make_patient("Dupré", "Jean")
    rid = sent_referral(services, team, patient)
    social = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = social.open_referral(patient, rid)
    settle(qtbot, file)
    detail = file.referrals_tab.detail
    assert detail.view is not None and detail.view.id == rid
    with (
        threads_of(services.referrals, "get", "for_patient", "acknowledge") as referrals,
        threads_of(services.scheduling, "sessions", "free_slots", "book") as scheduling,
    ):
        with held(services.referrals, "acknowledge") as release:
            click(qtbot, detail.action_buttons["acknowledge"])
            qtbot.waitUntil(lambda: not detail.action_buttons["acknowledge"].isEnabled())
            assert not detail.action_buttons["book"].isEnabled()  # one step at a time
            release.set()
            settle(qtbot, detail)
        assert detail.view.status is ReferralStatus.RECEIVED
        click(qtbot, detail.action_buttons["book"])
        qtbot.waitUntil(lambda: detail.slot_picker is not None)
        picker = detail.slot_picker
        settle(qtbot, picker)
        assert not picker.loading and picker.selected_slot() is not None
        click(qtbot, picker.ok)
        settle(qtbot, picker)
        assert picker.pages.currentIndex() == 1, picker.error.text()
        settle(qtbot, detail)
        picker.accept()
    off_ui_thread(referrals | scheduling)
    assert detail.view.status is ReferralStatus.APPOINTMENT_BOOKED


def test_a_refused_step_shows_under_the_referral(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Dupré", "Jean")
    rid = sent_referral(services, team, patient)
    social = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    file = social.open_referral(patient, rid)
    settle(qtbot, file)
    detail = file.referrals_tab.detail
    services.referrals.cancel(team.gp, rid, "Le patient a déménagé.")  # meanwhile, elsewhere
    click(qtbot, detail.action_buttons["acknowledge"])
    settle(qtbot, detail)
    assert detail.error.isVisible() and detail.error.text()
    assert detail.action_buttons["acknowledge"].isEnabled()  # given back after the refusal
