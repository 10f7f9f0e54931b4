"""The social worker's consultation, as data: the sections of the structured social assessment
(their fields and the French labels of their choices), the kinds of action of the action plan
(*démarches*) and their statuses.

No SQLAlchemy, no Qt: ``app.services.social`` validates and stores against these tables,
the views build their forms from them, and the diff between two versions of an assessment is
described with their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class FieldKind(StrEnum):
    CHOICE = "choice"  # one code among ``choices`` ("" = not filled in)
    MULTI = "multi"  # several codes among ``choices`` (a tuple, possibly empty)
    LINE = "line"  # one line of free text
    DATE = "date"  # a date, stored as ISO text (« jj/mm/aaaa » accepted on input)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: FieldKind
    choices: tuple[tuple[str, str], ...] = ()

    def choice_label(self, code: str) -> str:
        return dict(self.choices).get(code, code)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str
    fields: tuple[FieldSpec, ...]
    hint: str = ""  # placeholder of the section's free text

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


def _choice(key: str, label: str, *choices: tuple[str, str]) -> FieldSpec:
    return FieldSpec(key, label, FieldKind.CHOICE, tuple(choices))


def _multi(key: str, label: str, *choices: tuple[str, str]) -> FieldSpec:
    return FieldSpec(key, label, FieldKind.MULTI, tuple(choices))


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "resources",
        "Ressources",
        (
            _choice(
                "main_income",
                "Ressource principale",
                ("salary", "Salaire"),
                ("daily_allowance", "Indemnités journalières"),
                ("unemployment", "Allocations chômage"),
                ("pension", "Pension de retraite"),
                ("invalidity", "Pension d'invalidité"),
                ("minimum", "Minima sociaux"),
                ("none", "Sans ressources"),
                ("other", "Autre"),
            ),
            _multi(
                "minima",
                "Minima sociaux et prestations",
                ("rsa", "RSA"),
                ("aah", "AAH"),
                ("aspa", "ASPA (minimum vieillesse)"),
                ("ass", "ASS"),
                ("activity_bonus", "Prime d'activité"),
                ("housing_benefit", "Aide au logement (APL, ALS)"),
                ("family_benefits", "Prestations familiales"),
            ),
            _choice(
                "debts",
                "Dettes",
                ("none", "Aucune"),
                ("arrears", "Impayés (loyer, énergie…)"),
                ("several", "Dettes multiples"),
                ("overindebtedness", "Dossier de surendettement (Banque de France)"),
            ),
        ),
        "Montants, budget, démarches déjà faites…",
    ),
    SectionSpec(
        "housing",
        "Logement",
        (
            _choice(
                "status",
                "Statut d'occupation",
                ("owner", "Propriétaire"),
                ("private_tenant", "Locataire (parc privé)"),
                ("social_tenant", "Locataire (parc social)"),
                ("hosted", "Hébergé(e) par un tiers"),
                ("residence", "Foyer, résidence autonomie"),
                ("institution", "Établissement (EHPAD…)"),
                ("emergency", "Hébergement d'urgence"),
                ("homeless", "Sans domicile"),
            ),
            _choice(
                "condition",
                "Adaptation du logement",
                ("suitable", "Adapté"),
                ("access", "Inadapté (accessibilité, étages)"),
                ("overcrowded", "Suroccupé"),
                ("unfit", "Indécent ou insalubre"),
                ("eviction", "Procédure d'expulsion"),
            ),
        ),
        "Étage, ascenseur, équipements, bailleur…",
    ),
    SectionSpec(
        "family",
        "Situation familiale",
        (
            _choice(
                "household",
                "Vit",
                ("alone", "Seul(e)"),
                ("couple", "En couple"),
                ("single_parent", "Seul(e) avec enfant(s)"),
                ("couple_children", "En couple avec enfant(s)"),
                ("with_family", "Chez un proche"),
            ),
            _choice(
                "children",
                "Enfants à charge",
                ("0", "Aucun"),
                ("1", "1"),
                ("2", "2"),
                ("3", "3 ou plus"),
            ),
            _choice(
                "caregiver",
                "Aidant",
                ("none", "Pas d'aidant"),
                ("family", "Aidant familial présent"),
                ("exhausted", "Aidant épuisé"),
                ("is_caregiver", "Est lui-même (elle-même) aidant(e)"),
            ),
        ),
        "Entourage, garde d'enfants, relations familiales…",
    ),
    SectionSpec(
        "work",
        "Travail et arrêt maladie",
        (
            _choice(
                "status",
                "Situation",
                ("employee", "Salarié(e)"),
                ("self_employed", "Indépendant(e)"),
                ("job_seeker", "Demandeur(se) d'emploi"),
                ("retired", "Retraité(e)"),
                ("invalidity", "En invalidité"),
                ("student", "Étudiant(e)"),
                ("inactive", "Sans activité"),
            ),
            FieldSpec("employer", "Employeur", FieldKind.LINE),
            FieldSpec("sick_leave_since", "En arrêt depuis le", FieldKind.DATE),
            _choice(
                "daily_allowance",
                "Indemnités journalières (IJ)",
                ("paid", "Versées"),
                ("pending", "En attente, interrompues"),
                ("ended", "Fin de droits"),
                ("not_concerned", "Non concerné(e)"),
            ),
            _choice(
                "job_loss_risk",
                "Risque de désinsertion professionnelle",
                ("low", "Faible"),
                ("medium", "Modéré"),
                ("high", "Élevé"),
            ),
        ),
        "Médecin du travail, visite de pré-reprise, temps partiel thérapeutique…",
    ),
    SectionSpec(
        "coverage",
        "Couverture santé et complémentaire",
        (
            _choice(
                "basic",
                "Assurance maladie",
                ("open", "Droits ouverts"),
                ("to_renew", "Droits à renouveler ou interrompus"),
                ("none", "Sans couverture"),
            ),
            _choice(
                "complementary",
                "Complémentaire santé",
                ("individual", "Mutuelle (contrat individuel)"),
                ("employer", "Mutuelle d'entreprise"),
                ("c2s", "C2S sans participation"),
                ("c2s_paid", "C2S avec participation"),
                ("none", "Aucune"),
            ),
            _choice(
                "ald",
                "Affection de longue durée (ALD)",
                ("yes", "Oui"),
                ("no", "Non"),
                ("pending", "Demande en cours"),
            ),
        ),
        "Renoncement aux soins, restes à charge…",
    ),
    SectionSpec(
        "autonomy",
        "Autonomie",
        (
            _choice(
                "level",
                "Autonomie au quotidien",
                ("independent", "Autonome"),
                ("partial", "Aide partielle"),
                ("dependent", "Dépendant(e)"),
            ),
            _choice(
                "gir",
                "GIR (si connu)",
                ("1", "GIR 1"),
                ("2", "GIR 2"),
                ("3", "GIR 3"),
                ("4", "GIR 4"),
                ("5", "GIR 5"),
                ("6", "GIR 6"),
            ),
        ),
        "Actes du quotidien, mobilité, chutes…",
    ),
    SectionSpec(
        "protection",
        "Mesures de protection",
        (
            _choice(
                "measure",
                "Mesure",
                ("none", "Aucune"),
                ("safeguard", "Sauvegarde de justice"),
                ("curatorship", "Curatelle simple"),
                ("reinforced_curatorship", "Curatelle renforcée"),
                ("guardianship", "Tutelle"),
                ("family_authorisation", "Habilitation familiale"),
                ("future_mandate", "Mandat de protection future"),
                ("requested", "Demande en cours"),
            ),
            FieldSpec("representative", "Mandataire ou personne habilitée", FieldKind.LINE),
        ),
        "Jugement, juge des contentieux de la protection…",
    ),
    SectionSpec(
        "aids",
        "Aides déjà en place",
        (
            _multi(
                "in_place",
                "Aides",
                ("apa", "APA"),
                ("pch", "PCH"),
                ("home_help", "Aide-ménagère"),
                ("meals", "Portage de repas"),
                ("telecare", "Téléassistance"),
                ("ssiad", "SSIAD"),
                ("home_nurse", "Infirmier(ère) à domicile"),
                ("day_care", "Accueil de jour"),
                ("ardh", "ARDH (retour à domicile)"),
            ),
        ),
        "Heures d'aide, organismes, dates de fin…",
    ),
)

SECTION_BY_KEY: dict[str, SectionSpec] = {s.key: s for s in SECTIONS}
MAX_LINE = 200
MAX_SECTION_TEXT = 5_000


def display_value(spec: FieldSpec | None, value) -> str:
    """A field's stored value in French (labels of the codes, dates as jj/mm/aaaa)."""
    if spec is None or not value:
        return ""
    if spec.kind is FieldKind.MULTI:
        return ", ".join(spec.choice_label(v) for v in value)
    if spec.kind is FieldKind.CHOICE:
        return spec.choice_label(str(value))
    if spec.kind is FieldKind.DATE:
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)
