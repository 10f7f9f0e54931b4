"""Live changes between workstations on a real PostgreSQL server: LISTEN/NOTIFY, and a server
restart mid-session (issue 12)."""

from __future__ import annotations

import queue
import subprocess
import threading

import pytest
from conftest import PgServer, _bin_dir
from unit_reuse import load_unit_module

from app.models.db import Database
from app.services.kernel.change_listener import ChangeListener, ConnectionState
from app.services.kernel.changes import ChangeBatch, ChangeFeed
from app.services.kernel.errors import StorageError

pytestmark = [pytest.mark.postgres]

_unit = load_unit_module("test_changes")
batches = _unit.batches
test_a_sent_referral_is_told_with_ids_and_kinds_only = (
    _unit.test_a_sent_referral_is_told_with_ids_and_kinds_only
)
test_nothing_is_told_for_a_rolled_back_unit_of_work = (
    _unit.test_nothing_is_told_for_a_rolled_back_unit_of_work
)
test_a_large_unit_of_work_is_told_as_kinds = _unit.test_a_large_unit_of_work_is_told_as_kinds


class Workstation:
    """Another workstation: its own engine, feed and listener on the same database."""

    def __init__(self, url: str, **listener_options) -> None:
        self.db = Database.open(url, upgrade=False)
        self.feed = ChangeFeed(self.db)
        self.received: queue.Queue[ChangeBatch] = queue.Queue()
        self.states: list[ConnectionState] = []
        self.feed.subscribe(self.received.put)
        self.listener = ChangeListener(
            self.db.url, self.feed, on_state=self.states.append, **listener_options
        )
        self.listener.start()
        assert self.listener.connected.wait(10), "the listener never connected"

    def next(self, timeout: float = 2.0) -> ChangeBatch:
        return self.received.get(timeout=timeout)

    def close(self) -> None:
        self.listener.stop()
        self.db.dispose()


@pytest.fixture
def other(db_url: str):
    station = Workstation(db_url, ping_s=0.5, retry_delays=(0.3, 0.6, 1.0))
    yield station
    station.close()


def pg_ctl(server: PgServer, *args: str) -> None:
    bin_dir = _bin_dir()
    assert bin_dir is not None
    prefix = ["runuser", "-u", "postgres", "--"] if __import__("os").geteuid() == 0 else []
    data = server.folder / "data"
    subprocess.run(
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(server.folder / "server.log"),
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


def start_options(server: PgServer) -> list[str]:
    return [
        "-o",
        f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "-w",
        "start",
    ]


def test_a_referral_sent_on_one_workstation_arrives_on_the_other(
    services, team, make_patient, other
):
    patient = make_patient("Martin", "Lucie")
    rid = _unit.send_referral(services, team, patient)
    batch = other.next(timeout=2.0)  # the budget: within 2 seconds
    while ("referral", rid) not in {(c.kind, c.id) for c in batch.changes}:
        batch = other.next(timeout=2.0)
    assert batch.origin == services.changes.origin and batch.user_id == team.gp.user_id


def test_a_workstation_does_not_hear_itself_twice(team, other, clock):
    from app.models import Notification

    with other.db.session() as session:
        session.add(
            Notification(user_id=team.gp.user_id, kind="reminder", text="x", created_at=clock())
        )
    first = other.next()
    assert first.origin == other.feed.origin
    with pytest.raises(queue.Empty):
        other.next(timeout=1.0)  # its own NOTIFY is dropped by the listener


@pytest.mark.slow
def test_server_restart_mid_session(services, team, make_patient, pg_server, other):
    """The listener says the connection is lost, reconnects, re-subscribes and asks for a
    full refresh; a save during the outage is refused with nothing half-written, and the same
    save made after the restart completes."""
    patient = make_patient("Lefort", "Anne")
    pg_ctl(pg_server, "-m", "fast", "stop")
    try:
        with pytest.raises(StorageError, match="Rien n'a été enregistré"):
            _unit.send_referral(services, team, patient)
        lost = threading.Event()
        for _ in range(50):
            if any(not s.connected for s in other.states):
                lost.set()
                break
            threading.Event().wait(0.1)
        assert lost.is_set(), other.states
        [state] = [s for s in other.states if not s.connected][:1]
        assert state.retry_in > 0
    finally:
        pg_ctl(pg_server, *start_options(pg_server))
    assert other.listener.connected.wait(15), other.states
    assert other.states[-1].connected  # reported before the listener counts as connected
    while True:  # the "anything may have changed" batch after reconnection
        batch = other.next(timeout=5.0)
        if not batch.complete:
            break
    # The unit of work refused during the outage left nothing behind.
    assert services.referrals.for_patient(team.gp, patient) == []
    rid = _unit.send_referral(services, team, patient)  # the pool reconnects by itself
    seen: set[tuple[str, int | None]] = set()
    while ("referral", rid) not in seen:
        seen |= {(c.kind, c.id) for c in other.next(timeout=3.0).changes}
