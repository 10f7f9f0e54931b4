"""Two main windows on the same PostgreSQL server, each with its own services, feed and
LISTEN connection (issue 12): the secretary books a slot and the social worker's open agenda
shows it without any click; the GP sends a referral and her inbox counter changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

GUI = Path(__file__).resolve().parents[1] / "gui"
sys.path.insert(0, str(GUI))
_spec = importlib.util.spec_from_file_location("relais_pg_gui_conftest", GUI / "conftest.py")
assert _spec and _spec.loader
_gui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gui)
passwords = _gui.passwords
root_conftest = _gui.root_conftest

from gui_helpers import login  # noqa: E402
from suite_clock import at  # noqa: E402
from test_scheduling_gui import TUE, book, carsat, send_referral  # noqa: E402

from app.container import Services  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.services.kernel.change_listener import ChangeListener  # noqa: E402
from app.views.shell.main_window import MainWindow  # noqa: E402

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(_gui.OFFSCREEN_NOISE),
]


@pytest.fixture
def social_workers_station(qtbot, db_url, clock, root_conftest, team):
    """The social worker's workstation: other services, other feed, its own listener."""
    services = Services.build(
        Database.open(db_url, upgrade=False),
        clock=clock,
        hasher=root_conftest.FAST_HASHER,
        kdf=root_conftest.FAST_KDF,
    )
    window = MainWindow(services, idle_ms=3_600_000, debounce_ms=0)
    qtbot.addWidget(window)
    window.show()
    listener = ChangeListener(services.db.url, services.changes, on_state=window.hub.report_state)
    listener.start()
    assert listener.connected.wait(10)
    yield window
    listener.stop()
    window.watcher.stop()
    window.watcher.uninstall()
    window._force_close = True
    services.db.dispose()


def test_two_windows_on_one_server(
    qtbot, services, team, make_patient, social_workers_station, passwords
):
    window = social_workers_station
    workspace = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    services.scheduling.create_session(team.coordinator, carsat(team.social_worker.user_id))
    agenda = workspace.open_agenda()
    agenda.go_to(TUE)
    qtbot.waitUntil(lambda: agenda.row_for(at(TUE, 9)) is not None, timeout=3000)
    before = workspace.unread
    patient = make_patient("Lefort", "Marie")
    rid = send_referral(services, team, patient)  # on the GP's workstation
    qtbot.waitUntil(lambda: workspace.unread == before + 1, timeout=2000)
    book(services, team, patient, at(TUE, 9), referral_id=rid)  # on the secretary's
    qtbot.waitUntil(lambda: agenda.row_for(at(TUE, 9)).appointment is not None, timeout=2000)


@pytest.mark.slow
def test_a_note_typed_during_a_server_outage_is_kept_then_saved(
    qtbot, services, team, make_patient, pg_server, passwords
):
    from test_pg_changes import pg_ctl, start_options

    from app.models.enums import Compartment

    window = MainWindow(services, idle_ms=3_600_000, debounce_ms=0)
    qtbot.addWidget(window)
    window.show()
    patient = make_patient("Lefort", "Anne")
    workspace = login(qtbot, window, "dr.durand", passwords("dr.durand"))
    file = workspace.open_patient(patient)
    tab = file.notes_tabs[Compartment.MEDICAL]
    file.select_tab(str(tab.property("compartment")))
    tab.start_new()
    text = "Tension 14/9, a revoir dans un mois."
    qtbot.keyClicks(tab.editor, text)
    pg_ctl(pg_server, "-m", "fast", "stop")
    try:
        tab.save()
        assert "Rien n'a été enregistré" in tab.editor_error.text()
        assert tab.editor.toPlainText() == text and tab.has_draft  # the input is kept
    finally:
        pg_ctl(pg_server, *start_options(pg_server))
    tab.save()  # the same click once the server is back
    assert not tab.has_draft
    assert [n.text for n in services.notes.list(team.gp, patient, Compartment.MEDICAL)] == [text]
    window.watcher.stop()
    window.watcher.uninstall()
    window._force_close = True
