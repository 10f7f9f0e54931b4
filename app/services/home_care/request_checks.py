"""The checks of a home-care request's form: kind of care and acts, prescriber (RPPS), contact
at home, availability, dates, frequency and duration, the partner and its contact, the
discharge plan it belongs to. Each bad field gets its own French message."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import DischargePlan, HomeCareRequest, Partner, PartnerContact, Patient
from app.services.home_care.records import HomeCareInput
from app.services.home_care.rules import (
    CARE_ACTS,
    CARE_KIND_LABELS,
    CARE_PARTNER_KIND,
    HOME_CARE_STATUS_LABELS,
    CareKind,
    HomeCareStatus,
    frequency_error,
    validate_availability,
)
from app.services.kernel.errors import NotFound, RelaisError, ValidationError
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.validation import phone_error, rpps_error

NOT_FOUND = N_("Cette demande de soins à domicile n'existe pas.")
_LIMITS = {
    "prescriber_name": ("Le nom du prescripteur", 200),
    "address": ("L'adresse", 300),
    "door_code": ("Le code de la porte", 30),
    "floor": ("L'étage", 30),
    "access_notes": ("Les indications d'accès", 500),
    "hospital": ("L'établissement", 200),
    "ward": ("Le service", 120),
}
MAX_DETAIL = 2_000
MAX_DURATION_DAYS = 365


class TransitionRefused(RelaisError):
    def __init__(self, current: HomeCareStatus, target: HomeCareStatus) -> None:
        super().__init__(
            _(
                "Impossible : une demande de soins « {value} » ne peut pas passer à « {value2} »."
            ).format(value=HOME_CARE_STATUS_LABELS[current], value2=HOME_CARE_STATUS_LABELS[target])
        )


def validate_request(session: Session, data: HomeCareInput) -> tuple[dict, Patient]:
    """The request's values, cleaned and checked (one French message per bad field), and its
    patient."""
    errors: dict[str, str] = {}
    values: dict = {}
    kind = _care(data, values, errors)
    _texts(data, values, errors)
    _schedule(data, values, errors)
    _partner(session, data, kind, values, errors)
    patient = session.get(Patient, data.patient_id)
    if patient is None:
        raise NotFound(_("Ce dossier patient n'existe pas."))
    if data.discharge_plan_id is not None:
        plan = session.get(DischargePlan, data.discharge_plan_id)
        if plan is None or plan.patient_id != patient.id:
            errors["discharge_plan_id"] = _("Ce plan de sortie n'est pas celui de ce patient.")
    values["discharge_plan_id"] = data.discharge_plan_id
    if errors:
        raise ValidationError(errors)
    return values, patient


def _care(data: HomeCareInput, values: dict, errors: dict[str, str]) -> CareKind | None:
    """The kind of care and its acts."""
    try:
        kind = CareKind(data.care_kind)
    except ValueError:
        errors["care_kind"] = _("Choisissez le type de soins (infirmier, kiné, sage-femme).")
        kind = None
    acts = tuple(dict.fromkeys(str(a) for a in data.acts))
    if kind is not None:
        unknown = [a for a in acts if a not in CARE_ACTS[kind]]
        if unknown:
            errors["acts"] = _("Un des actes cochés ne correspond pas à ce type de soins.")
        elif not acts:
            errors["acts"] = _("Cochez au moins un acte à réaliser.")
    values["care_kind"] = str(kind) if kind else ""
    values["acts"] = json.dumps(list(acts))
    return kind


def _texts(data: HomeCareInput, values: dict, errors: dict[str, str]) -> None:
    """The detail of the care, the prescriber, the lines of the address and access, the phone."""
    detail = clean_text(data.care_detail or "")
    if len(detail) > MAX_DETAIL:
        errors["care_detail"] = _(
            "Le détail des soins est trop long ({MAX_DETAIL} au plus)."
        ).format(MAX_DETAIL=MAX_DETAIL)
    values["care_detail"] = detail
    for name, (label, limit) in _LIMITS.items():
        value = clean_line(str(getattr(data, name) or ""))
        if len(value) > limit:
            errors[name] = _("{label} est trop long ({limit} caractères au plus).").format(
                label=label, limit=limit
            )
        values[name] = value
    if not values["prescriber_name"]:
        errors["prescriber_name"] = _("Indiquez le nom du médecin prescripteur.")
    rpps = "".join((data.prescriber_rpps or "").split())
    if not rpps:
        errors["prescriber_rpps"] = _("Indiquez le numéro RPPS du prescripteur (11 chiffres).")
    elif message := rpps_error(rpps):
        errors["prescriber_rpps"] = message
    values["prescriber_rpps"] = rpps
    phone = clean_line(data.phone or "")
    if phone and (message := phone_error(phone)):
        errors["phone"] = message
    values["phone"] = phone


def _schedule(data: HomeCareInput, values: dict, errors: dict[str, str]) -> None:
    """Availability, start date, frequency, duration and the discharge it follows."""
    availability, problems = validate_availability(dict(data.availability or {}))
    errors.update(problems)
    values["availability"] = json.dumps(
        {str(d): [list(w) for w in ws] for d, ws in availability.items()}
    )
    if data.start_date is None:
        errors["start_date"] = _("Indiquez la date de début des soins.")
    values["start_date"] = data.start_date
    if message := frequency_error(data.frequency):
        errors["frequency"] = message
    values["frequency"] = data.frequency.code if data.frequency and not message else ""
    duration = data.duration_days
    if duration is not None and not 1 <= int(duration) <= MAX_DURATION_DAYS:
        errors["duration_days"] = _(
            "La durée des soins doit être comprise entre 1 et {MAX_DURATION_DAYS} jours."
        ).format(MAX_DURATION_DAYS=MAX_DURATION_DAYS)
    values["duration_days"] = int(duration) if duration is not None else None
    values["discharge_date"] = data.discharge_date
    if (
        data.discharge_date is not None
        and data.start_date is not None
        and data.start_date < data.discharge_date
    ):
        errors["start_date"] = _("Les soins à domicile commencent au plus tôt à la sortie.")


def _partner(
    session: Session, data: HomeCareInput, kind: CareKind | None, values: dict, errors: dict
) -> None:
    """The partner (active, giving this care) and its contact."""
    partner_id = data.partner_id
    contact_id = data.partner_contact_id if partner_id is not None else None
    if partner_id is not None:
        partner = session.get(Partner, partner_id)
        if partner is None or not partner.active:
            errors["partner_id"] = _("Ce partenaire n'existe pas ou est désactivé.")
        elif kind is not None and partner.kind not in (CARE_PARTNER_KIND[kind], "other"):
            errors["partner_id"] = _(
                "Ce partenaire ne donne pas ce type de soins ({value} à domicile)."
            ).format(value=CARE_KIND_LABELS[kind].lower())
        elif contact_id is not None and (message := contact_error(session, partner, contact_id)):
            errors["partner_contact_id"] = message
    values["partner_id"] = partner_id
    values["partner_contact_id"] = contact_id


def check_partner(
    session: Session, row: HomeCareRequest, partner_id: int, contact_id: int | None = None
) -> Partner:
    """An active partner giving this care (and, if given, one of its active contacts)."""
    partner = session.get(Partner, partner_id)
    kind = CareKind(row.care_kind)
    if partner is None or not partner.active:
        raise ValidationError({"partner_id": _("Ce partenaire n'existe pas ou est désactivé.")})
    if partner.kind not in (CARE_PARTNER_KIND[kind], "other"):
        raise ValidationError(
            {
                "partner_id": _(
                    "Ce partenaire ne donne pas ce type de soins ({value} à domicile)."
                ).format(value=CARE_KIND_LABELS[kind].lower())
            }
        )
    if contact_id is not None and (message := contact_error(session, partner, contact_id)):
        raise ValidationError({"partner_contact_id": message})
    return partner


def contact_error(session: Session, partner: Partner, contact_id: int) -> str | None:
    contact = session.get(PartnerContact, contact_id)
    if contact is None or contact.partner_id != partner.id or not contact.active:
        return _("Ce contact ne travaille pas chez ce partenaire.")
    return None
