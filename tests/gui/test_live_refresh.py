"""The window's one "data changed" hub: the inbox counter, the open agenda and the referral
lists refresh by themselves; an open patient file changed elsewhere says so without losing
what is being typed (issue 12). On SQLite, from this workstation's own changes."""

from __future__ import annotations

import pytest
from gui_helpers import login
from PySide6.QtCore import Qt
from suite_clock import at
from test_scheduling_gui import TUE, book, send_referral

from app.services.kernel.change_kinds import Change, ChangeBatch
from app.views.common.data_changed import ConnectionBanner

pytestmark = pytest.mark.gui


@pytest.fixture
def session(services, team):
    from test_scheduling_gui import carsat

    return services.scheduling.create_session(team.coordinator, carsat(team.social_worker.user_id))


def test_inbox_counter_and_agenda_follow_changes_without_a_click(
    qtbot, window, services, team, session, make_patient, passwords
):
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    agenda = workspace.open_agenda()
    agenda.go_to(TUE)
    before = workspace.unread
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)  # the GP, on this workstation
    qtbot.waitUntil(lambda: workspace.unread == before + 1, timeout=2000)
    assert agenda.row_for(at(TUE, 9)).appointment is None
    book(services, team, patient, at(TUE, 9), referral_id=rid)  # the secretary
    qtbot.waitUntil(lambda: agenda.row_for(at(TUE, 9)).appointment is not None, timeout=2000)


def test_a_file_changed_elsewhere_says_so_and_keeps_the_draft(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Martin", "Lucie")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    [notes] = [t for t in file.notes_tabs.values()][:1]
    file.select_tab(str(notes.property("compartment")))
    assert getattr(file, "changed_banner", None) is None
    services.patients.get(team.secretary, patient)  # a read: nothing to tell
    window.hub.deliver(
        ChangeBatch(
            (Change("patient", patient, patient),),
            user_id=team.secretary.user_id,
            at=services.clock(),
            origin="un-autre-poste",
        )
    )
    qtbot.waitUntil(lambda: getattr(file, "changed_banner", None) is not None, timeout=2000)
    banner = file.changed_banner
    assert banner.isVisible()
    assert "Modifié par Nadia Roux à " in banner.label.text()
    assert "Actualiser" in banner.button.text().replace("&", "")  # a mnemonic may be added
    qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_own_changes_show_no_banner(qtbot, window, services, team, make_patient, passwords):
    patient = make_patient("Petit", "Noé")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    send_referral(services, team, patient)
    qtbot.wait(400)
    assert getattr(file, "changed_banner", None) is None or not file.changed_banner.isVisible()


def test_connection_banner_counts_down_and_hides(qtbot):
    from app.services.kernel.change_listener import ConnectionState

    banner = ConnectionBanner()
    qtbot.addWidget(banner)
    banner.show_state(ConnectionState(False, 4.0, 1))
    assert not banner.isHidden()
    assert "Connexion au serveur perdue — nouvel essai dans 4 s" in banner.text()
    qtbot.waitUntil(lambda: banner.remaining == 3, timeout=2500)
    assert "dans 3 s" in banner.text()
    banner.show_state(ConnectionState(True))
    assert banner.isHidden()


def test_window_shows_the_listeners_state(qtbot, window):
    from app.services.kernel.change_listener import ConnectionState

    window.hub.report_state(ConnectionState(False, 2.0, 1))
    qtbot.waitUntil(lambda: not window.live.banner.isHidden(), timeout=2000)
    window.hub.report_state(ConnectionState(True))
    qtbot.waitUntil(lambda: window.live.banner.isHidden(), timeout=2000)
