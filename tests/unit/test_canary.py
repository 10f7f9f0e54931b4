"""Canary: a unique marker written in every compartment must appear in no file Relais writes by
itself (database, WAL/SHM, backups, logs, temporary files) — in UTF-8 or UTF-16.

And: with only the database file and one professional's password, the other compartment's
notes cannot be decrypted (the real key-unwrapping code, on a fresh ``Database``)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from canary_support import hits
from sqlalchemy import select

from app.models.db import Database, backup_sqlite
from app.models.enums import Compartment
from app.models.security import CompartmentKey, KeyGrant, RecoveryKey
from app.services.kernel import logs
from app.services.kernel.actor import Actor
from app.services.kernel.errors import KeyUnavailable
from app.services.security import crypto
from app.services.security.codec import ContentCodec, note_context
from app.services.security.crypto import CryptoError
from app.services.security.keys import KeyService


@pytest.fixture
def db_url(world: Path) -> str:  # overrides the conftest's: the database under the world
    return f"sqlite:///{world / 'base' / 'relais.sqlite'}"


def test_no_marker_in_any_file_relais_writes(
    world: Path, services, team, make_patient, liaison_consent, clock
):
    marker = f"CANARI-{uuid.uuid4().hex}"
    patient = make_patient("Canari")
    liaison_consent(patient)
    writers = {
        Compartment.MEDICAL: team.gp,
        Compartment.SOCIAL: team.social_worker,
        Compartment.LIAISON: team.gp,
    }
    for compartment, actor in writers.items():
        services.notes.add(actor, patient, compartment, f"{compartment} {marker} é à ç")
    for compartment, actor in writers.items():
        texts = [n.text for n in services.notes.list(actor, patient, compartment)]
        assert any(marker in t for t in texts)  # the marker really went through
    note = services.notes.list(team.gp, patient, "medical")[0]
    services.notes.edit(team.gp, note.id, f"modifiée {marker}", note.version)
    documents = getattr(services, "documents", None)
    if documents is not None and hasattr(documents, "access_report"):
        documents.access_report(team.coordinator, patient)
    services.backups.create(team.coordinator, folder=world / "sauvegardes")
    services.backups.run_scheduled(None)  # the default folder, under the user-data folder
    logs.get("canari").info("patient %s ouvert", patient)
    assert (world / "etat" / "Relais" / "log" / "relais.log").stat().st_size > 0
    assert list((world / "sauvegardes").iterdir())
    assert list((world / "base").glob("relais.sqlite-wal"))
    assert hits(world, marker) == []
    # The scan itself finds what it must find.
    (world / "tmp" / "temoin.txt").write_text(marker, encoding="utf-16")
    assert hits(world, marker) == ["tmp/temoin.txt"]


def _only_the_file(db_file: Path, tmp_path: Path) -> Database:
    """A copy of the database file, opened afresh: what a thief would hold."""
    copy = tmp_path / "vol" / "relais.sqlite"
    backup_sqlite(db_file, copy)
    return Database.open(f"sqlite:///{copy}")


def _grant_aad(grant: KeyGrant) -> bytes:
    return f"relais-grant:{grant.compartment_key_id}:{grant.user_id}:{grant.kind}".encode()


@pytest.mark.parametrize(
    "thief, target",
    [("social_worker", Compartment.MEDICAL), ("gp", Compartment.SOCIAL)],
)
def test_one_password_and_the_file_do_not_open_the_other_compartment(
    services, team, make_patient, helpers, tmp_path: Path, thief: str, target: Compartment
):
    patient = make_patient("Secret")
    author = team.gp if target is Compartment.MEDICAL else team.social_worker
    services.notes.add(author, patient, target, "Contenu protégé du volet")
    db_file = Path(str(services.db.url.database))
    stolen = _only_the_file(db_file, tmp_path)
    who = getattr(team, thief)
    try:
        keys_service = KeyService(services.audit, services.clock, helpers.kdf)
        with stolen.session() as session:
            # The thief's own keys, with the real code: their private key and their grants.
            mine = keys_service.unlock_user_key(session, who.user_id, helpers.password)
            actor = Actor(who.user_id, who.username, "", who.role, who.profession, keys=mine)
            keys_service.open_session(session, actor, mine)
            assert str(target) not in mine.role_keys and str(target) not in mine.escrow_keys
            key_row = session.scalar(
                select(CompartmentKey).where(CompartmentKey.compartment == str(target))
            )
            assert key_row is not None
            # Every stored copy of the target's data key resists the thief's private key.
            grants = session.scalars(
                select(KeyGrant).where(KeyGrant.compartment_key_id == key_row.id)
            ).all()
            assert grants
            for grant in grants:
                with pytest.raises(CryptoError):
                    crypto.unseal_with(mine.private_key, grant.wrapped_key, _grant_aad(grant))
            # The recovery copy needs the recovery private key, which is not in the file.
            assert session.scalar(select(RecoveryKey)) is not None
            with pytest.raises(CryptoError):
                crypto.unseal_with(
                    mine.private_key, key_row.recovery_wrap, f"relais-recovery:{target}".encode()
                )
            # Decrypting the note with everything the thief holds fails.
            from app.models import Note

            blob = session.scalar(select(Note.content).where(Note.compartment == str(target)))
            assert blob.startswith(b"E1:") and b"prot" not in blob
            codec = ContentCodec()
            with pytest.raises(KeyUnavailable):
                codec.open(actor, target, blob, context=note_context(patient))
            for _, dek in mine.role_keys.values():
                with pytest.raises(CryptoError):
                    crypto.unseal(dek, blob[7:], f"relais:{target}:patient:{patient}".encode())
            # Sanity: the same code opens the thief's own compartment.
            own = Compartment.SOCIAL if target is Compartment.MEDICAL else Compartment.MEDICAL
            assert str(own) in mine.role_keys
    finally:
        stolen.dispose()
