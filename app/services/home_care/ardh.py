"""Discharge destinations and the ARDH rule (CARSAT's « aide au retour à domicile après
hospitalisation »): each criterion explained in the active language. No SQLAlchemy, no Qt;
``rules`` re-exports everything here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.i18n import N_, Labels, _


# ---- discharge destinations -------------------------------------------------------------
class Destination(StrEnum):
    HOME = "home"
    EHPAD = "ehpad"
    SMR = "smr"
    HAD = "had"


DESTINATION_LABELS: dict[Destination, str] = {
    Destination.HOME: N_("Retour à domicile"),
    Destination.EHPAD: N_("EHPAD"),
    Destination.SMR: N_("SMR (soins de suite et de réadaptation)"),
    Destination.HAD: N_("HAD (hospitalisation à domicile)"),
}
DESTINATION_LABELS = Labels(DESTINATION_LABELS)


# ---- ARDH eligibility ---------------------------------------------------------------------
# CARSAT's « aide au retour à domicile après hospitalisation »: for retirees whose main
# pension is paid by the régime général, autonomous or slightly dependent (GIR 5 or 6), going
# home after a hospital stay; a plan of help at home (household help, meals, telecare…) for
# up to three months, within a capped amount; not with the APA (GIR 1 to 4) nor with an HAD.
ARDH_MIN_AGE = 55  # the CARSAT's usual threshold; check the regional fund's current rules
ARDH_GIRS = (5, 6)
ARDH_MAX_MONTHS = 3


class ArdhVerdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


ARDH_VERDICT_LABELS: dict[ArdhVerdict, str] = {
    ArdhVerdict.ELIGIBLE: N_("Éligible à l'ARDH (sous réserve de l'accord de la CARSAT)"),
    ArdhVerdict.NOT_ELIGIBLE: N_("Non éligible à l'ARDH"),
    ArdhVerdict.UNKNOWN: N_("Éligibilité à l'ARDH à vérifier"),
}
ARDH_VERDICT_LABELS = Labels(ARDH_VERDICT_LABELS)


@dataclass(frozen=True)
class ArdhResult:
    verdict: ArdhVerdict
    # Each criterion checked (« ✓ … », « ✗ … »), and what is not known yet, in the active language.
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return ARDH_VERDICT_LABELS[self.verdict]

    @property
    def eligible(self) -> bool | None:
        if self.verdict is ArdhVerdict.UNKNOWN:
            return None
        return self.verdict is ArdhVerdict.ELIGIBLE

    def explanation(self) -> str:
        lines = [self.label + "."]
        lines += [f"• {r}" for r in self.reasons]
        if self.missing:
            lines.append(_("À renseigner : {missing}.").format(missing=", ".join(self.missing)))
        return "\n".join(lines)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# One criterion's verdict: True (met, with its reason), False (failed, with why) or None
# (not known yet, with what is missing).
Criterion = tuple[bool | None, str]


def _retirement(retired: bool | None) -> Criterion:
    if retired is None:
        return None, _("retraite du régime général")
    if retired:
        return True, _("✓ Retraité(e) du régime général (pension principale CARSAT).")
    return False, _(
        "✗ L'ARDH est réservée aux retraités du régime général (pension principale "
        "CARSAT) : voir la caisse de retraite principale."
    )


def _age(birth_date: date | None, target_date: date) -> Criterion:
    if birth_date is None:
        return None, _("date de naissance")
    age = age_on(birth_date, target_date)
    if age >= ARDH_MIN_AGE:
        return True, _("✓ {age} ans à la sortie ({least} ans ou plus).").format(
            age=age, least=ARDH_MIN_AGE
        )
    return False, _("✗ {age} ans à la sortie : moins de {least} ans.").format(
        age=age, least=ARDH_MIN_AGE
    )


def _autonomy(gir: int | None) -> Criterion:
    if gir is None:
        return None, _("GIR (degré d'autonomie)")
    if gir in ARDH_GIRS:
        return True, _("✓ GIR {gir} : personne autonome ou faiblement dépendante.").format(gir=gir)
    return False, _(
        "✗ GIR {gir} : l'ARDH concerne les GIR 5 et 6 ; en GIR 1 à 4, c'est l'APA "
        "(Conseil départemental)."
    ).format(gir=gir)


def _destination(destination: Destination) -> Criterion:
    if destination is Destination.HOME:
        return True, _("✓ Retour à domicile après une hospitalisation.")
    if destination is Destination.HAD:
        return False, _("✗ Sortie en HAD : l'ARDH ne se cumule pas avec une HAD.")
    return False, _("✗ Sortie vers {where} : l'ARDH aide le retour à domicile.").format(
        where=DESTINATION_LABELS[destination]
    )


def ardh_check(
    *,
    retired: bool | None,
    birth_date: date | None,
    gir: int | None,
    destination: Destination | str,
    target_date: date,
    aids: tuple[str, ...] | list[str] = (),
) -> ArdhResult:
    """The ARDH rule: every criterion is explained; one that fails makes it « non éligible »,
    one that is unknown (not filled in) makes it « à vérifier » and is listed as missing."""
    criteria = [
        _retirement(retired),
        _age(birth_date, target_date),
        _autonomy(gir),
        _destination(Destination(destination)),
    ]
    if "apa" in aids:
        criteria.append(
            (False, _("✗ APA demandée ou en place : l'ARDH ne se cumule pas avec l'APA."))
        )
    reasons = [text for met, text in criteria if met is not None]
    missing = [text for met, text in criteria if met is None]
    if any(met is False for met, _text in criteria):
        verdict = ArdhVerdict.NOT_ELIGIBLE
    elif missing:
        verdict = ArdhVerdict.UNKNOWN
    else:
        verdict = ArdhVerdict.ELIGIBLE
        reasons.append(
            _(
                "Aide pour {months} mois au plus, dans la limite d'un montant plafonné ; "
                "demande à adresser à la CARSAT avant la sortie."
            ).format(months=ARDH_MAX_MONTHS)
        )
    return ArdhResult(verdict, tuple(reasons), tuple(missing))
