"""The keyed hash chain of the audit trail, attacked the way someone with the database file
would: the append-only triggers dropped first with raw SQL, then entries edited, deleted,
swapped, inserted, made unsealed, forged unsealed at the end, or the tail cut (with the
``audit_head`` row rewound to match). ``verify`` must point at the right entry each time."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text

from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.services.audit import chain as audit_chain
from app.services.audit.anchor import StoredHead
from app.services.audit.chain import GENESIS, key_matches, read_head, seal_rows, verify
from app.services.audit.writer import AuditWriter

KEY = bytes(range(32))
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def _rows(count: int, start: int = 0) -> list[dict]:
    return [
        {
            "at": T0 + timedelta(seconds=start + i),
            "user_id": (start + i) % 7 + 1,
            "username": f"user{(start + i) % 7}",
            "role": "gp",
            "action": "read",
            "outcome": "ok",
            "patient_id": (start + i) % 1000 + 1,
            "compartment": "medical",
            "object_type": "note",
            "object_id": None,
            "workstation": "POSTE-1",
            "detail": f"{i} note(s)",
        }
        for i in range(count)
    ]


def _fill(db: Database, count: int, key: bytes | None = KEY, chunk: int = 50_000) -> None:
    """Bulk chain: ``seal_rows`` then Core inserts, head updated (as the demo does)."""
    seq, mac = 0, GENESIS
    with db.session() as session:
        for start in range(0, count, chunk):
            rows = _rows(min(chunk, count - start), start)
            seq, mac = seal_rows(key, seq, mac, rows)
            session.execute(insert(AuditEntry.__table__), rows)
        session.merge(AuditHead(id=1, seq=seq, mac=mac))


def _attack(db: Database, *statements: str, **params) -> None:
    """An attacker with write access to the file: triggers gone, then raw SQL."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for statement in statements:
            conn.execute(text(statement), params)


def _verify(db: Database, key: bytes = KEY, **kwargs) -> audit_chain.VerifyReport:
    with db.engine.connect() as conn:
        return verify(conn, key, **kwargs)


@pytest.fixture
def chain(database: Database) -> Database:
    _fill(database, 50)
    assert _verify(database).ok
    return database


def test_triggers_refuse_changes_before_any_attack(chain: Database):
    with pytest.raises(Exception, match="append-only"), chain.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entry SET detail = 'x' WHERE seq = 3")
    with pytest.raises(Exception, match="append-only"), chain.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_entry WHERE seq = 3")


@pytest.mark.parametrize(
    "column, value",
    [
        ("detail", "0 note(s) "),
        ("username", "user9"),
        ("patient_id", 999),
        ("action", "reae"),  # one letter
        ("at", "2026-01-05 08:00:21.000000"),
    ],
)
def test_an_edited_field_is_found(chain: Database, column: str, value):
    _attack(chain, f"UPDATE audit_entry SET {column} = :v WHERE seq = 21", v=value)
    report = _verify(chain)
    assert not report.ok
    assert report.first_bad_seq == 21
    assert report.checked == 20
    assert "modifiée" in report.message() and "n° 21" in report.message()


def test_a_flipped_byte_of_the_mac_is_found(chain: Database):
    with chain.engine.connect() as conn:
        mac = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 33))
    flipped = ("1" if mac[10] != "1" else "2").join([mac[:10], mac[11:]])
    _attack(chain, "UPDATE audit_entry SET mac = :m WHERE seq = 33", m=flipped)
    assert _verify(chain).first_bad_seq == 33


def test_a_deleted_row_is_found(chain: Database):
    _attack(chain, "DELETE FROM audit_entry WHERE seq = 17")
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 17
    assert "supprimée" in report.problem


def test_a_deleted_row_with_renumbered_positions_is_found(chain: Database):
    # A careful attacker also closes the gap in the positions: the MAC chain still breaks.
    _attack(
        chain,
        "DELETE FROM audit_entry WHERE seq = 17",
        "UPDATE audit_entry SET seq = -(seq - 1) WHERE seq > 17",
        "UPDATE audit_entry SET seq = -seq WHERE seq < 0",
    )
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 17


