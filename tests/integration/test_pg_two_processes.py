"""Two real processes on PostgreSQL (issue 12): the GP's workstation (this test) sends
referrals, the social worker's (another process) hears each one and re-reads her inbox
counter; then the server restarts mid-session: her workstation says the connection is lost,
reconnects and re-subscribes, and a save made during the outage is refused whole (nothing
half-written), the same save after the restart completes and is heard."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from test_pg_changes import pg_ctl, start_options
from unit_reuse import load_unit_module

from app.services.kernel.errors import StorageError
from app.services.referrals.records import ReferralInput

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from notify_station import Station  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
_unit = load_unit_module("test_changes")
PASSWORD = "mot-de-passe-de-test-1"  # tests/conftest.py PASSWORD


def station_env() -> dict[str, str]:
    root = str(TESTS.parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def social_worker(db_url, team):
    station = Station(db_url, "as.moreau", PASSWORD, env=station_env(), suite_clock=True)
    yield station
    station.close()


def test_referrals_are_heard_by_the_other_process(services, team, make_patient, social_worker):
    patient = make_patient("Martin", "Lucie")
    delays = []
    for n in range(5):
        draft = services.referrals.create(
            team.gp, ReferralInput(patient, "housing", receiver_id=team.social_worker.user_id)
        )
        sent = time.monotonic()
        services.referrals.send(team.gp, draft.id, patient_agrees=True)
        social_worker.until(
            lambda e, n=n, rid=draft.id: rid in e.get("referrals", ()) and (e["unread"] or 0) > n,
            timeout=2,
        )
        delays.append(time.monotonic() - sent)
    assert max(delays) < 2.0  # the budget: in the other inbox within 2 seconds


def test_server_restart_between_two_processes(
    services, team, make_patient, pg_server, social_worker
):
    patient = make_patient("Lefort", "Anne")
    first = _unit.send_referral(services, team, patient)
    social_worker.until(lambda e: first in e.get("referrals", ()))
    pg_ctl(pg_server, "-m", "fast", "stop")
    try:
        social_worker.until(lambda e: e.get("state") == "lost", timeout=10)
        with pytest.raises(StorageError, match="Rien n'a été enregistré"):
            _unit.send_referral(services, team, patient)
    finally:
        pg_ctl(pg_server, *start_options(pg_server))
    social_worker.until(lambda e: e.get("state") == "restored", timeout=20)
    # After re-subscribing: "anything may have changed" (notifications were missed).
    social_worker.until(lambda e: e.get("complete") is False, timeout=10)
    assert [r.id for r in services.referrals.for_patient(team.gp, patient)] == [first]
    again = _unit.send_referral(services, team, patient)
    social_worker.until(
        lambda e: again in e.get("referrals", ()) and (e["unread"] or 0) >= 2, timeout=5
    )
