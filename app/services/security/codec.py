"""The one place compartment contents pass through on their way to and from the database.

Every medical, social and liaison text (notes, and later the social assessment, referral
messages and feedback, archived documents) is sealed here with AES-256-GCM under the
compartment's data key, which only the sessions of entitled users hold (``SessionKeys``).

Stored form: ``E1:`` + compartment key id (4 bytes) + nonce + ciphertext and tag; the
compartment and the owning record (``context``, e.g. ``patient:42``) are authenticated as
associated data, so a ciphertext moved to another compartment or patient no longer opens.
``P1:`` marks plaintext written before encryption existed: still readable, rewritten encrypted
by ``relais-admin keys encrypt-existing``.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable

from app.i18n import _
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import KeyUnavailable, RelaisError, ValidationError
from app.services.kernel.policy import KEY_DOMAINS
from app.services.security import crypto

PLAIN_TAG = b"P1:"
SEALED_TAG = b"E1:"
_KEY_ID = struct.Struct(">I")
UNENCODABLE = (
    "Le texte contient un caractère illisible, qui ne peut pas être enregistré "
    "(copier-coller abîmé ?) : rien n'a été enregistré."
)


class UnreadableContent(RelaisError):
    def __init__(self) -> None:
        super().__init__("Ce contenu est illisible ou a été altéré : contactez la coordination.")


def _domain(compartment: Compartment | str) -> str:
    domain = str(compartment)
    if domain not in KEY_DOMAINS:
        raise ValueError(_("no data key for {domain!r}").format(domain=domain))
    return domain


def _aad(compartment: Compartment | str, context: str) -> bytes:
    return f"relais:{_domain(compartment)}:{context}".encode()


def note_context(patient_id: int) -> str:
    """Associated data binding a note's ciphertext (or any patient-bound content) to its
    patient."""
    return f"patient:{patient_id}"


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(SEALED_TAG)


class ContentCodec:
    """Seals and opens compartment contents with the acting session's keys."""

    def seal(
        self, actor: Actor, compartment: Compartment | str, text: str, *, context: str = ""
    ) -> bytes:
        """Services clean texts before sealing them (``app.services.kernel.text``); a character that
        cannot be stored all the same is a French ``ValidationError``, never an encoding error."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError({"text": UNENCODABLE}) from exc
        return self.seal_bytes(actor, compartment, data, context=context)

    def open(
        self,
        actor: Actor,
        compartment: Compartment | str,
        blob: bytes,
        *,
        context: str = "",
        escrow: bool = False,
    ) -> str:
        try:
            return self.open_bytes(actor, compartment, blob, context=context, escrow=escrow).decode(
                "utf-8"
            )
        except UnicodeDecodeError as exc:
            raise UnreadableContent() from exc

    # ---- fields of a row: a text or a JSON document, with the clear legacy value --------
    def seal_field(self, actor: Actor, domain: str, value: str, *, context: str) -> bytes | None:
        """``value`` sealed under ``domain``'s key; None for an empty value."""
        return self.seal(actor, domain, value, context=context) if value else None

    def open_field(
        self, actor: Actor, domain: str, blob: bytes | None, legacy: str = "", *, context: str
    ) -> str:
        """The sealed value, or ``legacy`` (the clear column of rows written before 0005)."""
        return self.open(actor, domain, blob, context=context) if blob else legacy

    def seal_json(self, actor: Actor, domain: str, data: dict, *, context: str) -> bytes:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return self.seal(actor, domain, text, context=context)

    def open_json(self, actor: Actor, domain: str, blob: bytes, *, context: str) -> dict:
        try:
            value = json.loads(self.open(actor, domain, blob, context=context))
        except json.JSONDecodeError as exc:
            raise UnreadableContent() from exc
        if not isinstance(value, dict):
            raise UnreadableContent()
        return value

    def seal_bytes(
        self, actor: Actor, compartment: Compartment | str, data: bytes, *, context: str = ""
    ) -> bytes:
        held = actor.keys.role_keys.get(_domain(compartment)) if actor.keys else None
        if held is None:
            raise KeyUnavailable(compartment)
        key_id, dek = held
        return (
            SEALED_TAG + _KEY_ID.pack(key_id) + crypto.seal(dek, data, _aad(compartment, context))
        )

    def opener(
        self,
        actor: Actor,
        compartment: Compartment | str,
        *,
        context: str = "",
        escrow: bool = False,
    ) -> Callable[[bytes], str]:
        """:meth:`open` for many contents of one compartment and ``context`` (a page of a
        patient's notes): the associated data is built once and each data key's cipher set up
        once, for this batch only (the function holds the keys: it is not kept)."""
        aad = _aad(compartment, context)
        ciphers: dict[int, Callable[[bytes, bytes], bytes]] = {}
        start = len(SEALED_TAG) + _KEY_ID.size

        def open_one(blob: bytes) -> str:
            if blob.startswith(PLAIN_TAG):
                data = blob[len(PLAIN_TAG) :]
            else:
                if not blob.startswith(SEALED_TAG) or len(blob) < start:
                    raise UnreadableContent()
                (key_id,) = _KEY_ID.unpack_from(blob, len(SEALED_TAG))
                unseal = ciphers.get(key_id)
                if unseal is None:
                    dek = actor.keys.key_by_id(key_id, allow_escrow=escrow) if actor.keys else None
                    if dek is None:
                        raise KeyUnavailable(compartment)
                    unseal = ciphers[key_id] = crypto.unsealer(dek)
                try:
                    data = unseal(blob[start:], aad)
                except crypto.CryptoError as exc:
                    raise UnreadableContent() from exc
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadableContent() from exc

        return open_one

    def open_bytes(
        self,
        actor: Actor,
        compartment: Compartment | str,
        blob: bytes,
        *,
        context: str = "",
        escrow: bool = False,
    ) -> bytes:
        if blob.startswith(PLAIN_TAG):
            return blob[len(PLAIN_TAG) :]
        if not blob.startswith(SEALED_TAG) or len(blob) < len(SEALED_TAG) + _KEY_ID.size:
            raise UnreadableContent()
        (key_id,) = _KEY_ID.unpack_from(blob, len(SEALED_TAG))
        dek = actor.keys.key_by_id(key_id, allow_escrow=escrow) if actor.keys else None
        if dek is None:
            raise KeyUnavailable(compartment)
        try:
            return crypto.unseal(
                dek, blob[len(SEALED_TAG) + _KEY_ID.size :], _aad(compartment, context)
            )
        except crypto.CryptoError as exc:
            raise UnreadableContent() from exc
