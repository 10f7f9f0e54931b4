"""Validation of identifiers and dates. Each check returns a French message or None.

NIR uses python-stdnum (key = 97 − n mod 97, 2A/2B for Corsica); RPPS and FINESS use the Luhn
key through python-stdnum; telephone numbers use phonenumbers (French numbering plan, overseas
departments and international numbers); e-mail addresses use email-validator (syntax only: the
clinic's workstation may be offline).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import nir as stdnum_nir

from app.i18n import _
from app.lazy import on_first_use
from app.models.enums import Sex
from app.services.kernel.text import has_unencodable

if TYPE_CHECKING:
    import email_validator
    import phonenumbers
else:  # loaded with the first telephone number or e-mail address checked
    email_validator = on_first_use("email_validator")
    phonenumbers = on_first_use("phonenumbers")

MIN_BIRTH_DATE = date(1890, 1, 1)
# ASCII digits only: "\d" would also accept Arabic-Indic or full-width digits.
_DATE_RE = re.compile(r"^\s*([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})\s*$")
# A national number (0…) is read in metropolitan France first, then in each overseas region
# that has its own numbering plan (0590 Guadeloupe, 0262 La Réunion, 0596 Martinique…).
_PHONE_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF")
_PHONE_MAX_LENGTH = 30
_POSTAL_RE = re.compile(r"^([0-9]{5}|)$")
_BIRTH_PLACE_RE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$")


def unencodable_error(value: str, label: str) -> str | None:
    """Identities and identifiers refuse a character that cannot be stored rather than alter
    it (see :mod:`app.services.kernel.text`). ``label``: the field, as a sentence starts
    (« Le nom de naissance »)."""
    if not has_unencodable(value):
        return None
    return _(
        "{label} contient un caractère illisible, qui ne peut pas être "
        "enregistré (copier-coller abîmé ?) : retapez-le."
    ).format(label=label)


def compact_nir(value: str) -> str:
    return stdnum_nir.compact(value).upper()


def nir_error(value: str) -> str | None:
    """None when the NIR is valid (or empty); otherwise why not, in French."""
    value = compact_nir(value)
    if not value:
        return None
    length_message = _("Le NIR doit comporter 15 caractères (13 chiffres et la clé de 2 chiffres).")
    if len(value) != 15:  # python-stdnum reports a short number as a format error
        return length_message
    try:
        stdnum_nir.validate(value)
    except InvalidLength:
        return length_message
    except InvalidFormat:
        return _(
            "Le NIR ne doit contenir que des chiffres (2A ou 2B pour un département de Corse)."
        )
    except InvalidChecksum:
        return _("La clé du NIR est incorrecte : vérifiez le numéro sur la carte Vitale.")
    return None


def nir_coherence_error(value: str, sex: str | None, birth_date: date | None) -> str | None:
    """The NIR's sex, year and month must match the identity traits (when they are known)."""
    value = compact_nir(value)
    if not value or nir_error(value):
        return None
    first = value[0]
    if sex in (Sex.MALE, Sex.FEMALE) and first in "12" and (first == "1") != (sex == Sex.MALE):
        return _("Le NIR ne correspond pas au sexe indiqué (1 = masculin, 2 = féminin).")
    if birth_date is not None:
        if value[1:3] != f"{birth_date.year % 100:02d}":
            return _("Le NIR ne correspond pas à l'année de naissance.")
        month = int(value[3:5])
        if 1 <= month <= 12 and month != birth_date.month:
            return _("Le NIR ne correspond pas au mois de naissance.")
    return None


def format_nir(value: str) -> str:
    value = compact_nir(value)
    return stdnum_nir.format(value) if value and not nir_error(value) else value


def rpps_error(value: str) -> str | None:
    value = re.sub(r"\s", "", value)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{11}", value):
        return _("Le numéro RPPS doit comporter 11 chiffres.")
    if not luhn.is_valid(value):
        return _("Le numéro RPPS est incorrect (clé de contrôle).")
    return None


def finess_error(value: str) -> str | None:
    value = re.sub(r"\s", "", value).upper()
    if not value:
        return None
    if len(value) != 9 or not re.fullmatch(r"([0-9]{2}|2[AB])[0-9]{7}", value):
        return _("Le numéro FINESS doit comporter 9 caractères (département puis 7 chiffres).")
    digits = value.replace("2A", "20").replace("2B", "20")
    if not luhn.is_valid(digits):
        return _("Le numéro FINESS est incorrect (clé de contrôle).")
    return None


def parse_date_fr(text: str) -> date | None:
    """Parse dd/mm/yyyy (or with - or .); None if the text is not such a date."""
    m = _DATE_RE.match(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def birth_date_error(value: date | None, today: date) -> str | None:
    if value is None:
        return _("La date de naissance est obligatoire (jj/mm/aaaa).")
    if value > today:
        return _("La date de naissance ne peut pas être dans le futur.")
    if value < MIN_BIRTH_DATE:
        return _("La date de naissance est trop ancienne : vérifiez l'année.")
    return None


def phone_error(value: str) -> str | None:
    """A telephone number a French clinic can dial: French (metropolitan or overseas) or
    international with its +country code."""
    if not value:
        return None
    if len(value) <= _PHONE_MAX_LENGTH and any(_valid_phone(value, r) for r in _PHONE_REGIONS):
        return None
    return _(
        "Le numéro de téléphone n'est pas valide (par exemple 02 35 12 34 56, "
        "ou +32 2 500 12 34 pour l'étranger)."
    )


def _valid_phone(value: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def email_error(value: str) -> str | None:
    if not value:
        return None
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return _("L'adresse e-mail n'est pas valide (par exemple prenom.nom@exemple.fr).")
    return None


def postal_code_error(value: str) -> str | None:
    if not _POSTAL_RE.match(value):
        return _("Le code postal doit comporter 5 chiffres.")
    return None


def birth_place_error(value: str) -> str | None:
    if value and not _BIRTH_PLACE_RE.match(value.upper()):
        return _(
            "Le code INSEE du lieu de naissance comporte 5 caractères "
            "(99xxx pour une naissance à l'étranger)."
        )
    return None