def test_two_swapped_rows_are_found(chain: Database):
    _attack(
        chain,
        "UPDATE audit_entry SET seq = -1 WHERE seq = 10",
        "UPDATE audit_entry SET seq = 10 WHERE seq = 11",
        "UPDATE audit_entry SET seq = 11 WHERE seq = -1",
    )
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 10


def test_an_inserted_row_is_found(chain: Database):
    # Shift every later entry by one, and slip a forged entry into the gap (with a MAC
    # computed under a key the attacker guessed).
    _attack(
        chain,
        "UPDATE audit_entry SET seq = -(seq + 1) WHERE seq >= 25",
        "UPDATE audit_entry SET seq = -seq WHERE seq < 0",
    )
    with chain.engine.connect() as conn:
        previous = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 24))
    forged = _rows(1, 500)[0]
    seal_rows(secrets.token_bytes(32), 24, previous, [forged])
    with chain.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), [forged])
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 25


def test_a_truncated_tail_is_found(chain: Database):
    _attack(chain, "DELETE FROM audit_entry WHERE seq > 40")
    report = _verify(chain)
    assert not report.ok
    assert report.first_bad_seq == 41 and report.checked == 40
    assert "tronquée" in report.problem


def test_a_truncated_tail_with_a_forged_head_needs_the_exported_head(chain: Database):
    with chain.engine.connect() as conn:
        exported_seq, exported = read_head(conn)
        mac_40 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 40))
    assert exported_seq == 50
    _attack(
        chain,
        "DELETE FROM audit_entry WHERE seq > 40",
        "UPDATE audit_head SET seq = 40, mac = :m",
        m=mac_40,
    )
    assert _verify(chain).ok  # the database alone cannot tell…
    report = _verify(chain, expected_head=exported)  # …the head kept outside can
    assert not report.ok and "empreinte exportée" in report.problem


def test_expected_head_present_is_accepted(chain: Database):
    with chain.engine.connect() as conn:
        mac_30 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 30))
    assert _verify(chain, expected_head=mac_30).ok
    assert not _verify(chain, expected_head="ab" * 32).ok


def test_a_wrong_key_fails_at_the_first_entry(chain: Database):
    report = _verify(chain, key=secrets.token_bytes(32))
    assert not report.ok and report.first_bad_seq == 1
    assert "clé d'audit" in report.problem
    with chain.engine.connect() as conn:
        assert key_matches(conn, KEY) is True
        assert key_matches(conn, secrets.token_bytes(32)) is False


def test_an_unsealed_prefix_written_before_the_key_is_accepted(database: Database, clock):
    unsealed = AuditWriter(database, clock, key=None)
    sealed = AuditWriter(database, clock, key=KEY)
    for writer in (unsealed, unsealed, unsealed, sealed, sealed):
        writer.record(None, "login", username="x")
    report = _verify(database)
    assert report.ok and report.checked == 5 and report.unsealed == 3
    assert "les 3 premières entrées, écrites avant la clé d'audit" in report.message()
    with database.engine.connect() as conn:
        assert key_matches(conn, KEY) is True
        assert read_head(conn)[0] == 5


def test_an_unsealed_entry_after_a_sealed_one_is_reported(database: Database, clock):
    # A workstation without the key writes unsealed entries: nothing tells them apart from
    # forged ones, so the chain is reported from the first of them on.
    unsealed = AuditWriter(database, clock, key=None)
    sealed = AuditWriter(database, clock, key=KEY)
    for writer in (unsealed, sealed, sealed, unsealed, sealed):
        writer.record(None, "login", username="x")
    report = _verify(database)
    assert not report.ok and report.first_bad_seq == 4 and report.checked == 3
    assert "n'est pas scellée" in report.problem and "poste sans clé d'audit" in report.problem


# ---- attacks on the end of the chain ---------------------------------------------------------


