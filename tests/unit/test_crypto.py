"""Cryptographic primitives: AES-GCM with associated data, sealed boxes, Argon2id parameters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import UserKey
from app.services.security import crypto
from app.services.security.crypto import CryptoError, KdfParams

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
MIB = 1024  # Argon2 memory costs are in KiB


# ---- AES-256-GCM ---------------------------------------------------------------------------


def test_seal_round_trips_with_its_associated_data():
    blob = crypto.seal(KEY, "Tension 14/8 — à revoir".encode(), b"relais:medical:patient:1")
    assert crypto.unseal(KEY, blob, b"relais:medical:patient:1").decode() == (
        "Tension 14/8 — à revoir"
    )
    assert b"Tension" not in blob
    # Nonce (12) + ciphertext (same length as the text) + tag (16).
    assert len(blob) == 12 + len("Tension 14/8 — à revoir".encode()) + 16


def test_each_seal_uses_a_fresh_nonce():
    blobs = {crypto.seal(KEY, b"identique", b"aad") for _ in range(20)}
    assert len(blobs) == 20
    assert len({b[:12] for b in blobs}) == 20


def test_empty_plaintext_is_authenticated_too():
    blob = crypto.seal(KEY, b"", b"aad")
    assert crypto.unseal(KEY, blob, b"aad") == b""
    with pytest.raises(CryptoError):
        crypto.unseal(KEY, blob, b"autre")


@pytest.mark.parametrize(
    ("key", "aad"),
    [(OTHER_KEY, b"relais:medical:patient:1"), (KEY, b"relais:medical:patient:2"), (KEY, b"")],
    ids=["wrong-key", "other-patient", "no-aad"],
)
def test_wrong_key_or_associated_data_is_refused(key, aad):
    blob = crypto.seal(KEY, b"secret", b"relais:medical:patient:1")
    with pytest.raises(CryptoError):
        crypto.unseal(key, blob, aad)


def test_every_modified_byte_is_detected():
    blob = crypto.seal(KEY, b"Note confidentielle", b"aad")
    for position in range(len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(CryptoError):
            crypto.unseal(KEY, bytes(tampered), b"aad")


@pytest.mark.parametrize("cut", [1, 16, 27])
def test_truncated_ciphertext_is_refused(cut):
    blob = crypto.seal(KEY, b"Note confidentielle", b"aad")
    with pytest.raises(CryptoError):
        crypto.unseal(KEY, blob[:-cut], b"aad")
    with pytest.raises(CryptoError):
        crypto.unseal(KEY, blob + b"\x00", b"aad")


def test_random_keys_and_salts():
    keys = {crypto.random_key() for _ in range(10)}
    assert len(keys) == 10 and all(len(k) == 32 for k in keys)
    assert len(crypto.random_salt()) == 16


# ---- sealed boxes (X25519) -------------------------------------------------------------------


def test_sealed_box_opens_only_with_the_recipients_private_key():
    private, public = crypto.new_keypair()
    other_private, _ = crypto.new_keypair()
    assert crypto.public_of(private) == public and len(public) == 32
    box = crypto.seal_to(public, KEY, b"relais-grant:1:7:role")
    assert KEY not in box
    assert crypto.unseal_with(private, box, b"relais-grant:1:7:role") == KEY
    with pytest.raises(CryptoError):
        crypto.unseal_with(other_private, box, b"relais-grant:1:7:role")
    with pytest.raises(CryptoError):
        crypto.unseal_with(private, box, b"relais-grant:1:8:role")  # sealed to someone else


def test_sealed_boxes_use_a_fresh_ephemeral_key():
    _, public = crypto.new_keypair()
    boxes = [crypto.seal_to(public, KEY) for _ in range(5)]
    assert len({b[:32] for b in boxes}) == 5


def test_modified_sealed_box_is_refused():
    private, public = crypto.new_keypair()
    box = crypto.seal_to(public, KEY, b"aad")
    for position in (0, 31, 32, 44, len(box) - 1):  # ephemeral key, nonce, ciphertext, tag
        tampered = bytearray(box)
        tampered[position] ^= 0x80
        with pytest.raises(CryptoError):
            crypto.unseal_with(private, bytes(tampered), b"aad")
    with pytest.raises(CryptoError):
        crypto.unseal_with(private, box[:31], b"aad")


# ---- keyed hashes ----------------------------------------------------------------------------


def test_mac_depends_on_key_and_data():
    tag = crypto.mac(KEY, b"entry")
    assert len(tag) == 64 and crypto.mac_equal(tag, crypto.mac(KEY, b"entry"))
    assert not crypto.mac_equal(tag, crypto.mac(OTHER_KEY, b"entry"))
    assert not crypto.mac_equal(tag, crypto.mac(KEY, b"entrY"))


# ---- Argon2id key derivation -----------------------------------------------------------------


def test_kdf_params_round_trip():
    for params in (KdfParams(), KdfParams(2, 19 * MIB, 1), KdfParams(1, 8 * MIB, 1)):
        text = params.encode()
        assert text.startswith("argon2id$")
        assert KdfParams.decode(text) == params
    assert KdfParams.decode("argon2id$t=3,m=65536,p=4") == KdfParams(3, 65536, 4)


def test_unknown_kdf_is_refused():
    with pytest.raises(CryptoError):
        KdfParams.decode("scrypt$n=16384,r=8,p=1")


def test_derived_key_depends_on_password_salt_and_params():
    params = KdfParams(1, 8 * MIB, 1)
    salt = b"s" * 16
    key = crypto.derive_key("mot-de-passe-1", salt, params)
    assert len(key) == 32
    assert crypto.derive_key("mot-de-passe-1", salt, params) == key
    assert crypto.derive_key("mot-de-passe-2", salt, params) != key
    assert crypto.derive_key("mot-de-passe-1", b"t" * 16, params) != key
    assert crypto.derive_key("mot-de-passe-1", salt, KdfParams(2, 8 * MIB, 1)) != key


def _meets_owasp_asvs_argon2id(params: KdfParams) -> bool:
    """OWASP (ASVS 5.0 / Password Storage Cheat Sheet) Argon2id minimums, all with p = 1:
    m = 46 MiB, t = 1; m = 19 MiB, t = 2; m = 12 MiB, t = 3; m = 9 MiB, t = 4; m = 7 MiB,
    t = 5. More lanes do not lower the total memory filled per pass, so ``p >= 1`` with at
    least one of these (memory, passes) pairs is equivalent or stronger."""
    minimums = {1: 46, 2: 19, 3: 12, 4: 9, 5: 7}
    passes = min(params.time_cost, 5)
    return params.parallelism >= 1 and params.memory_cost >= minimums[passes] * MIB


def test_default_kdf_parameters_meet_owasp_asvs_minimums():
    params = KdfParams()
    assert params.memory_cost >= 19 * MIB and params.time_cost >= 2
    assert params.parallelism >= 1
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 64 * MIB, 4)
    assert _meets_owasp_asvs_argon2id(params)
    # The checker itself draws the line where OWASP does.
    assert _meets_owasp_asvs_argon2id(KdfParams(2, 19 * MIB, 1))
    assert not _meets_owasp_asvs_argon2id(KdfParams(2, 19 * MIB - 1, 1))
    assert not _meets_owasp_asvs_argon2id(KdfParams(1, 19 * MIB, 1))
    # The tests' light parameters are below: they must never be the default.
    assert not _meets_owasp_asvs_argon2id(KdfParams(1, 8 * MIB, 1))


def test_accounts_are_created_with_the_default_kdf_parameters(database):
    """Built without test overrides, Relais seals private keys with the default Argon2id."""
    from argon2 import PasswordHasher

    from app.container import Services
    from app.models.enums import Profession, Role
    from app.services.accounts.records import UserInput
    from app.services.clinic.records import ClinicInput

    services = Services.build(database, hasher=PasswordHasher(time_cost=1, memory_cost=8 * MIB))
    services.clinic.setup(
        ClinicInput("MSP"),
        UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR),
        "voilier-orange-2026-ok",
    )
    with database.sessions() as session:
        stored = session.scalar(select(UserKey.kdf_params))
    params = KdfParams.decode(stored)
    assert params == KdfParams()
    assert _meets_owasp_asvs_argon2id(params)
