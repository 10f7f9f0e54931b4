"""Secrecy at rest: with only the database file, note contents stay sealed; with only the file
and one user's password, only the compartments of that user's role open (DESIGN.md §8)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.clock import system_clock
from app.models import CompartmentKey, KeyGrant, Note, User
from app.models.db import Database, _sqlite_on_connect, backup_sqlite, sqlite_path
from app.models.enums import Role
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.errors import KeyUnavailable
from app.services.security import crypto
from app.services.security.codec import SEALED_TAG, ContentCodec, UnreadableContent, note_context
from app.services.security.keys import KeyService, SessionKeys

MARKER = "CANARI-8d41e7-secret-medical"
AUTHORS = {"medical": "gp", "social": "social_worker", "liaison": "gp"}


@pytest.fixture
def notes_everywhere(services, team, make_patient, liaison_consent):
    """Two patients, a note with the marker in every compartment (one edited)."""
    first, second = make_patient("Alpha", "Anne", sex="F"), make_patient("Bravo", "Bruno")
    written = {}
    for patient_id in (first, second):
        liaison_consent(patient_id)
        for compartment, author in AUTHORS.items():
            actor = getattr(team, author)
            note = services.notes.add(
                actor, patient_id, compartment, f"{compartment} {MARKER} {patient_id}"
            )
            written[(patient_id, compartment)] = note
    note = written[(first, "medical")]
    services.notes.edit(team.gp, note.id, f"Corrigé {MARKER}", note.version)
    return first, second, written


def _copy(database: Database, target: Path) -> Path:
    """What someone who copies the database file gets (online backup: WAL included)."""
    return backup_sqlite(sqlite_path(database.url), target)


def _plain_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        conn.close()


def _values_as_bytes(rows: dict[str, list[tuple]]):
    for table, table_rows in rows.items():
        for row in table_rows:
            for value in row:
                if isinstance(value, bytes):
                    yield table, value
                elif value is not None:
                    yield table, str(value).encode("utf-8")


# ---- the database file alone -------------------------------------------------------------------


def test_no_note_text_anywhere_in_the_database_file(
    services, team, notes_everywhere, database, tmp_path
):
    copy = _copy(database, tmp_path / "copie.sqlite")
    rows = _plain_rows(copy)
    assert len(rows["note"]) == 6
    marker = MARKER.encode()
    for table, value in _values_as_bytes(rows):
        assert marker not in value, table
        assert marker.upper() not in value.upper(), table
    raw = copy.read_bytes()
    assert marker not in raw and MARKER.encode("utf-16-le") not in raw
    # The live files too, WAL included, once the application has closed them.
    database.dispose()
    live = sqlite_path(database.url)
    for path in live.parent.glob(f"{live.name}*"):
        assert marker not in path.read_bytes(), path.name
    # The scan does find what is stored in clear (identity stays searchable).
    assert any(b"Alpha" in value for _, value in _values_as_bytes(rows))


def test_note_content_is_sealed_with_its_compartment_key_id(
    services, team, notes_everywhere, database, tmp_path
):
    copy = _copy(database, tmp_path / "copie.sqlite")
    conn = sqlite3.connect(str(copy))
    try:
        contents = conn.execute("SELECT compartment, content FROM note").fetchall()
        key_ids = dict(conn.execute("SELECT compartment, id FROM compartment_key").fetchall())
    finally:
        conn.close()
    assert len(contents) == 6
    for compartment, content in contents:
        assert isinstance(content, bytes) and content.startswith(SEALED_TAG)
        assert int.from_bytes(content[3:7], "big") == key_ids[compartment]
    assert set(key_ids) == {"medical", "social", "liaison", "care", "administrative"}


# ---- associated data: a ciphertext is bound to its patient and compartment -----------------


def test_ciphertext_moved_to_another_patient_does_not_open(
    services, team, notes_everywhere, database
):
    first, second, written = notes_everywhere
    moved = written[(first, "social")]
    with database.session() as session:
        session.execute(update(Note).where(Note.id == moved.id).values(patient_id=second))
    with pytest.raises(UnreadableContent) as error:
        services.notes.list(team.social_worker, second, "social")
    assert error.value.message == (
        "Ce contenu est illisible ou a été altéré : contactez la coordination."
    )
    # Swapping the sealed texts of two patients' notes is caught the same way.
    a, b = written[(first, "liaison")], written[(second, "liaison")]
    with database.session() as session:
        content_a = session.scalar(select(Note.content).where(Note.id == a.id))
        content_b = session.scalar(select(Note.content).where(Note.id == b.id))
        session.execute(update(Note).where(Note.id == a.id).values(content=content_b))
        session.execute(update(Note).where(Note.id == b.id).values(content=content_a))
    with pytest.raises(UnreadableContent):
        services.notes.list(team.gp, first, "liaison")


def test_ciphertext_moved_to_another_compartment_does_not_open(
    services, team, notes_everywhere, database
):
    """The GP holds both the medical and the liaison key: only the associated data stops a
    medical note relabelled "liaison" (which the social worker would read) from opening."""
    first, _second, written = notes_everywhere
    medical = written[(first, "medical")]
    with database.session() as session:
        session.execute(update(Note).where(Note.id == medical.id).values(compartment="liaison"))
    with pytest.raises(UnreadableContent):
        services.notes.list(team.gp, first, "liaison")
    with pytest.raises((UnreadableContent, KeyUnavailable)):
        services.notes.list(team.social_worker, first, "liaison")


# ---- the database file and one user's password ---------------------------------------------


def _stolen_keys(
    path: Path, username: str, password: str, kdf
) -> tuple[SessionKeys, list[bytes], list[tuple], Actor]:
    """What the file and one password give, through the real key service on a fresh
    Database: the user's private key, every grant it unwraps, and the sealed notes."""
    database = Database.open(f"sqlite:///{path}")
    try:
        keys_service = KeyService(AuditWriter(database, system_clock, None), system_clock, kdf)
        with database.sessions() as session:
            user = session.scalar(select(User).where(User.username == username))
            keys = keys_service.unlock_user_key(session, user.id, password)
            actor = Actor(
                user.id, user.username, user.display_name, Role(user.role), user.profession
            )
            keys_service.open_session(session, actor, keys)
            # Beyond the service: try the private key on every sealed key in the file.
            extra = []
            for grant in session.scalars(select(KeyGrant)):
                for kind in ("role", "break_glass"):
                    aad = f"relais-grant:{grant.compartment_key_id}:{user.id}:{kind}".encode()
                    with contextlib.suppress(crypto.CryptoError):
                        extra.append(crypto.unseal_with(keys.private_key, grant.wrapped_key, aad))
            for row in session.scalars(select(CompartmentKey)):
                with pytest.raises(crypto.CryptoError):
                    crypto.unseal_with(
                        keys.private_key,
                        row.recovery_wrap,
                        f"relais-recovery:{row.compartment}".encode(),
                    )
            notes = [
                (n.patient_id, n.compartment, n.content) for n in session.scalars(select(Note))
            ]
            session.rollback()
        deks = [dek for _, dek in keys.role_keys.values()] + [
            dek for _, dek in keys.escrow_keys.values()
        ]
        return keys, [*deks, *extra], notes, actor
    finally:
        database.dispose()


