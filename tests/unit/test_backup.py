"""Encrypted backups on real SQLite files: round trip, refusals, keys, schedule, full disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import select

from app.container import Services
from app.models import AuditEntry, Base
from app.models.db import Database
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.audit.anchor import read_stored_head
from app.services.audit.chain import verify
from app.services.clinic.backup_files import SUFFIX, BackupCancelled, BackupError
from app.services.clinic.records import ClinicInput
from app.services.kernel.errors import PermissionDenied
from app.services.patient_file.records import PatientInput
from app.services.security import crypto
from app.services.security.keys import format_recovery_key


def _setup(services: Services, helpers, folder: Path, name: str = "MSP des Tilleuls"):
    result = services.clinic.setup(
        ClinicInput(name, backup_dir=str(folder), require_totp=False, backup_keep=3),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        helpers.coordinator_password,
    )
    coord = services.auth.login("coord", helpers.coordinator_password)
    services.accounts.create_user(
        coord,
        UserInput(
            "dr.durand", "Paul", "Durand", Role.GP, Profession.GENERAL_PRACTITIONER,
            helpers.make_rpps(1),
        ),
        helpers.password,
        must_change=False,
    )  # fmt: skip
    gp = services.auth.login("dr.durand", helpers.password)
    return SimpleNamespace(recovery=result.recovery_key, coord=coord, gp=gp, folder=folder)


def _add_patient(services: Services, actor, name: str, note: str) -> int:
    patient = services.patients.create(
        actor,
        PatientInput(birth_name=name, first_names="Jean", sex="M", birth_date="03/04/1950"),
        confirm_duplicate=True,
    ).id
    services.notes.add(actor, patient, "medical", note)
    return patient


@pytest.fixture
def clinic(services: Services, helpers, tmp_path: Path):
    env = _setup(services, helpers, tmp_path / "sauvegardes")
    for i in range(5):
        _add_patient(services, env.gp, f"Patient{i}", f"Note médicale {i}")
    return env


def _state(db: Database) -> dict[str, list[tuple]]:
    state = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            state[table.name] = [tuple(r) for r in rows]
    return state


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_round_trip_gives_identical_data(services: Services, clinic, clock):
    before = _state(services.db)
    info = services.backups.create(clinic.coord)
    assert info.path.parent == clinic.folder and info.path.name.endswith(SUFFIX)
    assert services.backups.verify(clinic.coord, info.path)["dialect"] == "sqlite"
    # Life goes on after the backup…
    clock.advance(hours=1)
    _add_patient(services, clinic.gp, "Après", "Note écrite après la sauvegarde")
    assert _state(services.db) != before
    # …then the backup is restored.
    result = services.backups.restore(info.path)
    assert result.previous is not None and result.previous.exists()
    after = _state(services.db)
    for table, rows in before.items():
        if table == "audit_entry":
            continue
        if table == "audit_head":
            continue
        assert after[table] == rows, table
    # The audit trail is the one of the backup, plus the restore itself.
    assert after["audit_entry"][: len(before["audit_entry"])] == before["audit_entry"]
    with services.db.engine.connect() as conn:
        actions = conn.scalars(
            select(AuditEntry.action).where(AuditEntry.id > len(before["audit_entry"]))
        ).all()
        assert actions == ["backup_restore"]
        assert verify(conn, services.audit.key).ok
        # The restored trail ends before the head this workstation had kept: the restore
        # starts it again from the restored chain, with no false alarm.
        report = verify(conn, services.audit.key, kept=read_stored_head(conn))
        assert report.ok and report.stored_head == "checked", report.message()
        assert report.kept_seq == report.last_seq
    # The restored database is usable, and the previous one (with the later patient) was kept.
    assert services.auth.login("dr.durand", "mot-de-passe-de-test-1").role == Role.GP
    previous = Database.open(f"sqlite:///{result.previous}")
    try:
        with previous.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM patient").scalar() == 6
    finally:
        previous.dispose()
    assert len(after["patient"]) == 5


def test_backup_contains_no_plaintext_and_is_audited(services: Services, clinic, audit_log):
    info = services.backups.create(clinic.coord)
    data = info.path.read_bytes()
    assert b"Note m" not in data and b"PATIENT0" not in data.upper()
    assert b"SQLite format 3" not in data
    assert audit_log.rows(action="backup")[-1].detail == info.path.name


@pytest.mark.parametrize("when", ["copying", "copied"])
def test_a_cancelled_backup_leaves_no_file_and_no_audit(
    services: Services, clinic, audit_log, when: str
):
    """Cancelled while the base is copied, or once it is copied (before it is encrypted into
    the folder): nothing is left in the folder, nothing is audited."""
    steps: list[tuple[int, int]] = []

    def cancelled() -> bool:
        if when == "copying":
            return True
        return bool(steps) and steps[-1][0] == steps[-1][1]  # the copy is complete

    before = _files(clinic.folder)
    with pytest.raises(BackupCancelled) as raised:
        services.backups.create(
            clinic.coord, lambda d, t: steps.append((d, t)), cancelled=cancelled
        )
    assert raised.value.message == (
        "Sauvegarde annulée : aucun fichier de sauvegarde n'a été écrit."
    )
    assert (steps == []) is (when == "copying")
    assert _files(clinic.folder) == before
    assert audit_log.rows(action="backup") == []
    info = services.backups.create(clinic.coord, cancelled=lambda: False)
    assert _files(clinic.folder) == [*before, info.path.name]


def test_only_the_coordination_makes_backups(services: Services, clinic, audit_log):
    with pytest.raises(PermissionDenied):
        services.backups.create(clinic.gp)
    assert not clinic.folder.exists() or not _files(clinic.folder)
    assert audit_log.rows(action="backup")[-1].outcome == "refused"


def _refused(services: Services, path: Path, match: str, recovery: str | None = None) -> None:
    before = _state(services.db)
    with pytest.raises(BackupError, match=match):
        services.backups.verify(None, path, recovery)
    with pytest.raises(BackupError, match=match):
        services.backups.restore(path, recovery)
    after = _state(services.db)
    # Nothing restored: same data (a failed verification is audited, nothing else).
    assert {k: v for k, v in after.items() if not k.startswith("audit")} == {
        k: v for k, v in before.items() if not k.startswith("audit")
    }
    db_file = Path(str(services.db.url.database))
    leftovers = [p.name for p in db_file.parent.iterdir() if "restauration" in p.name]
    assert leftovers == []


@pytest.mark.parametrize("where", [0.5, 0.999])
def test_a_flipped_byte_is_refused(services: Services, clinic, where: float):
    info = services.backups.create(clinic.coord)
    data = bytearray(info.path.read_bytes())
    position = int(len(data) * where)
    data[position] ^= 0x01
    info.path.write_bytes(bytes(data))
    _refused(services, info.path, "endommagée ou a été modifiée")


def test_a_modified_header_is_refused(services: Services, clinic):
    info = services.backups.create(clinic.coord)
    data = info.path.read_bytes()
    tampered = data.replace(b'"dialect": "sqlite"', b'"dialect": "sqlitf"', 1)
    assert tampered != data
    info.path.write_bytes(tampered)
    with pytest.raises(BackupError):
        services.backups.verify(None, info.path)
    year = services.clock().year
    stamp = f'"created_at": "{year}'.encode()
    tampered = data.replace(stamp, f'"created_at": "{year - 1}'.encode(), 1)
    assert tampered != data
    info.path.write_bytes(tampered)
    _refused(services, info.path, "endommagée ou a été modifiée")


@pytest.mark.parametrize("cut", ["header", "half", "last-byte", "last-chunk"])
def test_a_truncated_file_is_refused(services: Services, clinic, cut: str):
    info = services.backups.create(clinic.coord)
    data = info.path.read_bytes()
    size = {
        "header": 100,
        "half": len(data) // 2,
        "last-byte": len(data) - 1,
        "last-chunk": len(data) - (len(data) - 1024) % crypto.CHUNK,
    }[cut]
    info.path.write_bytes(data[:size])
    _refused(services, info.path, "endommagée|lisible")


def test_a_backup_of_another_installation_is_refused(
    services: Services, clinic, clock, helpers, tmp_path: Path
):
    other_db = Database.open(f"sqlite:///{tmp_path / 'autre.sqlite'}")
    try:
        other = Services.build(other_db, clock=clock, hasher=helpers.hasher, kdf=helpers.kdf)
        env = _setup(other, helpers, tmp_path / "autre-sauvegardes", "MSP voisine")
        foreign = other.backups.create(env.coord).path
        # Its keyring key is another one (scoped by installation), and so is its recovery key.
        _refused(services, foreign, "autre installation")
        with pytest.raises(BackupError, match="autre installation"):
            services.backups.restore(foreign, env.recovery)
    finally:
        other_db.dispose()


def test_a_wrong_recovery_key_is_refused(services: Services, clinic):
    info = services.backups.create(clinic.coord)
    keyring.set_keyring(fail.Keyring())  # this workstation's key is gone
    wrong = format_recovery_key(crypto.new_keypair()[0])
    _refused(services, info.path, "clé est erronée", wrong)
    _refused(services, info.path, "Aucune clé pour ouvrir")


def test_restore_with_only_the_recovery_key(services: Services, clinic, clock):
    before = _state(services.db)
    info = services.backups.create(clinic.coord)
    clock.advance(minutes=5)
    _add_patient(services, clinic.gp, "Tardif", "Note tardive")
    keyring.set_keyring(fail.Keyring())  # new workstation: no keyring, no backup key
    assert services.backups.keys().backup_key is None
    services.backups.verify(None, info.path, clinic.recovery)
    result = services.backups.restore(info.path, clinic.recovery)
    assert result.previous is not None
    after = _state(services.db)
    assert after["patient"] == before["patient"] and after["note"] == before["note"]


def test_restore_over_a_lost_database_with_the_recovery_key(
    services: Services, clinic, tmp_path: Path, clock
):
    from app.services.clinic.backup_manager import restore_without_database

    info = services.backups.create(clinic.coord)
    expected = _state(services.db)
    keyring.set_keyring(fail.Keyring())
    target = tmp_path / "nouveau-poste" / "relais.sqlite"
    target.parent.mkdir()
    target.write_bytes(b"ceci n'est pas une base SQLite" * 100)  # damaged
    result = restore_without_database(f"sqlite:///{target}", info.path, clinic.recovery, clock)
    assert result.previous is not None
    assert result.previous.read_bytes().startswith(b"ceci n'est pas")
    restored = Database.open(f"sqlite:///{target}")
    try:
        state = _state(restored)
        assert (
            state["note"] == expected["note"] and state["user_account"] == expected["user_account"]
        )
    finally:
        restored.dispose()


def test_scheduled_backups_are_daily_and_pruned(services: Services, clinic, clock):
    made = []
    for _day in range(5):
        info = services.backups.run_scheduled(None)
        assert info is not None
        made.append(info.path.name)
        assert services.backups.run_scheduled(None) is None  # not due again the same day
        clock.advance(hours=6)
        assert services.backups.run_scheduled(None) is None
        clock.advance(hours=18)
    assert _files(clinic.folder) == sorted(made[-3:])  # backup_keep = 3
    entries = services.backups.entries()
    assert [e.path.name for e in entries] == sorted(made[-3:], reverse=True)


def test_two_backups_in_the_same_second_do_not_overwrite(services: Services, clinic):
    first = services.backups.create(clinic.coord)
    second = services.backups.create(clinic.coord)
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert [e.path for e in services.backups.entries()] == [second.path, first.path]


def test_an_unwritable_folder_is_a_french_error(services: Services, clinic, tmp_path: Path):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(BackupError, match="ne peut pas être créé"):
        services.backups.create(clinic.coord, folder=blocker / "sauvegardes")


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 64 KiB tmpfs: a real full disk (root only)."""
    mount = tmp_path / f"disque-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    # Mounting needs root: CI runs as root, so there a failure to mount is a failure of the
    # test; a developer's unprivileged run skips with the reason.
    in_ci = os.environ.get("CI", "").lower() == "true"
    if shutil.which("mount") is None:
        reason = "no mount command on this machine"
        if in_ci:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here (root needed): {done.stderr.decode(errors='replace')}"
        if in_ci:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_french_error_and_leaves_no_partial_file(
    services: Services, clinic, tiny_disk: Path
):
    db_file = Path(str(services.db.url.database))
    size = sum(Path(f"{db_file}{s}").stat().st_size for s in ("", "-wal"))
    assert size > 64 * 1024  # the backup cannot fit
    with pytest.raises(BackupError, match="place disponible"):
        services.backups.create(clinic.coord, folder=tiny_disk)
    assert list(tiny_disk.iterdir()) == []
