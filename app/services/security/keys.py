"""Per-compartment data keys: creation, wrapping for users, grants, recovery.

Design (DESIGN.md §8):
- Each sealing domain (the medical, social and liaison compartments; « care » for home-care
  and discharge details; « administrative » for archived papers and scheduling wishes; see
  ``policy.KEY_DOMAINS``) has one random AES-256 data key (DEK), held by the roles the policy
  lets read it. Referral contents have one key per referral (``app.services.security.record_keys``).
- Each user has an X25519 key pair; the private half is sealed with AES-GCM under a key derived
  from the user's password (Argon2id). The DEK is stored only as sealed boxes: one per user
  whose role grants the compartment (``KeyGrant``), and one for the clinic's recovery public key.
- A logged-in holder of a DEK grants it automatically to colleagues who are entitled to it but
  do not have it yet (new accounts, reset passwords); each grant is audited.
- When the coordinator allows *accès exceptionnel*, holders also seal their DEKs to the other
  professionals as ``break_glass`` grants; those keys are used only through a justified,
  time-limited, audited exceptional access (see ``app.services.patient_file.break_glass``).
  Disabling the setting deletes every break-glass grant.
- The recovery private key is shown once at setup, printed, and kept offline by the
  coordinator; with it ``relais-admin keys recover`` re-grants keys after every holder of a
  compartment lost their password.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models import User
from app.models.enums import Role
from app.models.security import CompartmentKey, KeyGrant, RecoveryKey, UserKey
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.security import crypto

ROLE_GRANT = "role"
BREAK_GLASS_GRANT = "break_glass"
PROFESSIONAL_ROLES = (Role.GP, Role.SOCIAL_WORKER, Role.PARAMEDICAL)


class RecoveryKeyError(RelaisError):
    pass


@dataclass
class SessionKeys:
    """What a logged-in session can decrypt. Lives in memory only, never persisted."""

    user_id: int
    private_key: bytes = field(repr=False)
    password_key: bytes = field(repr=False)
    role_keys: dict[str, tuple[int, bytes]] = field(default_factory=dict, repr=False)
    escrow_keys: dict[str, tuple[int, bytes]] = field(default_factory=dict, repr=False)
    # Record keys (one per referral) already opened in this session: record_key.id → DEK,
    # and which key each record has: (scope, record id) → record_key.id.
    record_keys: dict[int, bytes] = field(default_factory=dict, repr=False)
    record_key_ids: dict[tuple[str, int], int] = field(default_factory=dict, repr=False)

    def key_by_id(self, key_id: int, *, allow_escrow: bool) -> bytes | None:
        for compartment_key_id, dek in self.role_keys.values():
            if compartment_key_id == key_id:
                return dek
        if allow_escrow:
            for compartment_key_id, dek in self.escrow_keys.values():
                if compartment_key_id == key_id:
                    return dek
        return None

    def forget(self) -> None:
        self.role_keys.clear()
        self.escrow_keys.clear()
        self.record_keys.clear()
        self.record_key_ids.clear()
        self.private_key = b""
        self.password_key = b""


def _grant_aad(compartment_key_id: int, user_id: int, kind: str) -> bytes:
    return f"relais-grant:{compartment_key_id}:{user_id}:{kind}".encode()


def _recovery_aad(compartment: str) -> bytes:
    return f"relais-recovery:{compartment}".encode()


def _private_aad(user_id: int) -> bytes:
    return f"relais-user-key:{user_id}".encode()


def _checksum(private: bytes) -> str:
    """Four base32 characters = the first 20 bits of SHA-256: a typo passes 1 time in 10^6."""
    return base64.b32encode(hashlib.sha256(private).digest()[:5]).decode()[:4]


def format_recovery_key(private: bytes) -> str:
    """Human-typable form: base32 in groups of 4, with a checksum group."""
    text = base64.b32encode(private).decode().rstrip("=")
    text += _checksum(private)
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    compact = re.sub(r"[^A-Za-z2-7]", "", text).upper()
    if len(compact) != 56:
        raise RecoveryKeyError(
            "La clé de secours doit comporter 56 caractères (14 groupes de 4) : vérifiez la saisie."
        )
    body, check = compact[:52], compact[52:]
    try:
        private = base64.b32decode(body + "====")
    except ValueError as exc:
        raise RecoveryKeyError("La clé de secours contient des caractères invalides.") from exc
    if _checksum(private) != check:
        raise RecoveryKeyError("La clé de secours est incorrecte (somme de contrôle).")
    return private


class KeyService:
    def __init__(self, audit: AuditWriter, clock: Clock, kdf: crypto.KdfParams) -> None:
        self._audit = audit
        self._clock = clock
        self._kdf = kdf
        # Keys of single records (referrals), handed to their parties only.
        from app.services.security.record_keys import RecordKeys

        self.records = RecordKeys(clock)

    # ---- user key pairs ------------------------------------------------------------------
    def create_user_key(self, session: Session, user_id: int, password: str) -> SessionKeys:
        """New key pair for a user (account creation, password reset): old grants go."""
        session.execute(delete(KeyGrant).where(KeyGrant.user_id == user_id))
        session.execute(delete(UserKey).where(UserKey.user_id == user_id))
        private, public = crypto.new_keypair()
        salt = crypto.random_salt()
        password_key = crypto.derive_key(password, salt, self._kdf)
        session.add(
            UserKey(
                user_id=user_id,
                public_key=public,
                sealed_private_key=crypto.seal(password_key, private, _private_aad(user_id)),
                kdf_salt=salt,
                kdf_params=self._kdf.encode(),
                created_at=self._clock(),
            )
        )
        session.flush()
        return SessionKeys(user_id, private, password_key)

    def unlock_user_key(self, session: Session, user_id: int, password: str) -> SessionKeys:
        """Open the user's private key with their password (creating a key pair if none)."""
        row = session.get(UserKey, user_id)
        if row is None:
            return self.create_user_key(session, user_id, password)
        password_key = crypto.derive_key(
            password, row.kdf_salt, crypto.KdfParams.decode(row.kdf_params)
        )
        try:
            private = crypto.unseal(password_key, row.sealed_private_key, _private_aad(user_id))
        except crypto.CryptoError as exc:
            raise RelaisError(
                "Votre clé personnelle ne s'ouvre pas avec ce mot de passe : "
                "contactez la coordination."
            ) from exc
        return SessionKeys(user_id, private, password_key)

    def rewrap_user_key(self, session: Session, keys: SessionKeys, new_password: str) -> bytes:
        """Password change: seal the same private key under the new password. Returns the
        new password-derived key (other secrets sealed under it must be re-sealed too)."""
        row = session.get(UserKey, keys.user_id)
        if row is None:
            raise RelaisError("Clé personnelle introuvable.")
        salt = crypto.random_salt()
        password_key = crypto.derive_key(new_password, salt, self._kdf)
        row.sealed_private_key = crypto.seal(
            password_key, keys.private_key, _private_aad(keys.user_id)
        )
        row.kdf_salt = salt
        row.kdf_params = self._kdf.encode()
        keys.password_key = password_key
        return password_key

    def revoke_user(self, session: Session, user_id: int) -> None:
        """Account disabled: its key pair and every key sealed to it are deleted."""
        session.execute(delete(KeyGrant).where(KeyGrant.user_id == user_id))
        session.execute(delete(UserKey).where(UserKey.user_id == user_id))

    @staticmethod
    def revoke_unentitled(session: Session, user_id: int, role: Role) -> None:
        """After a role change: delete the key copies the new role is not entitled to."""
        for grant, compartment in session.execute(
            select(KeyGrant, CompartmentKey.compartment)
            .join(CompartmentKey, CompartmentKey.id == KeyGrant.compartment_key_id)
            .where(KeyGrant.user_id == user_id)
        ).all():
            entitled = policy.holds_key(role, compartment)
            keep = (
                entitled
                if grant.kind == ROLE_GRANT
                else (
                    not entitled
                    and role in PROFESSIONAL_ROLES
                    and compartment in policy.escrow_domains()
                )
            )
            if not keep:
                session.delete(grant)

    # ---- compartment keys ----------------------------------------------------------------
    @staticmethod
    def recovery_public_key(session: Session) -> bytes | None:
        row = session.scalar(select(RecoveryKey).order_by(RecoveryKey.id.desc()).limit(1))
        return row.public_key if row else None

    def create_recovery_key(self, session: Session) -> str:
        """Generate the clinic's recovery key pair; returns the private half, formatted, once."""
        if self.recovery_public_key(session) is not None:
            raise RecoveryKeyError("Une clé de secours existe déjà pour cette maison de santé.")
        private, public = crypto.new_keypair()
        session.add(
            RecoveryKey(
                public_key=public,
                fingerprint=crypto.fingerprint(public),
                created_at=self._clock(),
            )
        )
        # Existing compartment keys without a recovery wrap cannot be fixed here (the data
        # keys are not in this session); ``relais-admin keys status`` reports them.
        session.flush()
        return format_recovery_key(private)

    def _create_compartment_key(
        self, session: Session, compartment: str, user_id: int | None
    ) -> tuple[int, bytes]:
        dek = crypto.random_key()
        recovery = self.recovery_public_key(session)
        wrap = crypto.seal_to(recovery, dek, _recovery_aad(compartment)) if recovery else b""
        row = CompartmentKey(
            compartment=compartment,
            recovery_wrap=wrap,
            created_at=self._clock(),
            created_by_id=user_id,
        )
        session.add(row)
        session.flush()
        return row.id, dek

    def open_session(self, session: Session, actor: Actor, keys: SessionKeys) -> SessionKeys:
        """Unwrap every key granted to the user; create a compartment's key the first time an
        entitled user logs in; then grant held keys to entitled colleagues who lack them."""
        grants = session.execute(
            select(KeyGrant, CompartmentKey.compartment)
            .join(CompartmentKey, CompartmentKey.id == KeyGrant.compartment_key_id)
            .where(KeyGrant.user_id == keys.user_id)
        ).all()
        for grant, compartment in grants:
            try:
                dek = crypto.unseal_with(
                    keys.private_key,
                    grant.wrapped_key,
                    _grant_aad(grant.compartment_key_id, keys.user_id, grant.kind),
                )
            except crypto.CryptoError:
                continue  # a damaged grant: a holder will grant again
            target = keys.role_keys if grant.kind == ROLE_GRANT else keys.escrow_keys
            target[compartment] = (grant.compartment_key_id, dek)
        for domain in policy.KEY_DOMAINS:
            if not policy.holds_key(actor.role, domain):
                continue
            keys.escrow_keys.pop(domain, None)
            if domain in keys.role_keys:
                continue
            existing = session.scalar(
                select(CompartmentKey).where(CompartmentKey.compartment == domain)
            )
            if existing is None:
                key_id, dek = self._create_compartment_key(session, domain, keys.user_id)
                self._grant(session, actor, key_id, keys.user_id, ROLE_GRANT, dek, domain)
                keys.role_keys[domain] = (key_id, dek)
        return keys

    def _grant(
        self,
        session: Session,
        actor: Actor | None,
        key_id: int,
        user_id: int,
        kind: str,
        dek: bytes,
        compartment: str,
        public_key: bytes | None = None,
    ) -> None:
        if public_key is None:
            row = session.get(UserKey, user_id)
            if row is None:
                return
            public_key = row.public_key
        session.add(
            KeyGrant(
                user_id=user_id,
                compartment_key_id=key_id,
                kind=kind,
                wrapped_key=crypto.seal_to(public_key, dek, _grant_aad(key_id, user_id, kind)),
                granted_by_id=actor.user_id if actor else None,
                granted_at=self._clock(),
            )
        )
        self._audit.add(
            session,
            actor,
            "key_grant" if kind == ROLE_GRANT else "key_grant_break_glass",
            compartment=compartment,
            object_type="account",
            object_id=user_id,
        )

    def grant_pending(
        self,
        session: Session,
        actor: Actor,
        keys: SessionKeys,
        *,
        break_glass_enabled: bool,
    ) -> int:
        """Seal the keys this session holds to entitled colleagues who lack them."""
        granted = 0
        users = session.execute(
            select(User.id, User.role, UserKey.public_key)
            .join(UserKey, UserKey.user_id == User.id)
            .where(User.active.is_(True), User.id != keys.user_id)
        ).all()
        existing = {
            (g.user_id, g.compartment_key_id, g.kind) for g in session.scalars(select(KeyGrant))
        }
        for compartment, (key_id, dek) in keys.role_keys.items():
            for user_id, role, public_key in users:
                if policy.holds_key(role, compartment):
                    kind = ROLE_GRANT
                elif (
                    break_glass_enabled
                    and Role(role) in PROFESSIONAL_ROLES
                    and compartment in policy.escrow_domains()
                ):
                    kind = BREAK_GLASS_GRANT
                else:
                    continue
                if (user_id, key_id, kind) in existing:
                    continue
                self._grant(session, actor, key_id, user_id, kind, dek, compartment, public_key)
                granted += 1
        if not break_glass_enabled:
            self.drop_break_glass(session)
        return granted + self.records.grant_pending(session, actor)

    @staticmethod
    def drop_break_glass(session: Session) -> None:
        """Exceptional access switched off: every break-glass key copy is deleted."""
        session.execute(delete(KeyGrant).where(KeyGrant.kind == BREAK_GLASS_GRANT))

    # ---- recovery --------------------------------------------------------------------------
    def recover(self, session: Session, actor: Actor | None, recovery_text: str) -> int:
        """With the recovery key, grant every compartment key to every entitled user."""
        private = parse_recovery_key(recovery_text)
        public = self.recovery_public_key(session)
        if public is None or crypto.public_of(private) != public:
            raise RecoveryKeyError("Cette clé de secours ne correspond pas à cette base.")
        granted = 0
        existing = {
            (g.user_id, g.compartment_key_id, g.kind) for g in session.scalars(select(KeyGrant))
        }
        users = session.execute(
            select(User.id, User.role, UserKey.public_key)
            .join(UserKey, UserKey.user_id == User.id)
            .where(User.active.is_(True))
        ).all()
        for row in session.scalars(select(CompartmentKey)):
            if not row.recovery_wrap:
                continue
            dek = crypto.unseal_with(private, row.recovery_wrap, _recovery_aad(row.compartment))
            for user_id, role, public_key in users:
                if not policy.holds_key(role, row.compartment):
                    continue
                if (user_id, row.id, ROLE_GRANT) in existing:
                    continue
                self._grant(
                    session, actor, row.id, user_id, ROLE_GRANT, dek, row.compartment, public_key
                )
                granted += 1
        return granted + self.records.recover(session, recovery_text)

    @staticmethod
    def status(session: Session) -> list[tuple[str, int, bool]]:
        """(compartment, number of users holding its key, recoverable) for each key."""
        rows = []
        for key in session.scalars(select(CompartmentKey).order_by(CompartmentKey.compartment)):
            holders = len(
                session.scalars(
                    select(KeyGrant.id).where(
                        KeyGrant.compartment_key_id == key.id, KeyGrant.kind == ROLE_GRANT
                    )
                ).all()
            )
            rows.append((key.compartment, holders, bool(key.recovery_wrap)))
        return rows
