"""The identity form, checked: INS traits, identifiers and contact details (French messages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from app.i18n import N_, Labels, _
from app.models.enums import IdentityDocument, IdentityStatus, Sex
from app.services.kernel.errors import ValidationError
from app.services.kernel.text import clean_line, search_key, search_tokens
from app.services.kernel.validation import (
    birth_date_error,
    birth_place_error,
    compact_nir,
    email_error,
    nir_coherence_error,
    nir_error,
    parse_date_fr,
    phone_error,
    postal_code_error,
    unencodable_error,
)
from app.services.patient_file.records import PatientInput

LIMITS = {
    "birth_name": 100,
    "used_name": 100,
    "first_names": 200,
    "phone": 30,
    "email": 200,
    "address": 300,
    "postal_code": 10,
    "city": 100,
    "attending_gp_other": 200,
}
FIELD_LABELS = Labels(
    {
        "birth_name": N_("Le nom de naissance"),
        "used_name": N_("Le nom d'usage"),
        "first_names": N_("Les prénoms"),
        "phone": N_("Le téléphone"),
        "email": N_("L'e-mail"),
        "address": N_("L'adresse"),
        "postal_code": N_("Le code postal"),
        "city": N_("La ville"),
        "attending_gp_other": N_("Le médecin traitant (hors maison de santé)"),
    }
)
# Identity traits and identifiers refuse a character that cannot be stored; the other fields
# keep the text with « � » in its place (app.services.kernel.text).
STRICT_FIELDS = ("birth_name", "used_name", "first_names", "phone", "email", "postal_code")


MAX_TOKEN = 100  # name words are cut there (patient_token.token)


def sort_key(birth_name: str, used_name: str, first_names: str) -> str:
    return f"{search_key(used_name or birth_name)} {search_key(first_names)}"[:400]


def patient_tokens(birth_name: str, used_name: str, first_names: str) -> set[str]:
    return {t[:MAX_TOKEN] for t in search_tokens(birth_name, used_name, first_names)}


def name_prefixes(tokens: Iterable[str]) -> set[str]:
    """Every prefix of every name word (what a search for that word may type): the rows of
    ``patient_name_prefix``."""
    return {token[:n] for token in tokens for n in range(1, len(token[:MAX_TOKEN]) + 1)}


def name_words(tokens: Iterable[str]) -> str:
    """A patient's name words as ``patient_name_prefix.words`` holds them: sorted, each after
    a space (`` dupre marie``), so that containing `` ma`` means that a word starts with
    « ma »."""
    return "".join(f" {token}" for token in sorted(set(tokens)))


def validate_patient(data: PatientInput, today: date) -> PatientInput:
    """Clean every field; raise ValidationError with one French message per bad field."""
    errors: dict[str, str] = {}
    values = _text_fields(data, errors)
    try:
        sex = Sex(data.sex)
    except ValueError:
        errors["sex"] = _("Le sexe doit être F, M ou I (indéterminé).")
        sex = None
    birth = _birth_date(data.birth_date, today, errors)
    place = clean_line(data.birth_place_code or "").upper()
    if (message := unencodable_error(data.birth_place_code or "", _("Le lieu de naissance"))) or (
        message := birth_place_error(place)
    ):
        errors["birth_place_code"] = message
    nir = compact_nir(clean_line(data.nir or ""))
    if (
        (message := unencodable_error(data.nir or "", _("Le NIR")))
        or (message := nir_error(nir))
        or (message := nir_coherence_error(nir, sex, birth if "birth_date" not in errors else None))
    ):
        errors["nir"] = message
    status, document = _identity_proof(data, errors)
    for name, check in (
        ("phone", phone_error),
        ("email", email_error),
        ("postal_code", postal_code_error),
    ):
        if name not in errors and (message := check(str(values[name]))):
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return replace(
        data,
        **values,  # type: ignore[arg-type]
        sex=sex,
        birth_date=birth,
        birth_place_code=place,
        nir=nir,
        identity_status=status,
        identity_document=document,
    )


def _text_fields(data: PatientInput, errors: dict[str, str]) -> dict[str, object]:
    """The free-text fields cleaned (length, characters that cannot be stored, letters)."""
    values: dict[str, object] = {}
    for name, limit in LIMITS.items():
        raw = getattr(data, name) or ""
        if not isinstance(raw, str):
            raw = str(raw)
        cleaned = clean_line(raw)
        if name in STRICT_FIELDS and (message := unencodable_error(raw, FIELD_LABELS[name])):
            errors[name] = message
        elif len(cleaned) > limit:
            errors[name] = _("{value} est trop long ({limit} caractères au plus).").format(
                value=FIELD_LABELS[name], limit=limit
            )
        values[name] = cleaned
    if not values["birth_name"]:
        errors["birth_name"] = _("Le nom de naissance est obligatoire.")
    if not values["first_names"]:
        errors["first_names"] = _("Au moins un prénom est obligatoire.")
    for name in ("birth_name", "used_name", "first_names"):
        text = str(values[name])
        if text and not search_tokens(text):
            errors.setdefault(name, f"{FIELD_LABELS[name]} doit contenir des lettres.")
    return values


def _birth_date(birth: date | str | None, today: date, errors: dict[str, str]) -> date | None:
    if isinstance(birth, str):
        parsed = parse_date_fr(birth) if birth.strip() else None
        if birth.strip() and parsed is None:
            errors["birth_date"] = _(
                "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."
            )
        birth = parsed
    if "birth_date" not in errors and (message := birth_date_error(birth, today)):
        errors["birth_date"] = message
    return birth


def _identity_proof(
    data: PatientInput, errors: dict[str, str]
) -> tuple[IdentityStatus, IdentityDocument | None]:
    """The identity's status and the document it was checked on (a validated one needs it)."""
    try:
        status = IdentityStatus(data.identity_status)
    except ValueError:
        errors["identity_status"] = _("Statut d'identité inconnu.")
        status = IdentityStatus.PROVISIONAL
    document = None
    if data.identity_document:
        try:
            document = IdentityDocument(data.identity_document)
        except ValueError:
            errors["identity_document"] = _("Pièce d'identité inconnue.")
    if status == IdentityStatus.VALIDATED and document is None:
        errors.setdefault(
            "identity_document",
            "Une identité validée exige la pièce d'identité présentée (carte d'identité, "
            "passeport, titre de séjour…).",
        )
    return status, document
