"""Identifier, date and contact checks (each returns a French message or None)."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import luhn

from app.models.enums import Sex
from app.services.kernel.validation import (
    birth_date_error,
    birth_place_error,
    compact_nir,
    email_error,
    finess_error,
    format_nir,
    nir_coherence_error,
    nir_error,
    parse_date_fr,
    phone_error,
    postal_code_error,
    rpps_error,
)


def _nir(body: str) -> str:
    """Key = 97 - (number mod 97), Corsica's 2A/2B counted as 19/18 (computed here by hand)."""
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return body + f"{97 - number % 97:02d}"


# ---- NIR -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["1600376451123", "2851275056789", "1700919004567", "27009 2A 004 567", "1700 92B 004567"],
)
def test_valid_nirs(body):
    nir = _nir(body.replace(" ", ""))
    assert nir_error(nir) is None
    spaced = " ".join([nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]])
    assert nir_error(spaced) is None
    assert nir_error(nir.lower()) is None
    assert compact_nir(spaced) == nir.upper()
    assert compact_nir(format_nir(nir)) == nir


def test_corsican_departments_change_the_key():
    plain, corsican = _nir("1700920004567"), _nir("17009" + "2A" + "004567")
    assert nir_error(corsican) is None
    assert nir_error(corsican[:13] + plain[13:]) is not None


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("1", "Le NIR doit comporter 15 caractères"),
        ("16003764511", "Le NIR doit comporter 15 caractères"),
        ("1600376451123456", "Le NIR doit comporter 15 caractères"),
        ("1600376451A2345", "Le NIR ne doit contenir que des chiffres"),
        ("16003 2C 45112345", "Le NIR ne doit contenir que des chiffres"),
        ("١٦٠٠٣٧٦٤٥١١٢٣٤٥", "Le NIR ne doit contenir que des chiffres"),
    ],
)
def test_malformed_nirs(value, start):
    assert nir_error(value).startswith(start)


def test_wrong_nir_key():
    nir = _nir("1600376451123")
    for key in ("00", "98", f"{(int(nir[13:]) + 1) % 97:02d}"):
        assert nir_error(nir[:13] + key) == (
            "La clé du NIR est incorrecte : vérifiez le numéro sur la carte Vitale."
        )


def test_empty_nir_is_allowed():
    assert nir_error("") is None and nir_error("   ") is None


def test_nir_coherence():
    nir = _nir("1600376451123")
    born = date(1960, 3, 5)
    assert nir_coherence_error(nir, Sex.MALE, born) is None
    assert nir_coherence_error(nir, Sex.UNDETERMINED, born) is None
    assert "sexe" in nir_coherence_error(nir, Sex.FEMALE, born)
    assert "année" in nir_coherence_error(nir, Sex.MALE, date(1961, 3, 5))
    assert "mois" in nir_coherence_error(nir, Sex.MALE, date(1960, 4, 5))
    assert nir_coherence_error(nir, Sex.MALE, None) is None
    # Unknown month (99) or a temporary number's fictitious month: not compared.
    assert nir_coherence_error(_nir("1609976451123"), Sex.MALE, born) is None
    assert nir_coherence_error(_nir("1602076451123"), Sex.MALE, born) is None
    # Invalid NIRs are reported by nir_error, not here.
    assert nir_coherence_error("123", Sex.FEMALE, born) is None


# ---- RPPS, FINESS --------------------------------------------------------------------------


def _luhn_complete(body: str) -> str:
    for digit in "0123456789":
        if luhn.is_valid(body + digit):
            return body + digit
    raise AssertionError


def test_rpps():
    good = _luhn_complete("1000012345")
    assert rpps_error(good) is None
    assert rpps_error(f"{good[:5]} {good[5:]}") is None
    assert rpps_error("") is None
    assert rpps_error(good[:-1] + str((int(good[-1]) + 1) % 10)) == (
        "Le numéro RPPS est incorrect (clé de contrôle)."
    )
    for bad in ("123", "1000012345X", "100001234567", "１０００１２３４５６７"):
        assert rpps_error(bad) == "Le numéro RPPS doit comporter 11 chiffres."


