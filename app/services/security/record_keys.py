"""One data key per record, for the contents that only a record's parties may read.

A referral's reason, message, shared items, feedback, history details and printed forms are
sealed under a key of that referral alone (``record_key``), wrapped for:
- its sender and, once sent, its receiver (``record_key_grant``: a sealed box to each user's
  public key, so any session can hand the key to a party without knowing their password);
- the clinic's recovery key (``recovery_wrap``), which ``relais-admin keys recover`` uses to
  give the keys back to the parties (a lost password, a replaced account): the documented
  break-glass path for referrals.

Nobody else holds it: a GP who is neither the sender nor the receiver opens nothing, not even
with the whole database file and her own password (the liaison compartment key, which every
GP holds, no longer opens referrals). When a party has no copy (a new key pair after a
password reset), the other party's next login hands it over (:meth:`RecordKeys.grant_pending`).

Stored form of a sealed value: ``R1:`` + record key id (4 bytes) + AES-256-GCM (nonce,
ciphertext, tag), the record's scope and context authenticated as associated data.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from app.clock import Clock
from app.models import Referral, User
from app.models.security import RecordKey, RecordKeyGrant, RecoveryKey, UserKey
from app.services.kernel.actor import Actor
from app.services.kernel.errors import KeyUnavailable, RelaisError
from app.services.security import crypto
from app.services.security.keys import RecoveryKeyError, parse_recovery_key

RECORD_TAG = b"R1:"
_KEY_ID = struct.Struct(">I")
REFERRAL = "referral"
DRAFT = "draft"


class UnreadableRecord(RelaisError):
    def __init__(self) -> None:
        super().__init__("Ce contenu est illisible ou a été altéré : contactez la coordination.")


def is_record_sealed(blob: bytes | None) -> bool:
    return bool(blob) and blob.startswith(RECORD_TAG)


def _content_aad(scope: str, record_id: int, context: str) -> bytes:
    return f"relais-record:{scope}:{record_id}:{context}".encode()


def _grant_aad(key_id: int, user_id: int) -> bytes:
    return f"relais-record-grant:{key_id}:{user_id}".encode()


def _recovery_aad(key_id: int) -> bytes:
    return f"relais-record-recovery:{key_id}".encode()


class RecordKeys:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    # ---- keys ------------------------------------------------------------------------------
    def create(
        self, session: Session, actor: Actor, scope: str, record_id: int, holders: Iterable[int]
    ) -> int:
        """A new key for the record, wrapped for ``holders`` and the recovery key."""
        dek = crypto.random_key()
        row = RecordKey(
            scope=scope, record_id=record_id, recovery_wrap=b"", created_at=self._clock()
        )
        session.add(row)
        session.flush()
        recovery = session.scalar(select(RecoveryKey.public_key).order_by(RecoveryKey.id.desc()))
        if recovery is not None:
            row.recovery_wrap = crypto.seal_to(recovery, dek, _recovery_aad(row.id))
        self._grant_many(session, row.id, dek, set(holders))
        if actor.keys is not None:
            actor.keys.record_keys[row.id] = dek
            actor.keys.record_key_ids[(scope, record_id)] = row.id
        return row.id

    def create_many(
        self, session: Session, actor: Actor, scope: str, holders: dict[int, set[int]]
    ) -> dict[int, int]:
        """``create`` for many records at once (bulk data): {record id: its holders} →
        {record id: key id}; one key agreement per recipient (``crypto.seal_many_to``)."""
        now = self._clock()
        first = int(session.scalar(select(func.max(RecordKey.id))) or 0) + 1
        key_ids = {record_id: first + i for i, record_id in enumerate(holders)}
        deks = {record_id: crypto.random_key() for record_id in holders}
        recovery = session.scalar(select(RecoveryKey.public_key).order_by(RecoveryKey.id.desc()))
        wraps = (
            crypto.seal_many_to(recovery, [(deks[r], _recovery_aad(key_ids[r])) for r in holders])
            if recovery is not None
            else [b""] * len(holders)
        )
        session.execute(
            insert(RecordKey.__table__),
            [
                {
                    "id": key_ids[r],
                    "scope": scope,
                    "record_id": r,
                    "recovery_wrap": wrap,
                    "created_at": now,
                }
                for r, wrap in zip(holders, wraps, strict=True)
            ],
        )
        users = {u for people in holders.values() for u in people}
        publics = dict(
            session.execute(
                select(UserKey.user_id, UserKey.public_key).where(UserKey.user_id.in_(users))
            ).all()
        )
        grants = []
        for user, public in publics.items():
            mine = [r for r, people in holders.items() if user in people]
            boxes = crypto.seal_many_to(
                public, [(deks[r], _grant_aad(key_ids[r], user)) for r in mine]
            )
            grants += [
                {
                    "record_key_id": key_ids[r],
                    "user_id": user,
                    "wrapped_key": box,
                    "granted_at": now,
                }
                for r, box in zip(mine, boxes, strict=True)
            ]
        if grants:
            session.execute(insert(RecordKeyGrant.__table__), grants)
        if actor.keys is not None:
            actor.keys.record_keys.update({key_ids[r]: deks[r] for r in holders})
        return key_ids

    def key_id(self, session: Session, scope: str, record_id: int) -> int | None:
        return session.scalar(
            select(RecordKey.id).where(RecordKey.scope == scope, RecordKey.record_id == record_id)
        )

    def _key_id(self, session: Session, actor: Actor, scope: str, record_id: int) -> int | None:
        """``key_id``, remembered by the session (records keep their key for good)."""
        cache = actor.keys.record_key_ids if actor.keys is not None else None
        if cache is not None and (scope, record_id) in cache:
            return cache[(scope, record_id)]
        key_id = self.key_id(session, scope, record_id)
        if cache is not None and key_id is not None:
            cache[(scope, record_id)] = key_id
        return key_id

    def preload(
        self, session: Session, actor: Actor, scope: str, record_ids: Iterable[int]
    ) -> None:
        """Open, in one query, the keys this session holds for ``record_ids`` (a list of
        appointments and their referrals: not one query and one key agreement per row)."""
        keys = actor.keys
        if keys is None or actor.user_id is None:
            return
        wanted = {r for r in record_ids if (scope, r) not in keys.record_key_ids}
        if not wanted:
            return
        rows = session.execute(
            select(RecordKey.id, RecordKey.record_id, RecordKeyGrant.wrapped_key)
            .outerjoin(
                RecordKeyGrant,
                and_(
                    RecordKeyGrant.record_key_id == RecordKey.id,
                    RecordKeyGrant.user_id == actor.user_id,
                ),
            )
            .where(RecordKey.scope == scope, RecordKey.record_id.in_(wanted))
        ).all()
        for key_id, record_id, wrapped in rows:
            keys.record_key_ids[(scope, record_id)] = key_id
            if wrapped is None or key_id in keys.record_keys:
                continue
            try:
                keys.record_keys[key_id] = crypto.unseal_with(
                    keys.private_key, wrapped, _grant_aad(key_id, actor.user_id)
                )
            except crypto.CryptoError:
                continue

    def dek(self, session: Session, actor: Actor, key_id: int) -> bytes | None:
        """The record key if this session holds it (cached once opened), else None."""
        keys = actor.keys
        if keys is not None and key_id in keys.record_keys:
            return keys.record_keys[key_id]
        if keys is None or actor.user_id is None:
            return None
        wrapped = session.scalar(
            select(RecordKeyGrant.wrapped_key).where(
                RecordKeyGrant.record_key_id == key_id, RecordKeyGrant.user_id == actor.user_id
            )
        )
        if wrapped is None:
            return None
        try:
            dek = crypto.unseal_with(keys.private_key, wrapped, _grant_aad(key_id, actor.user_id))
        except crypto.CryptoError:
            return None  # a damaged copy: the other party's next login grants it again
        keys.record_keys[key_id] = dek
        return dek

    def holds(self, session: Session, actor: Actor, scope: str, record_id: int) -> bool:
        key_id = self._key_id(session, actor, scope, record_id)
        return key_id is not None and self.dek(session, actor, key_id) is not None

    def share(
        self, session: Session, actor: Actor, scope: str, record_id: int, users: Iterable[int]
    ) -> None:
        """Hand the record's key (held by this session) to ``users`` who lack it."""
        key_id = self._key_id(session, actor, scope, record_id)
        dek = self.dek(session, actor, key_id) if key_id is not None else None
        if key_id is None or dek is None:
            raise KeyUnavailable(scope)
        self._grant_many(session, key_id, dek, set(users))

    def _grant_many(self, session: Session, key_id: int, dek: bytes, users: set[int]) -> int:
        if not users:
            return 0
        have = set(
            session.scalars(
                select(RecordKeyGrant.user_id).where(
                    RecordKeyGrant.record_key_id == key_id, RecordKeyGrant.user_id.in_(users)
                )
            )
        )
        publics = session.execute(
            select(UserKey.user_id, UserKey.public_key).where(UserKey.user_id.in_(users - have))
        ).all()
        now = self._clock()
        for user_id, public in publics:
            session.add(
                RecordKeyGrant(
                    record_key_id=key_id,
                    user_id=user_id,
                    wrapped_key=crypto.seal_to(public, dek, _grant_aad(key_id, user_id)),
                    granted_at=now,
                )
            )
        return len(publics)

    # ---- contents --------------------------------------------------------------------------
    def seal(
        self, session: Session, actor: Actor, scope: str, record_id: int, data: bytes, context: str
    ) -> bytes:
        key_id = self._key_id(session, actor, scope, record_id)
        dek = self.dek(session, actor, key_id) if key_id is not None else None
        if key_id is None or dek is None:
            raise KeyUnavailable(scope)
        return self.seal_with(key_id, dek, scope, record_id, data, context)

    @staticmethod
    def seal_with(
        key_id: int, dek: bytes, scope: str, record_id: int, data: bytes, context: str
    ) -> bytes:
        """``seal`` with a key already at hand (bulk data, after :meth:`create_many`)."""
        aad = _content_aad(scope, record_id, context)
        return RECORD_TAG + _KEY_ID.pack(key_id) + crypto.seal(dek, data, aad)

    def open(
        self, session: Session, actor: Actor, scope: str, record_id: int, blob: bytes, context: str
    ) -> bytes:
        if not is_record_sealed(blob) or len(blob) < len(RECORD_TAG) + _KEY_ID.size:
            raise UnreadableRecord()
        (key_id,) = _KEY_ID.unpack_from(blob, len(RECORD_TAG))
        dek = self.dek(session, actor, key_id)
        if dek is None:
            raise KeyUnavailable(scope)
        try:
            return crypto.unseal(
                dek, blob[len(RECORD_TAG) + _KEY_ID.size :], _content_aad(scope, record_id, context)
            )
        except crypto.CryptoError as exc:
            raise UnreadableRecord() from exc

    # ---- parties ---------------------------------------------------------------------------
    @staticmethod
    def _missing_parties(session: Session, key_filter) -> list[tuple[int, bytes, int]]:
        """(record key id, its recovery wrap, user id) of the referral parties with a key pair
        who hold no copy of the referral's key, among the keys selected by ``key_filter``."""
        sender_grant = aliased(RecordKeyGrant)
        receiver_grant = aliased(RecordKeyGrant)
        rows = session.execute(
            select(RecordKey.id, RecordKey.recovery_wrap, Referral.sender_id, Referral.receiver_id)
            .join(Referral, and_(RecordKey.scope == REFERRAL, RecordKey.record_id == Referral.id))
            .where(
                key_filter,
                or_(
                    ~exists().where(
                        sender_grant.record_key_id == RecordKey.id,
                        sender_grant.user_id == Referral.sender_id,
                    ),
                    and_(
                        Referral.receiver_id.is_not(None),
                        Referral.status != DRAFT,
                        ~exists().where(
                            receiver_grant.record_key_id == RecordKey.id,
                            receiver_grant.user_id == Referral.receiver_id,
                        ),
                    ),
                ),
            )
        ).all()
        users = {u for _k, _r, s, rc in rows for u in (s, rc) if u is not None}
        able = set(
            session.scalars(
                select(UserKey.user_id)
                .join(User, User.id == UserKey.user_id)
                .where(UserKey.user_id.in_(users), User.active.is_(True))
            )
        )
        out = []
        for key_id, wrap, sender, receiver in rows:
            for user in (sender, receiver):
                if user in able:
                    out.append((key_id, wrap, user))
        return out

    def grant_pending(self, session: Session, actor: Actor) -> int:
        """At login: hand the referral keys this user holds to the other parties lacking
        them (a colleague's new key pair after a password reset). Returns the copies made."""
        if actor.user_id is None or actor.keys is None:
            return 0
        mine = exists().where(
            RecordKeyGrant.record_key_id == RecordKey.id, RecordKeyGrant.user_id == actor.user_id
        )
        granted = 0
        for key_id, _wrap, user_id in self._missing_parties(session, mine):
            dek = self.dek(session, actor, key_id)
            if dek is not None and user_id != actor.user_id:
                granted += self._grant_many(session, key_id, dek, {user_id})
        return granted

    def recover(self, session: Session, recovery_text: str) -> int:
        """With the recovery key, give every referral's key back to its parties."""
        private = parse_recovery_key(recovery_text)
        public = session.scalar(select(RecoveryKey.public_key).order_by(RecoveryKey.id.desc()))
        if public is None or crypto.public_of(private) != public:
            raise RecoveryKeyError("Cette clé de secours ne correspond pas à cette base.")
        granted = 0
        opened: dict[int, bytes] = {}
        for key_id, wrap, user_id in self._missing_parties(session, RecordKey.recovery_wrap != b""):
            if key_id not in opened:
                opened[key_id] = crypto.unseal_with(private, wrap, _recovery_aad(key_id))
            granted += self._grant_many(session, key_id, opened[key_id], {user_id})
        return granted