def _opens(dek: bytes, patient_id: int, compartment: str, content: bytes) -> bool:
    try:
        crypto.unseal(dek, content[7:], f"relais:{compartment}:patient:{patient_id}".encode())
    except crypto.CryptoError:
        return False
    return True


@pytest.mark.parametrize(
    ("username", "readable"),
    [
        ("as.moreau", {"social", "liaison"}),
        ("dr.durand", {"medical", "liaison"}),
        ("ide.bernard", {"medical", "liaison"}),
        ("sec.roux", set()),
        ("coord", set()),
    ],
)
def test_file_and_one_password_open_only_the_roles_compartments(
    services, team, notes_everywhere, database, tmp_path, helpers, username, readable
):
    password = helpers.coordinator_password if username == "coord" else helpers.password
    copy = _copy(database, tmp_path / "copie.sqlite")
    keys, deks, notes, actor = _stolen_keys(copy, username, password, helpers.kdf)
    # Every role also holds the keys of what every role reads (archived papers, home care).
    assert set(keys.role_keys) == readable | {"administrative", "care"}
    assert keys.escrow_keys == {}
    assert len(notes) == 6
    for patient_id, compartment, content in notes:
        opened = [dek for dek in deks if _opens(dek, patient_id, compartment, content)]
        assert bool(opened) == (compartment in readable), (compartment, username)
        attacker = Actor(
            actor.user_id,
            actor.username,
            actor.display_name,
            actor.role,
            actor.profession,
            keys=keys,
        )
        context = note_context(patient_id)
        if compartment in readable:
            assert MARKER in ContentCodec().open(attacker, compartment, content, context=context)
        else:
            with pytest.raises(KeyUnavailable):
                ContentCodec().open(attacker, compartment, content, context=context, escrow=True)


def test_wrong_password_opens_no_private_key(services, team, notes_everywhere, database, tmp_path):
    from app.services.kernel.errors import RelaisError

    copy = _copy(database, tmp_path / "copie.sqlite")
    with pytest.raises(RelaisError) as error:
        _stolen_keys(copy, "dr.durand", "devine-le-mot-de-passe", crypto.KdfParams(1, 8192, 1))
    assert "ne s'ouvre pas avec ce mot de passe" in error.value.message


# ---- deleted key material does not linger in the file --------------------------------------


def test_sqlite_overwrites_deleted_content(tmp_path):
    """``secure_delete`` is switched on explicitly: SQLite builds that do not enable it by
    default (e.g. on Windows) would otherwise keep a disabled account's sealed private key in
    the free space of the file, and so in every later copy."""
    conn = sqlite3.connect(str(tmp_path / "x.sqlite"))
    try:
        conn.execute("PRAGMA secure_delete = OFF")
        assert conn.execute("PRAGMA secure_delete").fetchone() == (0,)
        _sqlite_on_connect(conn, None)
        assert conn.execute("PRAGMA secure_delete").fetchone() == (1,)
    finally:
        conn.close()


def test_every_pooled_connection_deletes_securely(database):
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