def test_finess():
    good = _luhn_complete("76000123")
    assert finess_error(good) is None and finess_error("") is None
    assert finess_error(good[:-1] + str((int(good[-1]) + 1) % 10)) == (
        "Le numéro FINESS est incorrect (clé de contrôle)."
    )
    corsica = "2A" + _luhn_complete("20001234")[2:]
    assert finess_error(corsica) is None
    assert finess_error("7600012").startswith("Le numéro FINESS doit comporter 9 caractères")
    assert finess_error("AB0001234").startswith("Le numéro FINESS doit comporter 9 caractères")


# ---- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/1960", date(1960, 3, 5)),
        ("5/3/1960", date(1960, 3, 5)),
        (" 05-03-1960 ", date(1960, 3, 5)),
        ("05.03.1960", date(1960, 3, 5)),
        ("29/02/2024", date(2024, 2, 29)),
        ("31/02/2020", None),
        ("29/02/2023", None),
        ("00/01/2000", None),
        ("01/13/2000", None),
        ("1960-03-05", None),
        ("05/03/60", None),
        ("", None),
        ("05/03/1960 10:00", None),
        ("٠٥/٠٣/١٩٦٠", None),
    ],
)
def test_parse_date_fr(text, expected):
    assert parse_date_fr(text) == expected


def test_birth_date_bounds():
    today = date(2026, 11, 22)
    assert birth_date_error(today, today) is None
    assert birth_date_error(date(1890, 1, 1), today) is None
    assert birth_date_error(None, today) == "La date de naissance est obligatoire (jj/mm/aaaa)."
    assert birth_date_error(date(2026, 11, 23), today) == (
        "La date de naissance ne peut pas être dans le futur."
    )
    assert birth_date_error(date(1889, 12, 31), today).startswith("La date de naissance est trop")


# ---- contact -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "02 35 00 00 00",
        "+33 6 12 34 56 78",
        "(02).35-00-00-00",
        "0590 12 34 56",  # Guadeloupe
        "0262 12 34 56",  # La Réunion
        "+32 2 500 12 34",  # Brussels
    ],
)
def test_valid_phones(value):
    assert phone_error(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "06 12 AB 56 78",
        "0" * 26,
        "06\n12",
        "+33 0 00",  # accepted by the old pattern: too short, no such number
        "02 35 00 00",  # a digit pair missing
        "01 23 45 67 89 01",  # too long
        "+33 1" + " 23" * 40,
    ],
)
def test_invalid_phones(value):
    assert phone_error(value).startswith("Le numéro de téléphone n'est pas valide")


@pytest.mark.parametrize("value", ["", "jean.dupre@example.org", "é@exemple.fr"])
def test_valid_emails(value):
    assert email_error(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "jean",
        "jean@",
        "@example.org",
        "a@b",
        "a b@c.fr",
        "a@@b.fr",
        "jean..dupre@example.org",
        "jean@exemple..fr",
        "jean@-exemple.fr",
    ],
)
def test_invalid_emails(value):
    assert email_error(value).startswith("L'adresse e-mail n'est pas valide")


def test_postal_codes_and_birth_places():
    assert postal_code_error("") is None and postal_code_error("76000") is None
    assert postal_code_error("7600") == "Le code postal doit comporter 5 chiffres."
    assert postal_code_error("76 000") is not None
    assert postal_code_error("٧٦٠٠٠") is not None  # Arabic-Indic digits
    assert birth_place_error("٧٦٥٤٠") is not None
    for good in ("", "76540", "2A004", "2b033", "99100"):
        assert birth_place_error(good) is None
    for bad in ("7654", "2C004", "ABCDE", "765401"):
        assert birth_place_error(bad).startswith("Le code INSEE du lieu de naissance")


def test_the_examples_the_message_gives_are_valid_numbers():
    message = phone_error("x")
    for example in ("02 35 12 34 56", "+32 2 500 12 34"):
        assert example in message
        assert phone_error(example) is None