def test_a_forged_append_with_no_mac_and_a_bumped_head_is_found(chain: Database):
    with chain.engine.connect() as conn:
        _seq, exported = read_head(conn)
    forged = _rows(1, 900)[0] | {"seq": 51, "mac": None}
    _attack(chain, "UPDATE audit_head SET seq = 51")
    with chain.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), [forged])
    for expected in (None, exported):
        report = _verify(chain, expected_head=expected)
        assert not report.ok and report.first_bad_seq == 51 and report.checked == 50
        assert "n'est pas scellée" in report.problem
        assert "ALTÉRÉ (entrée n° 51)" in report.message()


def test_an_edited_last_entry_with_no_mac_and_a_rewound_head_is_found(chain: Database):
    with chain.engine.connect() as conn:
        mac_49 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 49))
    _attack(
        chain,
        "UPDATE audit_entry SET username = 'quelquun', mac = NULL WHERE seq = 50",
        "UPDATE audit_head SET seq = 50, mac = :m",
        m=mac_49,
    )
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 50 and report.checked == 49
    assert "n'est pas scellée" in report.problem


def test_a_chain_replaced_by_unsealed_entries_needs_a_head_kept_outside(chain: Database):
    with chain.engine.connect() as conn:
        kept = StoredHead(True, *read_head(conn))
    # Every MAC removed: the database alone shows an "unsealed prefix" (a very old trail)…
    _attack(
        chain,
        "UPDATE audit_entry SET mac = NULL",
        "UPDATE audit_head SET mac = :g",
        g=GENESIS,
    )
    assert _verify(chain).ok
    # …the head this workstation kept in its keyring does not.
    report = _verify(chain, kept=kept)
    assert not report.ok and report.first_bad_seq == 50
    assert "n'est plus celle que ce poste a scellée" in report.problem


def test_a_truncated_tail_with_a_rewound_head_is_found_by_the_kept_head(chain: Database):
    with chain.engine.connect() as conn:
        kept = StoredHead(True, *read_head(conn))
        mac_40 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 40))
    report = _verify(chain, kept=kept)
    assert report.ok and report.stored_head == "checked" and report.kept_seq == 50
    assert "L'entrée n° 50, la dernière scellée par ce poste" in report.message()
    _attack(
        chain,
        "DELETE FROM audit_entry WHERE seq > 40",
        "UPDATE audit_head SET seq = 40, mac = :m",
        m=mac_40,
    )
    assert _verify(chain).ok  # the database alone cannot tell
    report = _verify(chain, kept=kept)
    assert not report.ok and report.first_bad_seq == 41 and report.checked == 40
    assert "tronquée" in report.problem and "ce poste a scellé l'entrée n° 50" in report.problem


def test_a_kept_head_that_lags_behind_is_enough(chain: Database):
    # The keyring is written after the commit: a crash in between leaves an older head there.
    with chain.engine.connect() as conn:
        mac_45 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 45))
    report = _verify(chain, kept=StoredHead(True, 45, mac_45))
    assert report.ok and report.kept_seq == 45
    # A truncation below the kept head still shows.
    _attack(chain, "DELETE FROM audit_entry WHERE seq > 44")
    with chain.engine.connect() as conn:
        mac_44 = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == 44))
    _attack(chain, "UPDATE audit_head SET seq = 44, mac = :m", m=mac_44)
    assert not _verify(chain, kept=StoredHead(True, 45, mac_45)).ok


def _cut_and_restore(chain: Database, cut: int, at: datetime, key: bytes = KEY) -> None:
    """The trail rewound to ``cut`` entries, then a restore entry sealed after it."""
    with chain.engine.connect() as conn:
        mac = conn.scalar(select(AuditEntry.mac).where(AuditEntry.seq == cut))
    restore = _rows(1)[0] | {"action": "backup_restore", "at": at, "username": "relais"}
    seq, head = seal_rows(key, cut, mac, [restore])
    _attack(
        chain,
        "DELETE FROM audit_entry WHERE seq > :c",
        "UPDATE audit_head SET seq = :s, mac = :m",
        c=cut,
        s=seq,
        m=head,
    )
    with chain.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), [restore])


