"""Encrypting, in place, the notes of a database written before encryption (``P1:`` notes)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select

from app import admin
from app.container import Services
from app.models import Note
from app.models.enums import Compartment
from app.models.security import CompartmentKey, KeyGrant, RecoveryKey
from app.services.kernel.errors import KeyUnavailable, PermissionDenied
from app.services.security.codec import PLAIN_TAG, SEALED_TAG
from app.services.security.encryption_migration import (
    EncryptionMigration,
    MigrationError,
    key_status,
    plaintext_count,
)

TEXTS = {
    Compartment.MEDICAL: "Ancienne note médicale : diabète de type 2, HbA1c 8,1 %.",
    Compartment.SOCIAL: "Ancienne note sociale : dossier APA en cours, logement insalubre.",
    Compartment.LIAISON: "Ancienne note partagée : visite à domicile à prévoir avec l'IDE.",
}


def _legacy(services: Services, team, patients: list[int], per_patient: int = 4) -> None:
    """The state of a database upgraded from before encryption: no recovery key, no
    compartment keys, notes stored as ``P1:`` plaintext (users keep their key pairs)."""
    with services.db.session() as session:
        session.execute(delete(KeyGrant))
        session.execute(delete(CompartmentKey))
        session.execute(delete(RecoveryKey))
        rows = []
        for patient in patients:
            for n in range(per_patient):
                compartment = list(TEXTS)[n % 3]
                author = team.gp if compartment is Compartment.MEDICAL else team.social_worker
                rows.append(
                    {
                        "patient_id": patient,
                        "compartment": str(compartment),
                        "author_id": author.user_id,
                        "updated_by_id": author.user_id,
                        "content": PLAIN_TAG + f"{TEXTS[compartment]} ({n})".encode(),
                        "version": 1,
                        "created_at": services.clock(),
                        "updated_at": services.clock(),
                    }
                )
        session.execute(insert(Note.__table__), rows)


def _migration(services: Services) -> EncryptionMigration:
    return EncryptionMigration(services.db, services.audit, services.keys, services.codec)


def _contents(services: Services) -> list[bytes]:
    with services.db.session(write=False) as session:
        return [bytes(c) for c in session.scalars(select(Note.content))]


@pytest.fixture
def legacy(services: Services, team, make_patient):
    patients = [make_patient(f"Ancien{i}") for i in range(6)]
    _legacy(services, team, patients)
    assert plaintext_count(services.db) == 24
    return patients


def test_plaintext_notes_are_encrypted_and_readable_by_entitled_users_only(
    services: Services, team, legacy, helpers, audit_log
):
    seen: list[tuple[int, int]] = []
    shown: list[str] = []
    report = _migration(services).run(
        progress=lambda d, t: seen.append((d, t)), batch=5, on_recovery_key=shown.append
    )
    assert report.notes_encrypted == 24 and report.notes_already_encrypted == 0
    # Every sealing domain gets its key (the notes' compartments, care, administrative).
    assert sorted(report.keys_created) == ["administrative", "care", "liaison", "medical", "social"]
    assert report.recovery_key and shown == [report.recovery_key]
    assert seen[0] == (0, 24) and seen[-1] == (24, 24) and len(seen) == 6
    assert plaintext_count(services.db) == 0
    for blob in _contents(services):
        assert blob.startswith(SEALED_TAG)
        assert b"note" not in blob.lower() and b"diab" not in blob
    # Entitled users (key pairs existed) got the keys: after a fresh login they read.
    gp = services.auth.login("dr.durand", helpers.password)
    texts = [n.text for n in services.notes.list(gp, legacy[0], "medical")]
    assert texts and all(t.startswith("Ancienne note médicale") for t in texts)
    sw = services.auth.login("as.moreau", helpers.password)
    assert services.notes.list(sw, legacy[0], "social")[0].text.startswith("Ancienne note soc")
    with pytest.raises(PermissionDenied):
        services.notes.list(sw, legacy[0], "medical")
    status = {s.compartment: s for s in key_status(services.db)}
    assert status["medical"].holders == 4 and status["medical"].recoverable
    assert status["medical"].pending == [] and status["social"].holders == 1
    assert audit_log.rows(action="encrypt_existing")[-1].detail.startswith("24 note")
    # Running it again changes nothing.
    again = _migration(services).run(report.recovery_key)
    assert again.notes_encrypted == 0 and again.notes_already_encrypted == 24


def test_the_migration_is_resumable(services: Services, team, legacy):
    class Interrupted(Exception):
        pass

    shown: list[str] = []

    def stop_after_first_batch(done: int, total: int) -> None:
        if done >= 7:
            raise Interrupted

    with pytest.raises(Interrupted):
        _migration(services).run(
            progress=stop_after_first_batch, batch=7, on_recovery_key=shown.append
        )
    assert plaintext_count(services.db) == 24 - 7
    assert len(shown) == 1  # the recovery key was shown before the interruption
    # Without the recovery key, existing compartment keys cannot be opened.
    with pytest.raises(MigrationError, match="clé de secours"):
        _migration(services).run()
    report = _migration(services).run(shown[0])
    assert report.notes_encrypted == 17 and report.keys_created == []
    assert plaintext_count(services.db) == 0


def test_a_wrong_recovery_key_is_refused(services: Services, team, legacy):
    _migration(services).run(batch=1000)
    _legacy_more = services.db  # more plaintext arrives (e.g. a restored old export)
    with _legacy_more.session() as session:
        session.execute(
            insert(Note.__table__),
            [
                {
                    "patient_id": legacy[0],
                    "compartment": "medical",
                    "author_id": team.gp.user_id,
                    "updated_by_id": team.gp.user_id,
                    "content": PLAIN_TAG + b"encore une",
                    "version": 1,
                    "created_at": services.clock(),
                    "updated_at": services.clock(),
                }
            ],
        )
    from app.services.security import crypto
    from app.services.security.keys import format_recovery_key

    wrong = format_recovery_key(crypto.new_keypair()[0])
    with pytest.raises(MigrationError, match="ne correspond pas"):
        _migration(services).run(wrong)
    assert plaintext_count(services.db) == 1


def test_users_without_a_key_pair_are_listed_then_granted_by_recover(
    services: Services, team, make_patient, helpers
):
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput

    services.accounts.create_user(
        team.coordinator,
        UserInput(
            "dr.nouveau", "Marc", "Nouveau", Role.GP, Profession.GENERAL_PRACTITIONER,
            helpers.make_rpps(9),
        ),
        helpers.password,
        must_change=False,
    )  # fmt: skip
    from app.models.security import UserKey

    new_id = services.accounts.find_user(team.coordinator, "dr.nouveau").id
    patient = make_patient("Ancien")
    _legacy(services, team, [patient], 3)
    with services.db.session() as session:
        session.execute(delete(UserKey).where(UserKey.user_id == new_id))
    report = _migration(services).run()
    assert "dr.nouveau" in report.users_without_key_pair
    newcomer = services.auth.login("dr.nouveau", helpers.password)  # key pair made now
    with pytest.raises(KeyUnavailable):
        services.notes.list(newcomer, patient, "medical")
    with services.db.session() as session:
        assert services.keys.recover(session, None, report.recovery_key) >= 1
    newcomer = services.auth.login("dr.nouveau", helpers.password)
    assert services.notes.list(newcomer, patient, "medical")[0].text.startswith("Ancienne")


def test_relais_admin_encrypt_existing_backs_up_first(
    services: Services, team, legacy, tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    url = str(services.db.url)
    folder = tmp_path / "avant-chiffrement"
    code = admin.main(["keys", "encrypt-existing", "--database", url, "--folder", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "CLÉ DE SECOURS" in out and "Notes chiffrées : 24" in out
    assert "Sauvegarde préalable" in err and len(list(folder.iterdir())) == 1
    assert plaintext_count(services.db) == 0
    code = admin.main(["keys", "status", "--database", url])
    out, _ = capsys.readouterr()
    assert code == 0 and "Médical" in out and "en clair" not in out
    with services.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(CompartmentKey)) == 5
