"""Encrypt, in place, the notes (and, with ``details_migration``, the details and referrals)
of a database written before encryption existed.

``relais-admin keys encrypt-existing``. Notes stored as ``P1:`` (plaintext, see
``app.services.security.codec``) are rewritten as ``E1:`` under their compartment's data key, bound
to their patient (``context="patient:<id>"``), in batches of one transaction each: the work
can be interrupted and run again, it resumes where it stopped.

Steps (the caller makes a backup first):
1. the clinic's recovery key: created when missing (its text is returned, to be shown once);
2. a data key for each note compartment that has none, sealed to the recovery public key and
   granted to every active user entitled to it who already has a key pair (a public key is
   enough); existing keys are opened with the recovery key;
3. every ``P1:`` note sealed through the content codec, with a temporary set of session keys.

Users without a key pair (accounts that never logged in since the upgrade) get one at their
next login; the coordinator then runs ``relais-admin keys recover`` once to grant them the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select, update

from app.models import Note, User
from app.models.enums import Role
from app.models.security import CompartmentKey, KeyGrant, UserKey
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor, system_actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.policy import NOTE_COMPARTMENTS, Action
from app.services.kernel.unit_of_work import GuardedDatabase
from app.services.security import crypto
from app.services.security.codec import PLAIN_TAG, ContentCodec, note_context
from app.services.security.details_migration import DetailsMigration, DetailsReport, legacy_domains
from app.services.security.keys import ROLE_GRANT, KeyService, SessionKeys, parse_recovery_key
from app.services.security.keys import _recovery_aad as recovery_aad  # the one AAD

BATCH = 2_000
Progress = Callable[[int, int], None]


class MigrationError(RelaisError):
    pass


@dataclass
class MigrationReport:
    details: DetailsReport = field(default_factory=DetailsReport)
    notes_encrypted: int = 0
    notes_already_encrypted: int = 0
    keys_created: list[str] = field(default_factory=list)
    grants: int = 0
    recovery_key: str | None = None  # set when created now: show it once
    users_without_key_pair: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CompartmentStatus:
    compartment: str
    has_key: bool
    holders: int
    recoverable: bool
    pending: list[str]  # active entitled users who do not hold the key yet


def _plain(column):  # type: ignore[no-untyped-def]
    return func.substr(column, 1, len(PLAIN_TAG)) == PLAIN_TAG


def plaintext_count(db: GuardedDatabase) -> int:
    with db.session(write=False) as session:
        return int(session.scalar(select(func.count()).where(_plain(Note.content))) or 0)


def key_status(db: GuardedDatabase) -> list[CompartmentStatus]:
    """Per note compartment: is there a key, how many hold it, is it recoverable, who waits."""
    rows = []
    with db.session(write=False) as session:
        users = session.execute(
            select(User.id, User.username, User.role).where(User.active.is_(True))
        ).all()
        for compartment in NOTE_COMPARTMENTS:
            key = session.scalar(
                select(CompartmentKey).where(CompartmentKey.compartment == str(compartment))
            )
            holders: set[int] = set()
            if key is not None:
                holders = set(
                    session.scalars(
                        select(KeyGrant.user_id).where(
                            KeyGrant.compartment_key_id == key.id, KeyGrant.kind == ROLE_GRANT
                        )
                    )
                )
            pending = [
                username
                for user_id, username, role in users
                if policy.allows(Role(role), compartment, Action.READ) and user_id not in holders
            ]
            rows.append(
                CompartmentStatus(
                    str(compartment),
                    key is not None,
                    len(holders),
                    bool(key is not None and key.recovery_wrap),
                    pending,
                )
            )
    return rows


class EncryptionMigration:
    def __init__(
        self, db: GuardedDatabase, audit: AuditWriter, keys: KeyService, codec: ContentCodec
    ) -> None:
        self._db = db
        self._audit = audit
        self._keys = keys
        self._codec = codec

    def run(
        self,
        recovery_key: str | None = None,
        *,
        actor: Actor | None = None,
        progress: Progress | None = None,
        batch: int = BATCH,
        on_recovery_key: Callable[[str], None] | None = None,
        details_progress: Callable[[str, int], None] | None = None,
    ) -> MigrationReport:
        """``on_recovery_key`` receives a recovery key created now, as soon as it is saved
        (before the notes are rewritten: an interruption must not lose it)."""
        actor = actor or system_actor()
        report = MigrationReport()
        role_keys = self._prepare_keys(recovery_key, actor, report)
        if report.recovery_key and on_recovery_key:
            on_recovery_key(report.recovery_key)
        session_keys = SessionKeys(0, b"", b"", role_keys=role_keys)
        sealer = Actor(
            None, actor.username, actor.display_name, actor.role, actor.profession,
            actor.workstation, keys=session_keys,
        )  # fmt: skip
        total = plaintext_count(self._db)
        with self._db.session(write=False) as session:
            report.notes_already_encrypted = (
                int(session.scalar(select(func.count()).select_from(Note)) or 0) - total
            )
        if progress:
            progress(0, total)
        statement = (
            update(Note.__table__)
            .where(Note.__table__.c.id == bindparam("b_id"))
            .values(content=bindparam("b_content"), version=Note.__table__.c.version + 1)
        )
        last_id = 0
        while True:
            with self._db.session() as session:
                rows = session.execute(
                    select(Note.id, Note.patient_id, Note.compartment, Note.content)
                    .where(_plain(Note.content), Note.id > last_id)
                    .order_by(Note.id)
                    .limit(batch)
                ).all()
                if not rows:
                    break
                params = [
                    {
                        "b_id": note_id,
                        "b_content": self._codec.seal_bytes(
                            sealer,
                            compartment,
                            bytes(content)[len(PLAIN_TAG) :],
                            context=note_context(patient_id),
                        ),
                    }
                    for note_id, patient_id, compartment, content in rows
                ]
                session.connection().execute(statement, params)
                last_id = rows[-1].id
            report.notes_encrypted += len(rows)
            if progress:
                progress(report.notes_encrypted, total)
        report.details = DetailsMigration(self._db, self._keys, self._codec).run(
            sealer, details_progress
        )
        session_keys.forget()
        self._audit.record(
            actor,
            "encrypt_existing",
            object_type="note",
            detail=f"{report.notes_encrypted} note(s) chiffrée(s)",
        )
        return report

    def _prepare_keys(
        self, recovery_key: str | None, actor: Actor, report: MigrationReport
    ) -> dict[str, tuple[int, bytes]]:
        """Recovery key, compartment keys and grants, in one unit of work."""
        role_keys: dict[str, tuple[int, bytes]] = {}
        needed = legacy_domains(self._db)  # details still in clear (before 0005)
        with self._db.session() as session:
            public = self._keys.recovery_public_key(session)
            if public is None:
                recovery_key = self._keys.create_recovery_key(session)
                report.recovery_key = recovery_key
                public = self._keys.recovery_public_key(session)
            private = parse_recovery_key(recovery_key) if recovery_key else None
            if private is not None and crypto.public_of(private) != public:
                raise MigrationError("Cette clé de secours ne correspond pas à cette base.")
            for compartment in policy.KEY_DOMAINS:
                row = session.scalar(
                    select(CompartmentKey).where(CompartmentKey.compartment == compartment)
                )
                if row is None:
                    key_id, dek = self._keys._create_compartment_key(session, compartment, None)
                    report.keys_created.append(compartment)
                    role_keys[compartment] = (key_id, dek)
                    continue
                if compartment not in needed and not self._has_plaintext(session, compartment):
                    continue
                role_keys[str(compartment)] = (row.id, self._open(row, private, compartment))
            report.grants = self._grant_new(session, actor, role_keys, report)
            report.users_without_key_pair = list(
                session.scalars(
                    select(User.username)
                    .outerjoin(UserKey, UserKey.user_id == User.id)
                    .where(User.active.is_(True), UserKey.user_id.is_(None))
                    .order_by(User.username)
                )
            )
        return role_keys

    @staticmethod
    def _has_plaintext(session, compartment: str) -> bool:  # type: ignore[no-untyped-def]
        return (
            session.scalar(
                select(Note.id)
                .where(Note.compartment == str(compartment), _plain(Note.content))
                .limit(1)
            )
            is not None
        )

    @staticmethod
    def _open(row: CompartmentKey, private: bytes | None, compartment: str) -> bytes:
        if not row.recovery_wrap:
            raise MigrationError(
                f"Le volet « {compartment} » a déjà une clé sans copie de secours (créée avant "
                "la clé de secours) : ses notes en clair ne peuvent pas être chiffrées ici. "
                "Faites lire ce volet une fois par un titulaire connecté, puis relancez."
            )
        if private is None:
            raise MigrationError(
                "Des volets ont déjà une clé : donnez la clé de secours (--recovery-key-stdin) "
                "pour chiffrer leurs notes encore en clair."
            )
        try:
            return crypto.unseal_with(private, row.recovery_wrap, recovery_aad(str(compartment)))
        except crypto.CryptoError as exc:
            raise MigrationError("Cette clé de secours ne correspond pas à cette base.") from exc

    def _grant_new(
        self,
        session,  # type: ignore[no-untyped-def]
        actor: Actor,
        role_keys: dict[str, tuple[int, bytes]],
        report: MigrationReport,
    ) -> int:
        """Grant the keys created now to every entitled active user who has a key pair."""
        granted = 0
        users = session.execute(
            select(User.id, User.role, UserKey.public_key)
            .join(UserKey, UserKey.user_id == User.id)
            .where(User.active.is_(True))
        ).all()
        existing = {(g.user_id, g.compartment_key_id) for g in session.scalars(select(KeyGrant))}
        for compartment in report.keys_created:
            key_id, dek = role_keys[compartment]
            for user_id, role, public_key in users:
                if not policy.holds_key(role, compartment):
                    continue
                if (user_id, key_id) in existing:
                    continue
                self._keys._grant(
                    session, actor, key_id, user_id, ROLE_GRANT, dek, compartment, public_key
                )
                granted += 1
        return granted
