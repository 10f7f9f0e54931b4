"""Cryptographic primitives, all from the ``cryptography`` and ``argon2-cffi`` libraries.

- ``derive_key``: Argon2id password-based key derivation (parameters above OWASP ASVS 5.0's
  minimums: 64 MiB, 3 passes, 4 lanes).
- ``seal``/``unseal``: AES-256-GCM with a random 96-bit nonce and associated data.
- ``seal_to``/``unseal_with``: a sealed box for an X25519 public key (ephemeral X25519 key
  agreement, HKDF-SHA256, AES-256-GCM), used to hand a compartment key to another user
  without knowing their password.
- ``encrypt_stream``/``decrypt_stream``: chunked AES-GCM for large files (backups): each
  chunk is authenticated with its index and a final-chunk flag, so truncation, reordering and
  any modified byte are detected.
"""

from __future__ import annotations

import hmac
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from hashlib import sha256
from typing import BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.i18n import _

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16


class CryptoError(Exception):
    """Authentication failed: wrong key, or data modified."""


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 4

    def encode(self) -> str:
        return f"argon2id$t={self.time_cost},m={self.memory_cost},p={self.parallelism}"

    @classmethod
    def decode(cls, text: str) -> KdfParams:
        name, _unused, rest = text.partition("$")
        if name != "argon2id":
            raise CryptoError(_("unknown KDF {name!r}").format(name=name))
        values = dict(part.split("=") for part in rest.split(","))
        return cls(int(values["t"]), int(values["m"]), int(values["p"]))


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def random_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    return unsealer(key)(blob, aad)


def unsealer(key: bytes) -> Callable[[bytes, bytes], bytes]:
    """``unseal`` under one key for many blobs (a page of notes): the cipher is set up once.
    The function holds the key: keep it no longer than the call that needs it."""
    decrypt = AESGCM(key).decrypt

    def open_blob(blob: bytes, aad: bytes = b"") -> bytes:
        if len(blob) < NONCE_BYTES + 16:
            raise CryptoError(_("ciphertext too short"))
        try:
            return decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise CryptoError(_("authentication failed")) from exc

    return open_blob


# ---- asymmetric sealed boxes ---------------------------------------------------------------
def new_keypair() -> tuple[bytes, bytes]:
    """(private, public) raw 32-byte X25519 keys."""
    private = X25519PrivateKey.generate()
    return (
        private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        ),
        private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ),
    )


def public_of(private: bytes) -> bytes:
    return (
        X25519PrivateKey.from_private_bytes(private)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def _box_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_public + recipient_public,
        info=b"relais sealed box v1",
    ).derive(shared)


def seal_to(recipient_public: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _box_key(shared, ephemeral_public, recipient_public)
    return ephemeral_public + seal(key, plaintext, aad)


def seal_many_to(recipient_public: bytes, items: list[tuple[bytes, bytes]]) -> list[bytes]:
    """``seal_to`` for many (plaintext, aad) pairs to one recipient, with one key agreement:
    each box has its own random nonce under the shared box key (the same format, opened by
    :func:`unseal_with`). For bulk work: thousands of record keys to the same few people."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _box_key(shared, ephemeral_public, recipient_public)
    return [ephemeral_public + seal(key, plaintext, aad) for plaintext, aad in items]


def unseal_with(private: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    if len(blob) < 32:
        raise CryptoError(_("sealed box too short"))
    ephemeral_public, rest = blob[:32], blob[32:]
    recipient = X25519PrivateKey.from_private_bytes(private)
    shared = recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    recipient_public = public_of(private)
    return unseal(_box_key(shared, ephemeral_public, recipient_public), rest, aad)


# ---- keyed hashes -----------------------------------------------------------------------
def mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, sha256).hexdigest()


def mac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def fingerprint(data: bytes) -> str:
    return sha256(data).hexdigest()


# ---- chunked file encryption -------------------------------------------------------------
STREAM_MAGIC = b"RELAIS-ENC1\n"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">I")  # ciphertext length of the chunk


def _chunk_aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">Q?", index, final)


def encrypt_stream(key: bytes, source: BinaryIO, target: BinaryIO, header: bytes = b"") -> int:
    """Encrypt ``source`` into ``target``; ``header`` (e.g. metadata) is authenticated too.

    Returns the number of plaintext bytes.
    """
    target.write(STREAM_MAGIC)
    target.write(_HEADER.pack(len(header)))
    target.write(header)
    prefix = os.urandom(4)
    target.write(prefix)
    total = 0
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        final = not following
        nonce = prefix + struct.pack(">Q", index)
        sealed = AESGCM(key).encrypt(nonce, chunk, _chunk_aad(header, index, final))
        target.write(_HEADER.pack(len(sealed)))
        target.write(sealed)
        total += len(chunk)
        if final:
            return total
        chunk = following
        index += 1


def read_stream_header(source: BinaryIO) -> bytes:
    if source.read(len(STREAM_MAGIC)) != STREAM_MAGIC:
        raise CryptoError(_("not a Relais encrypted file"))
    raw = source.read(_HEADER.size)
    if len(raw) != _HEADER.size:
        raise CryptoError(_("truncated header"))
    (length,) = _HEADER.unpack(raw)
    header = source.read(length)
    if len(header) != length:
        raise CryptoError(_("truncated header"))
    return header


def decrypt_stream(key: bytes, source: BinaryIO, header: bytes) -> Iterator[bytes]:
    """Yield plaintext chunks; raises CryptoError on any modification or truncation.

    ``source`` must be positioned just after the header (see ``read_stream_header``).
    """
    prefix = source.read(4)
    if len(prefix) != 4:
        raise CryptoError(_("truncated file"))
    index = 0
    while True:
        raw = source.read(_HEADER.size)
        if len(raw) != _HEADER.size:
            raise CryptoError(_("truncated file"))
        (length,) = _HEADER.unpack(raw)
        sealed = source.read(length)
        if len(sealed) != length:
            raise CryptoError(_("truncated file"))
        nonce = prefix + struct.pack(">Q", index)
        # A chunk is either final or not; try the flag that the position implies.
        peek = source.read(1)
        final = not peek
        if peek:
            source.seek(-1, os.SEEK_CUR)
        try:
            yield AESGCM(key).decrypt(nonce, sealed, _chunk_aad(header, index, final))
        except InvalidTag as exc:
            raise CryptoError(_("modified or truncated file")) from exc
        if final:
            return
        index += 1
