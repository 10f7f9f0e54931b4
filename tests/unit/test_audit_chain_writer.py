"""The audit chain as the services write it: contiguous positions, valid keyed hashes, two
workstations appending at once, rolled-back units of work, entries written without the key."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.services.audit_chain import GENESIS, verify
from app.services.container import ENV_AUDIT_KEY, Services
from app.services.errors import PermissionDenied


def _chain(database: Database) -> list[tuple[int, int, str | None, int | None]]:
    with database.sessions() as session:
        return [
            (e.id, e.seq, e.mac, e.user_id)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _head(database: Database) -> tuple[int, str]:
    with database.sessions() as session:
        head = session.get(AuditHead, 1)
        return head.seq, head.mac


def _verify(database: Database, key: bytes):
    with database.engine.connect() as conn:
        return verify(conn, key)


def test_entries_written_by_the_services_are_chained(services, team, make_patient, database):
    assert services.audit.sealing and len(services.audit.key) == 32
    patient_id = make_patient()
    note = services.notes.add(team.gp, patient_id, "medical", "Note.")
    services.notes.edit(team.gp, note.id, "Note corrigée.", note.version)
    services.notes.list(team.gp2, patient_id, "medical")
    with pytest.raises(PermissionDenied):
        services.notes.list(team.secretary, patient_id, "medical")
    services.auth.logout(team.gp)
    chain = _chain(database)
    assert [seq for _, seq, _, _ in chain] == list(range(1, len(chain) + 1))
    assert all(mac is not None and len(mac) == 64 for _, _, mac, _ in chain)
    assert len({mac for _, _, mac, _ in chain}) == len(chain)
    assert _head(database) == (len(chain), chain[-1][2])
    report = _verify(database, services.audit.key)
    assert report.ok, report.message()
    assert (report.checked, report.last_seq, report.unsealed) == (len(chain), len(chain), 0)
    assert report.message() == f"Journal d'audit intact : {len(chain)} entrées vérifiées."
    # The key matters: another one fails at the very first entry.
    wrong = _verify(database, bytes(32))
    assert not wrong.ok and wrong.first_bad_seq == 1


def test_a_rolled_back_unit_of_work_leaves_no_gap(services, team, database):
    before = _head(database)
    with pytest.raises(RuntimeError), database.session() as session:
        services.audit.add(session, team.gp, "read")
        services.audit.add(session, team.gp, "read")
        raise RuntimeError("échec au milieu d'une unité de travail")
    assert _head(database) == before
    services.audit.record(team.gp, "read")
    chain = _chain(database)
    assert chain[-1][1] == before[0] + 1
    assert _verify(database, services.audit.key).ok


def test_two_workstations_append_at_once(db_url, services, team, make_patient, database):
    """Two ``Services`` on the same SQLite file (two engines, as two workstations), each
    writing notes and refusals in threads: one chain, no position taken twice, all valid."""
    patient_id = make_patient()
    other_db = Database.open(db_url)
    try:
        other = Services.build(other_db, clock=services.clock, hasher=None, kdf=None)
        assert other.audit.key == services.audit.key  # found in the keyring
        start = _head(database)[0]
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def work(svc: Services, writer, refused, label: str) -> None:
            try:
                barrier.wait()
                for i in range(15):
                    svc.notes.add(writer, patient_id, "medical", f"{label} {i}")
                    with pytest.raises(PermissionDenied):
                        svc.notes.list(refused, patient_id, "medical")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=work, args=(services, team.gp, team.secretary, "A")),
            threading.Thread(target=work, args=(other, team.gp2, team.coordinator, "B")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    finally:
        other_db.dispose()
    chain = _chain(database)
    new = [entry for entry in chain if entry[1] > start]
    assert len(new) == 60
    assert sorted(seq for _, seq, _, _ in chain) == list(range(1, len(chain) + 1))
    assert [seq for _, seq, _, _ in chain] == sorted(seq for _, seq, _, _ in chain)
    writers = [user_id for *_, user_id in new]
    assert writers.count(team.gp.user_id) == writers.count(team.gp2.user_id) == 15
    report = _verify(database, services.audit.key)
    assert report.ok, report.message()
    assert report.checked == len(chain)


def test_entries_written_without_the_key_after_sealing_are_reported(
    services, team, database, memory_keyring, monkeypatch, clock, helpers
):
    key = services.audit.key
    memory_keyring.store.clear()
    monkeypatch.delenv(ENV_AUDIT_KEY, raising=False)
    keyless = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    assert keyless.audit.key is None and not keyless.audit.sealing
    sealed_before = len(_chain(database))
    keyless.auth.login("dr.durand", helpers.password)
    keyless.audit.record(team.gp, "read")
    assert len(_chain(database)) - sealed_before >= 2
    assert all(mac is None for _, _, mac, _ in _chain(database)[sealed_before:])
    # The chain goes on with the key afterwards…
    services.audit.record(team.gp, "read")
    assert _head(database)[1] == _chain(database)[-1][2] != GENESIS
    # …but entries that nothing seals cannot be told from forged ones: reported.
    report = _verify(database, key)
    assert not report.ok and report.first_bad_seq == sealed_before + 1
    assert "poste sans clé d'audit" in report.message()


def test_the_key_comes_from_the_environment_when_no_keyring_holds_it(
    services, team, database, memory_keyring, monkeypatch, clock, helpers
):
    key = services.audit.key
    memory_keyring.store.clear()
    monkeypatch.setenv(ENV_AUDIT_KEY, key.hex())
    from_env = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    assert from_env.audit.key == key
    monkeypatch.setenv(ENV_AUDIT_KEY, "pas-une-clé")
    assert Services.build(database, clock=clock).audit.key is None
