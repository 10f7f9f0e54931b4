"""The checks of a discharge plan's form: target date and destination, hospital and ward,
aids (with the ARDH rule), GIR, child care, equipment, comments and follow-up dates. Each bad
field gets its own French message."""

from __future__ import annotations

import json
from datetime import date, timedelta

from app.i18n import N_, _
from app.services.home_care.records import DischargePlanInput, FollowUpInput
from app.services.home_care.rules import (
    AID_LABELS,
    FOLLOW_UP_DEFAULT_DAYS,
    MAX_FOLLOW_UPS,
    Destination,
    follow_up_label,
)
from app.services.kernel.errors import ValidationError
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import fmt_date

_TEXTS = (("child_care", N_("La garde d'enfants")), ("comments", N_("Le commentaire")))
DETAIL_TOO_LONG = N_("La précision est trop longue (200 caractères au plus).")

MAX_TEXT = 2_000
MAX_EQUIPMENT = 20
_LINES = {"hospital": ("L'établissement", 200), "ward": ("Le service", 120)}


def default_follow_ups(target: date) -> tuple[FollowUpInput, ...]:
    return tuple(
        FollowUpInput(target + timedelta(days=d), follow_up_label(d))
        for d in FOLLOW_UP_DEFAULT_DAYS
    )


def validate_plan(data: DischargePlanInput) -> tuple[dict, tuple[FollowUpInput, ...]]:
    """The plan's values, cleaned and checked (one French message per bad field), and its
    follow-up dates (J+7 and J+90 after the target date by default)."""
    errors: dict[str, str] = {}
    values: dict = {}
    if data.target_date is None:
        errors["target_date"] = _("Indiquez la date de sortie prévue.")
    values["target_date"] = data.target_date
    try:
        values["destination"] = str(Destination(data.destination))
    except ValueError:
        errors["destination"] = _("Choisissez la destination (domicile, EHPAD, SMR, HAD).")
    for name, (label, limit) in _LINES.items():
        value = clean_line(str(getattr(data, name) or ""))
        if len(value) > limit:
            errors[name] = _("{label} est trop long ({limit} caractères au plus).").format(
                label=label, limit=limit
            )
        values[name] = value
    detail = clean_line(data.destination_detail or "")
    if len(detail) > 200:
        errors["destination_detail"] = _(DETAIL_TOO_LONG)
    values["destination_detail"] = detail
    if (
        data.admitted_on is not None
        and data.target_date is not None
        and data.admitted_on > data.target_date
    ):
        errors["admitted_on"] = _("L'entrée à l'hôpital précède la sortie.")
    values["admitted_on"] = data.admitted_on
    aids = tuple(dict.fromkeys(str(a) for a in data.aids))
    if any(a not in AID_LABELS for a in aids):
        errors["aids"] = _("Une des aides choisies est inconnue.")
    values["aids"] = json.dumps(list(aids))
    if data.gir is not None and not 1 <= int(data.gir) <= 6:
        errors["gir"] = _("Le GIR est un chiffre de 1 (très dépendant) à 6 (autonome).")
    values["gir"] = int(data.gir) if data.gir is not None else None
    values["retired"] = data.retired
    for name, label in _TEXTS:
        text = clean_text(getattr(data, name) or "")
        if len(text) > MAX_TEXT:
            errors[name] = _("{label} : {MAX_TEXT} caractères au plus.").format(
                label=_(label), MAX_TEXT=MAX_TEXT
            )
        values[name] = text
    equipment = [clean_line(x)[:100] for x in data.equipment]
    equipment = list(dict.fromkeys(x for x in equipment if x))
    if len(equipment) > MAX_EQUIPMENT:
        errors["equipment"] = _("{MAX_EQUIPMENT} équipements au plus.").format(
            MAX_EQUIPMENT=MAX_EQUIPMENT
        )
    values["equipment"] = "\n".join(equipment)
    follow_ups = _follow_ups(data, errors)
    if errors:
        raise ValidationError(errors)
    return values, follow_ups


def _follow_ups(data: DischargePlanInput, errors: dict[str, str]) -> tuple[FollowUpInput, ...]:
    """The follow-up dates, sorted; a problem goes to ``errors["follow_ups"]``."""
    follow_ups: tuple[FollowUpInput, ...] = ()
    if data.target_date is not None:
        raw = (
            default_follow_ups(data.target_date)
            if data.follow_ups is None
            else tuple(data.follow_ups)
        )
        if len(raw) > MAX_FOLLOW_UPS:
            errors["follow_ups"] = _("{MAX_FOLLOW_UPS} dates de suivi au plus.").format(
                MAX_FOLLOW_UPS=MAX_FOLLOW_UPS
            )
        cleaned = []
        for f in raw:
            if f.due_on is None:
                errors["follow_ups"] = _("Une date de suivi est vide.")
                continue
            if f.due_on < data.target_date:
                errors["follow_ups"] = _(
                    "Le suivi du {due_on} tombe avant la sortie prévue."
                ).format(due_on=fmt_date(f.due_on))
                continue
            days = (f.due_on - data.target_date).days
            label = clean_line(f.label or "")[:200] or follow_up_label(days)
            cleaned.append(FollowUpInput(f.due_on, label))
        follow_ups = tuple(sorted(cleaned, key=lambda f: f.due_on))
    return follow_ups
