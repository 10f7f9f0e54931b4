"""Notes sealed in bulk, exactly as ``ContentCodec.seal`` seals them, a million at a time.

The codec makes an AES-GCM object and asks the system for a nonce for every text; here each
(author, compartment) key gets one AES-GCM object and nonces are drawn 4,096 at a time (one
system call instead of 4,096; each nonce is still 96 random bits of its own). The stored form
is the codec's: before a key is used, a sample sealed here must open with the codec, otherwise
(or without the key) the codec seals every text itself.
"""

from __future__ import annotations

import os
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.security.codec import SEALED_TAG, ContentCodec
from app.services.security.crypto import NONCE_BYTES

NONCES_PER_DRAW = 4_096
_SAMPLE = "Échantillon de vérification du scellement"
_SAMPLE_CONTEXT = "patient:0"

_Key = tuple[bytes, AESGCM, str]  # stored prefix, cipher, key domain


class NoteSealer:
    def __init__(self, codec: ContentCodec) -> None:
        self.codec = codec
        self._keys: dict[tuple[int | None, str], _Key | None] = {}
        self._nonces = b""
        self._next = 0

    def _nonce(self) -> bytes:
        if self._next >= len(self._nonces):
            self._nonces, self._next = os.urandom(NONCE_BYTES * NONCES_PER_DRAW), 0
        start = self._next
        self._next += NONCE_BYTES
        return self._nonces[start : self._next]

    def _seal(self, key: _Key, data: bytes, context: str) -> bytes:
        prefix, cipher, domain = key
        nonce = self._nonce()
        return prefix + nonce + cipher.encrypt(nonce, data, f"relais:{domain}:{context}".encode())

    def _key(self, actor: Actor, compartment: Compartment) -> _Key | None:
        """The author's key for ``compartment``, if the codec opens what it seals."""
        domain = str(compartment)
        held = actor.keys.role_keys.get(domain) if actor.keys else None
        if held is None:
            return None
        key_id, dek = held
        key = (SEALED_TAG + struct.pack(">I", key_id), AESGCM(dek), domain)
        sample = self._seal(key, _SAMPLE.encode("utf-8"), _SAMPLE_CONTEXT)
        try:
            same = self.codec.open(actor, compartment, sample, context=_SAMPLE_CONTEXT) == _SAMPLE
        except RelaisError:
            same = False
        return key if same else None

    def seal(self, actor: Actor, compartment: Compartment, text: str, *, context: str) -> bytes:
        """What ``codec.seal(actor, compartment, text, context=context)`` gives."""
        index = (actor.user_id, str(compartment))
        if index not in self._keys:
            self._keys[index] = self._key(actor, compartment)
        key = self._keys[index]
        if key is None:
            return self.codec.seal(actor, compartment, text, context=context)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return self.codec.seal(actor, compartment, text, context=context)  # its French error
        return self._seal(key, data, context)
