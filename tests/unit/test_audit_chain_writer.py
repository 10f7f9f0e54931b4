"""The audit chain as the services write it: contiguous positions, valid keyed hashes, two
workstations appending at once, rolled-back units of work, entries written without the key,
and the chain head kept in this workstation's keyring."""

from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy import event, select, text

from app.container import ENV_AUDIT_KEY, Services, installation_id
from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.services.audit.anchor import HeadAnchor, read_stored_head
from app.services.audit.chain import GENESIS, verify
from app.services.kernel.errors import PermissionDenied
from app.services.security.secrets_store import AUDIT_HEAD, SERVICE, SecretStore


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


# ---- the head kept in this workstation's keyring ------------------------------------------


def _kept(memory_keyring, database: Database) -> tuple[int, str] | None:
    ident = installation_id(database)
    text = memory_keyring.store.get((SERVICE, f"{ident}:{AUDIT_HEAD}"))
    return (int(text.split()[0]), text.split()[1]) if text else None


class _CountingKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, inner) -> None:
        super().__init__()
        self.inner = inner
        self.writes: list[str] = []

    def get_password(self, service, username):
        return self.inner.get_password(service, username)

    def set_password(self, service, username, password):
        self.writes.append(username)
        self.inner.set_password(service, username, password)

    def delete_password(self, service, username):
        self.inner.delete_password(service, username)


def test_the_head_is_kept_in_the_keyring_once_per_unit_of_work(
    services, team, database, memory_keyring
):
    services.audit.record(team.gp, "read")
    assert _kept(memory_keyring, database) == _head(database)
    counting = _CountingKeyring(memory_keyring)
    keyring.set_keyring(counting)
    with database.session() as session:
        for _ in range(5):
            services.audit.add(session, team.gp, "read")
    assert counting.writes == [f"{installation_id(database)}:{AUDIT_HEAD}"]
    assert _kept(memory_keyring, database) == _head(database)
    # A rolled-back unit of work writes nothing, in the database or in the keyring.
    before = _kept(memory_keyring, database)
    with pytest.raises(RuntimeError), database.session() as session:
        services.audit.add(session, team.gp, "read")
        raise RuntimeError("échec")
    assert len(counting.writes) == 1 and _kept(memory_keyring, database) == before
    with database.engine.connect() as conn:
        report = verify(conn, services.audit.key, kept=read_stored_head(conn))
    assert report.ok and report.stored_head == "checked"
    assert report.kept_seq == report.last_seq


def test_a_truncated_tail_is_not_covered_up_by_later_entries(
    services, team, database, memory_keyring
):
    services.audit.record(team.gp, "read")
    kept = _kept(memory_keyring, database)
    assert kept is not None and kept[0] > 5
    cut = kept[0] - 3
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        conn.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": cut})
        mac = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == cut))
        conn.execute(text("UPDATE audit_head SET seq = :s, mac = :m"), {"s": cut, "m": mac})
    # The application goes on writing (more entries than were cut): the kept head stays, as
    # evidence, instead of following the rewritten chain.
    for _ in range(6):
        services.audit.record(team.gp, "read")
    assert _kept(memory_keyring, database) == kept
    with database.engine.connect() as conn:
        assert verify(conn, services.audit.key).ok  # the database alone looks intact
        report = verify(conn, services.audit.key, kept=read_stored_head(conn))
    assert not report.ok and report.first_bad_seq == kept[0]
    assert "n'est plus celle que ce poste a scellée" in report.problem


