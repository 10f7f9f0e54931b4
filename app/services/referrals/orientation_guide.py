"""The orientation guide: from a few facts about the patient's situation, which service(s) to
refer to, and which rule said so.

The rules are data (``RULES``, one table, in priority order) so that they can be printed,
reviewed by the clinic and tested; no orientation logic lives in the views. Every rule that
matches contributes its services (a situation often needs several: e.g. the CARSAT social
worker for the return home *and* the Conseil départemental for the APA), in rule order,
without duplicates. An emergency rule that matches puts its services first and says so.

Sources: the CARSAT social service's missions (access to rights and care, prevention of job
loss during long sick leave or after invalidity, return home after hospitalisation — ARDH for
retired people with GIR 5–6, about three months, capped amount), the Conseil départemental's
(APA for GIR 1–4 from age 60, child welfare — ASE, mother and child protection — PMI), MDPH for
disability before 60, CCAS for local aid, CAF for family benefits and housing aid, CPAM for
health coverage (C2S), France Travail for job seekers, SIAO/115 for homelessness, 3919 for
domestic violence, 119 for children in danger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from app.i18n import N_, Labels, _
from app.services.partners.records import PartnerKind
from app.services.referrals.records import ReferralReason


class Activity(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    RETIRED = "retired"
    STUDENT = "student"
    OTHER = "other"


class Need(StrEnum):
    HEALTH_COVERAGE = "health_coverage"  # access to rights: basic/complementary insurance
    CARE_COST = "care_cost"  # access to care: giving up care for cost
    JOB_RETENTION = "job_retention"  # long sick leave, invalidity, return to work
    RETURN_HOME = "return_home"  # after a hospital stay
    AUTONOMY = "autonomy"  # loss of autonomy at home
    DISABILITY = "disability"
    FAMILY = "family"  # family and child care
    HOUSING = "housing"
    RESOURCES = "resources"  # financial hardship, debts
    EMPLOYMENT = "employment"  # looking for a job
    DOMESTIC_VIOLENCE = "domestic_violence"
    CHILD_IN_DANGER = "child_in_danger"
    HOMELESS = "homeless"


class Service(StrEnum):
    CARSAT = "carsat"
    CD_APA = "cd_apa"
    CD_ASE = "cd_ase"
    CD_PMI = "cd_pmi"
    MDPH = "mdph"
    CCAS = "ccas"
    CAF = "caf"
    CPAM = "cpam"
    FRANCE_TRAVAIL = "france_travail"
    SIAO_115 = "siao_115"
    VIOLENCE_3919 = "violence_3919"
    CHILD_119 = "child_119"


SERVICE_LABELS: dict[Service, str] = Labels(
    {
        Service.CARSAT: N_(
            "Service social de la CARSAT (assistante sociale de la maison de santé)"
        ),
        Service.CD_APA: N_("Conseil départemental — allocation personnalisée d'autonomie (APA)"),
        Service.CD_ASE: N_("Conseil départemental — aide sociale à l'enfance (ASE)"),
        Service.CD_PMI: N_("Conseil départemental — protection maternelle et infantile (PMI)"),
        Service.MDPH: N_("Maison départementale des personnes handicapées (MDPH)"),
        Service.CCAS: N_("Centre communal d'action sociale (CCAS)"),
        Service.CAF: N_("Caisse d'allocations familiales (CAF)"),
        Service.CPAM: N_("Caisse primaire d'assurance maladie (CPAM)"),
        Service.FRANCE_TRAVAIL: N_("France Travail"),
        Service.SIAO_115: N_("SIAO — 115 (hébergement d'urgence)"),
        Service.VIOLENCE_3919: N_("3919 — Violences Femmes Info (et 17 en cas de danger immédiat)"),
        Service.CHILD_119: N_("119 — Allô Enfance en Danger (et cellule départementale CRIP)"),
    }
)

NEED_LABELS: dict[Need, str] = Labels(
    {
        Need.HEALTH_COVERAGE: N_("Couverture maladie, complémentaire santé"),
        Need.CARE_COST: N_("Renoncement aux soins pour raison financière"),
        Need.JOB_RETENTION: N_("Arrêt de travail long, invalidité, maintien dans l'emploi"),
        Need.RETURN_HOME: N_("Retour à domicile après hospitalisation"),
        Need.AUTONOMY: N_("Perte d'autonomie à domicile"),
        Need.DISABILITY: N_("Handicap"),
        Need.FAMILY: N_("Famille, garde d'enfants"),
        Need.HOUSING: N_("Logement"),
        Need.RESOURCES: N_("Difficultés financières"),
        Need.EMPLOYMENT: N_("Recherche d'emploi"),
        Need.DOMESTIC_VIOLENCE: N_("Violences conjugales"),
        Need.CHILD_IN_DANGER: N_("Enfant en danger"),
        Need.HOMELESS: N_("Sans hébergement"),
    }
)

ACTIVITY_LABELS: dict[Activity, str] = Labels(
    {
        Activity.EMPLOYED: N_("Salarié(e)"),
        Activity.SELF_EMPLOYED: N_("Travailleur indépendant"),
        Activity.UNEMPLOYED: N_("Sans emploi"),
        Activity.RETIRED: N_("Retraité(e)"),
        Activity.STUDENT: N_("Étudiant(e), scolarisé(e)"),
        Activity.OTHER: N_("Autre situation"),
    }
)

LONG_SICK_LEAVE_DAYS = 90  # "arrêt de travail long": CARSAT prevention of job loss


@dataclass(frozen=True)
class Situation:
    age: int
    activity: Activity
    needs: frozenset[Need]
    sick_leave_days: int = 0
    invalidity: bool = False
    gir: int | None = None  # dependency level 1 (most dependent) to 6 (autonomous)
    emergency: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    source_description: str  # French (N_), shown to the user: why this service
    services: tuple[Service, ...]
    applies: Callable[[Situation], bool] = field(repr=False)
    urgent: bool = False

    @property
    def description(self) -> str:
        """Why this service, in the active language."""
        return _(self.source_description).format(days=LONG_SICK_LEAVE_DAYS)


def _gir(s: Situation, low: int, high: int) -> bool:
    return s.gir is not None and low <= s.gir <= high


RULES: tuple[Rule, ...] = (
    Rule(
        "U1",
        N_("Violences conjugales : écoute et orientation spécialisées, mise en sécurité."),
        (Service.VIOLENCE_3919, Service.CARSAT),
        lambda s: Need.DOMESTIC_VIOLENCE in s.needs,
        urgent=True,
    ),
    Rule(
        "U2",
        N_("Enfant en danger ou en risque de l'être : signalement et protection de l'enfance."),
        (Service.CHILD_119, Service.CD_ASE),
        lambda s: Need.CHILD_IN_DANGER in s.needs,
        urgent=True,
    ),
    Rule(
        "U3",
        N_("Personne sans hébergement : hébergement d'urgence par le SIAO (115)."),
        (Service.SIAO_115, Service.CCAS),
        lambda s: Need.HOMELESS in s.needs,
        urgent=True,
    ),
    Rule(
        "C1",
        N_(
            "Arrêt de travail de plus de {days} jours ou invalidité d'une personne en activité : "
            "prévention de la désinsertion professionnelle par la CARSAT."
        ),
        (Service.CARSAT,),
        lambda s: (
            s.activity in (Activity.EMPLOYED, Activity.SELF_EMPLOYED)
            and (
                s.sick_leave_days > LONG_SICK_LEAVE_DAYS
                or s.invalidity
                or Need.JOB_RETENTION in s.needs
            )
        ),
    ),
    Rule(
        "C2",
        N_(
            "Retour à domicile après hospitalisation d'une personne retraitée autonome ou peu "
            "dépendante (GIR 5 ou 6) : aide au retour à domicile après hospitalisation (ARDH) de "
            "la CARSAT, environ 3 mois."
        ),
        (Service.CARSAT,),
        lambda s: Need.RETURN_HOME in s.needs and s.activity is Activity.RETIRED and _gir(s, 5, 6),
    ),
    Rule(
        "C3",
        N_(
            "Retour à domicile après hospitalisation (hors ARDH) : évaluation et organisation par "
            "l'assistante sociale (soins à domicile, aides, établissement si nécessaire)."
        ),
        (Service.CARSAT,),
        lambda s: (
            Need.RETURN_HOME in s.needs and not (s.activity is Activity.RETIRED and _gir(s, 5, 6))
        ),
    ),
    Rule(
        "D1",
        N_(
            "Personne de 60 ans ou plus en perte d'autonomie (GIR 1 à 4) : allocation "
            "personnalisée d'autonomie (APA) du Conseil départemental."
        ),
        (Service.CD_APA,),
        lambda s: (
            s.age >= 60 and _gir(s, 1, 4) and bool(s.needs & {Need.AUTONOMY, Need.RETURN_HOME})
        ),
    ),
    Rule(
        "C4",
        N_(
            "Personne retraitée peu dépendante (GIR 5 ou 6) : aides de la CARSAT pour bien "
            "vieillir à domicile."
        ),
        (Service.CARSAT,),
        lambda s: Need.AUTONOMY in s.needs and s.activity is Activity.RETIRED and _gir(s, 5, 6),
    ),
    Rule(
        "H1",
        N_("Handicap d'une personne de moins de 60 ans : droits et prestations de la MDPH."),
        (Service.MDPH,),
        lambda s: s.age < 60 and (Need.DISABILITY in s.needs or (Need.AUTONOMY in s.needs)),
    ),
    Rule(
        "C5",
        N_(
            "Couverture maladie ou complémentaire santé : accès aux droits avec la CARSAT et la "
            "CPAM (complémentaire santé solidaire)."
        ),
        (Service.CARSAT, Service.CPAM),
        lambda s: Need.HEALTH_COVERAGE in s.needs,
    ),
    Rule(
        "C6",
        N_(
            "Renoncement aux soins pour raison financière : accès aux soins avec la CARSAT et la "
            "CPAM."
        ),
        (Service.CARSAT, Service.CPAM),
        lambda s: Need.CARE_COST in s.needs,
    ),
    Rule(
        "F1",
        N_(
            "Famille et garde d'enfants : prestations familiales (CAF) et PMI pour les jeunes "
            "enfants."
        ),
        (Service.CAF, Service.CD_PMI),
        lambda s: Need.FAMILY in s.needs,
    ),
    Rule(
        "L1",
        N_("Logement : aides locales du CCAS et aides au logement de la CAF."),
        (Service.CCAS, Service.CAF),
        lambda s: Need.HOUSING in s.needs,
    ),
    Rule(
        "R1",
        N_("Difficultés financières : aides facultatives du CCAS."),
        (Service.CCAS,),
        lambda s: Need.RESOURCES in s.needs,
    ),
    Rule(
        "E1",
        N_("Recherche d'emploi : accompagnement par France Travail."),
        (Service.FRANCE_TRAVAIL,),
        lambda s: (
            Need.EMPLOYMENT in s.needs
            or (s.activity is Activity.UNEMPLOYED and Need.JOB_RETENTION in s.needs)
        ),
    ),
)

FALLBACK = Rule(
    "Z0",
    N_(
        "Aucune règle ne s'applique : une évaluation par l'assistante sociale de la maison de "
        "santé permettra d'orienter au mieux."
    ),
    (Service.CARSAT,),
    lambda s: True,
)


@dataclass(frozen=True)
class Proposal:
    service: Service
    label: str
    rule: str
    reason: str
    urgent: bool


def propose(situation: Situation) -> list[Proposal]:
    """The services to refer to, in priority order, each with the rule that fired."""
    fired = [rule for rule in RULES if rule.applies(situation)]
    if situation.emergency and not any(rule.urgent for rule in fired):
        fired.insert(0, FALLBACK)
    if not fired:
        fired = [FALLBACK]
    fired.sort(key=lambda rule: not rule.urgent)  # stable: urgent rules first, in table order
    proposals: list[Proposal] = []
    seen: set[Service] = set()
    for rule in fired:
        for service in rule.services:
            if service in seen:
                continue
            seen.add(service)
            proposals.append(
                Proposal(service, SERVICE_LABELS[service], rule.code, rule.description, rule.urgent)
            )
    return proposals


def rules_table() -> list[tuple[str, str, str]]:
    """(code, services, explanation) for printing and documentation."""
    return [
        (rule.code, ", ".join(SERVICE_LABELS[s] for s in rule.services), rule.description)
        for rule in (*RULES, FALLBACK)
    ]


# The orientation guide's services and the directory's kinds: pre-selects a partner.
ORIENTATION_KIND: dict[Service, PartnerKind] = {
    Service.CARSAT: PartnerKind.CARSAT,
    Service.CD_APA: PartnerKind.CD_APA,
    Service.CD_ASE: PartnerKind.CD_ASE,
    Service.CD_PMI: PartnerKind.CD_PMI,
    Service.MDPH: PartnerKind.MDPH,
    Service.CCAS: PartnerKind.CCAS,
    Service.CAF: PartnerKind.CAF,
    Service.CPAM: PartnerKind.CPAM,
    Service.FRANCE_TRAVAIL: PartnerKind.FRANCE_TRAVAIL,
    Service.SIAO_115: PartnerKind.SIAO_115,
    Service.VIOLENCE_3919: PartnerKind.VIOLENCE_3919,
    Service.CHILD_119: PartnerKind.CHILD_119,
}


def _need_reasons() -> dict[Need, tuple[ReferralReason, ...]]:
    R = ReferralReason
    return {
        Need.DOMESTIC_VIOLENCE: (R.DOMESTIC_VIOLENCE,),
        Need.CHILD_IN_DANGER: (R.CHILD_IN_DANGER,),
        Need.HOMELESS: (R.HOUSING,),
        Need.RETURN_HOME: (R.RETURN_HOME,),
        Need.JOB_RETENTION: (R.JOB_RETENTION,),
        Need.AUTONOMY: (R.AUTONOMY,),
        Need.DISABILITY: (R.AUTONOMY,),
        # « Couverture maladie, complémentaire santé »: both reasons are proposed.
        Need.HEALTH_COVERAGE: (R.HEALTH_COVERAGE, R.COMPLEMENTARY_INSURANCE),
        Need.CARE_COST: (R.CARE_COST,),
        Need.FAMILY: (R.FAMILY_CHILD_CARE,),
        Need.HOUSING: (R.HOUSING,),
        Need.RESOURCES: (R.RESOURCES,),
        Need.EMPLOYMENT: (R.JOB_RETENTION,),
    }


# The guide's needs and the referral reasons they propose (first need first, in this order).
NEED_REASONS: dict[Need, tuple[ReferralReason, ...]] = _need_reasons()


def reasons_for(situation: Situation) -> tuple[ReferralReason, ...]:
    """The referral reasons the situation proposes, most pressing first (at least one)."""
    out: list[ReferralReason] = []
    for need, reasons in NEED_REASONS.items():
        if need in situation.needs:
            out += [r for r in reasons if r not in out]
    if not out and (situation.sick_leave_days or situation.invalidity):
        out.append(ReferralReason.JOB_RETENTION)
    return tuple(out) or (ReferralReason.OTHER,)