def test_a_restore_recorded_after_the_kept_head_supersedes_it(chain: Database):
    # Another workstation restored a backup after this one kept its head: the trail was
    # rewound on purpose, and the sealed restore entry says so.
    with chain.engine.connect() as conn:
        kept = StoredHead(True, *read_head(conn), at=T0 + timedelta(hours=1))
    _cut_and_restore(chain, 40, T0 + timedelta(hours=2))
    report = _verify(chain, kept=kept)
    assert report.ok, report.message()
    assert report.stored_head == "restored" and report.restored_seq == 41
    assert "restauré depuis une sauvegarde (entrée n° 41)" in report.message()


def test_an_older_restore_does_not_excuse_a_truncation(chain: Database):
    with chain.engine.connect() as conn:
        kept = StoredHead(True, *read_head(conn), at=T0 + timedelta(hours=3))
    _cut_and_restore(chain, 40, T0 + timedelta(hours=2))
    report = _verify(chain, kept=kept)
    assert not report.ok and "ce poste a scellé l'entrée n° 50" in report.problem


def test_a_forged_restore_entry_is_found(chain: Database):
    with chain.engine.connect() as conn:
        kept = StoredHead(True, *read_head(conn), at=T0 + timedelta(hours=1))
    _cut_and_restore(chain, 40, T0 + timedelta(hours=2), key=secrets.token_bytes(32))
    report = _verify(chain, kept=kept)
    assert not report.ok and report.first_bad_seq == 41 and "modifiée" in report.problem


def test_what_verify_says_without_a_kept_head(chain: Database):
    none = _verify(chain, kept=StoredHead(True))
    assert none.ok and none.stored_head == "none"
    assert "Aucune empreinte de fin de chaîne" in none.message()
    unavailable = _verify(chain, kept=StoredHead(False))
    assert unavailable.ok and unavailable.stored_head == "unavailable"
    assert "impossible de comparer" in unavailable.message()
    assert "audit head" in unavailable.message()


def test_entries_written_by_the_services_verify(services, team, make_patient):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Consultation de contrôle.")
    services.notes.list(team.gp, patient, "medical")
    with services.db.engine.connect() as conn:
        report = verify(conn, services.audit.key)
    assert report.ok and report.unsealed == 0 and report.checked > 10


def test_an_untouched_chain_of_100000_entries_verifies(database: Database):
    _fill(database, 100_000)
    seen: list[int] = []
    report = _verify(database, progress=seen.append)
    assert report.ok and report.checked == 100_000 and report.last_seq == 100_000
    assert seen[-1] == 100_000
    with database.engine.connect() as conn:
        assert read_head(conn) == (100_000, report.last_mac)


def test_the_verifiers_raw_reading_hashes_the_same_bytes_as_the_writer(database: Database):
    """``verify`` reads raw driver values (SQLite's stored text for dates): their canonical
    bytes must be those the writer sealed, for awkward values too."""
    rows = _rows(4)
    rows[0]["detail"] = "a\\b\x1fc"  # a backslash and a unit separator, escaped
    rows[1]["username"], rows[1]["patient_id"] = "", None
    rows[2]["at"] = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=UTC)
    rows[3]["at"] = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # no microsecond
    seq, mac = seal_rows(KEY, 0, GENESIS, rows)
    with database.session() as session:
        session.execute(insert(AuditEntry.__table__), rows)
        session.merge(AuditHead(id=1, seq=seq, mac=mac))
    columns = [getattr(AuditEntry, name) for name in audit_chain.FIELDS]
    with database.engine.connect() as conn:
        typed = conn.execute(select(*columns).order_by(AuditEntry.seq)).all()
        raw = conn.exec_driver_sql(audit_chain._VERIFY_SQL).all()
    assert [audit_chain.raw_canonical(tuple(r)) for r in raw] == [
        audit_chain.canonical(r) for r in typed
    ]
    assert _verify(database).ok and _verify(database).checked == 4