def test_a_restore_on_another_workstation_supersedes_this_ones_kept_head(
    db_url, services, team, database, clock, helpers, tmp_path, memory_keyring
):
    """PostgreSQL-like: two workstations on one database, each with its own keyring. A
    restores a backup; B's kept head now points past the restored trail."""
    b_keyring = type(memory_keyring)()
    b_keyring.store.update(  # B holds the audit key, nothing else
        {k: v for k, v in memory_keyring.store.items() if k[1].endswith(":audit-key")}
    )
    b_db = Database.open(db_url)
    try:
        b = Services.build(b_db, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
        b.audit.anchor = HeadAnchor(lambda scope: SecretStore(scope, backend=b_keyring))

        def b_kept():
            with b_db.engine.connect() as conn:
                return read_stored_head(conn, lambda s: SecretStore(s, backend=b_keyring))

        backup = services.backups.create(team.coordinator, folder=tmp_path / "sauvegardes")
        clock.advance(minutes=10)
        for _ in range(3):
            b.audit.record(team.gp2, "read")
        kept = b_kept()
        assert kept.seq == _head(database)[0]
        clock.advance(minutes=10)
        services.backups.restore(backup.path)
        b_db.dispose()  # SQLite: the file was replaced (a PostgreSQL server just goes on)
        with b_db.engine.connect() as conn:
            report = verify(conn, services.audit.key, kept=kept)
        assert report.ok and report.stored_head == "restored", report.message()
        assert "restauré depuis une sauvegarde" in report.message()
        # B's next sealed entry starts its kept head again from the restored chain.
        b.audit.record(team.gp2, "read")
        assert b_kept().seq == _head(database)[0] < kept.seq
        with b_db.engine.connect() as conn:
            report = verify(conn, services.audit.key, kept=read_stored_head(conn))  # A
            assert report.ok and report.stored_head == "checked", report.message()
            report = verify(conn, services.audit.key, kept=b_kept())
            assert report.ok and report.stored_head == "checked", report.message()
    finally:
        b_db.dispose()


def test_without_a_keyring_backend_nothing_breaks_and_verify_says_so(
    services, team, database, monkeypatch, clock, helpers
):
    key = services.audit.key
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(ENV_AUDIT_KEY, key.hex())
    other = Services.build(database, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
    assert other.audit.key == key
    other.audit.record(team.gp, "read")
    services.audit.record(team.gp, "read")  # this writer had a keyring, and lost it
    with database.engine.connect() as conn:
        kept = read_stored_head(conn)
        report = verify(conn, key, kept=kept)
    assert not kept.available
    assert report.ok and report.stored_head == "unavailable"
    assert "Trousseau du système indisponible" in report.message()
    assert "impossible de comparer" in report.message()


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


def _statements_of(database: Database, work) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return seen


def test_the_kept_head_is_checked_with_the_chain_head_in_one_statement(
    services, team, database, memory_keyring
):
    services.audit.record(team.gp, "read")
    kept = _kept(memory_keyring, database)
    seen = _statements_of(database, lambda: services.audit.record(team.gp, "read"))
    audit = [s for s in seen if "audit_" in s]
    assert len(audit) == 3, audit  # the head (with the kept entry), the entry, the head
    assert "FROM audit_head" in audit[0] and "audit_entry.seq =" in audit[0]
    assert audit[1].startswith("INSERT INTO audit_entry")
    assert audit[2].startswith("UPDATE audit_head")
    assert _kept(memory_keyring, database) == _head(database) != kept


def test_a_head_read_before_the_entries_are_sealed_still_checks_the_kept_head(
    services, team, database, memory_keyring
):
    """A query of the audit tables inside a unit of work writes what waits and reads the head
    then; entries added after it are checked against the kept head all the same."""
    services.audit.record(team.gp, "read")
    kept = _kept(memory_keyring, database)
    with database.session() as session:
        services.audit.add(session, team.gp, "read")
        session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
        services.audit.add(session, team.gp, "read")
    assert _kept(memory_keyring, database) == _head(database) != kept
    kept = _kept(memory_keyring, database)
    anchor, now = services.audit.anchor, services.audit.now()
    with database.session(write=False) as session:  # not read with the head: read alone
        assert anchor.pending(session, *_head(database), now).seq == kept[0]
    # The kept entry replaced meanwhile (same position, another MAC): the kept head stays.
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
        conn.execute(
            text("UPDATE audit_entry SET mac = :m WHERE seq = :s"), {"m": "0" * 64, "s": kept[0]}
        )
    with database.session() as session:
        session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
        services.audit.add(session, team.gp, "read")
        session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
        services.audit.add(session, team.gp, "read")
    assert _kept(memory_keyring, database) == kept
    with database.session(write=False) as session:
        assert anchor.pending(session, *_head(database), now) is None
