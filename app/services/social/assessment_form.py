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

from app.i18n import N_, _


class FieldKind(StrEnum):
    CHOICE = "choice"  # one code among ``choices`` ("" = not filled in)
    MULTI = "multi"  # several codes among ``choices`` (a tuple, possibly empty)
    LINE = "line"  # one line of free text
    DATE = "date"  # a date, stored as ISO text (« jj/mm/aaaa » accepted on input)


@dataclass(frozen=True)
class FieldSpec:
    """A field; its French labels (marked with ``N_``) are read in the active language."""

    key: str
    source_label: str
    kind: FieldKind
    source_choices: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return _(self.source_label)

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return tuple((code, _(label)) for code, label in self.source_choices)

    def choice_label(self, code: str) -> str:
        label = dict(self.source_choices).get(code)
        return _(label) if label is not None else code


@dataclass(frozen=True)
class SectionSpec:
    key: str
    source_label: str
    fields: tuple[FieldSpec, ...]
    source_hint: str = ""  # placeholder of the section's free text

    @property
    def label(self) -> str:
        return _(self.source_label)

    @property
    def hint(self) -> str:
        return _(self.source_hint) if self.source_hint else ""

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


def _choice(key: str, label: str, *choices: tuple[str, str]) -> FieldSpec:
    return FieldSpec(key, label, FieldKind.CHOICE, tuple(choices))


def _multi(key: str, label: str, *choices: tuple[str, str]) -> FieldSpec:
    return FieldSpec(key, label, FieldKind.MULTI, tuple(choices))


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "resources",
        N_("Ressources"),
        (
            _choice(
                "main_income",
                N_("Ressource principale"),
                ("salary", N_("Salaire")),
                ("daily_allowance", N_("Indemnités journalières")),
                ("unemployment", N_("Allocations chômage")),
                ("pension", N_("Pension de retraite")),
                ("invalidity", N_("Pension d'invalidité")),
                ("minimum", N_("Minima sociaux")),
                ("none", N_("Sans ressources")),
                ("other", N_("Autre")),
            ),
            _multi(
                "minima",
                N_("Minima sociaux et prestations"),
                ("rsa", N_("RSA")),
                ("aah", N_("AAH")),
                ("aspa", N_("ASPA (minimum vieillesse)")),
                ("ass", N_("ASS")),
                ("activity_bonus", N_("Prime d'activité")),
                ("housing_benefit", N_("Aide au logement (APL, ALS)")),
                ("family_benefits", N_("Prestations familiales")),
            ),
            _choice(
                "debts",
                N_("Dettes"),
                ("none", N_("Aucune")),
                ("arrears", N_("Impayés (loyer, énergie…)")),
                ("several", N_("Dettes multiples")),
                ("overindebtedness", N_("Dossier de surendettement (Banque de France)")),
            ),
        ),
        N_("Montants, budget, démarches déjà faites…"),
    ),
    SectionSpec(
        "housing",
        N_("Logement"),
        (
            _choice(
                "status",
                N_("Statut d'occupation"),
                ("owner", N_("Propriétaire")),
                ("private_tenant", N_("Locataire (parc privé)")),
                ("social_tenant", N_("Locataire (parc social)")),
                ("hosted", N_("Hébergé(e) par un tiers")),
                ("residence", N_("Foyer, résidence autonomie")),
                ("institution", N_("Établissement (EHPAD…)")),
                ("emergency", N_("Hébergement d'urgence")),
                ("homeless", N_("Sans domicile")),
            ),
            _choice(
                "condition",
                N_("Adaptation du logement"),
                ("suitable", N_("Adapté")),
                ("access", N_("Inadapté (accessibilité, étages)")),
                ("overcrowded", N_("Suroccupé")),
                ("unfit", N_("Indécent ou insalubre")),
                ("eviction", N_("Procédure d'expulsion")),
            ),
        ),
        N_("Étage, ascenseur, équipements, bailleur…"),
    ),
    SectionSpec(
        "family",
        N_("Situation familiale"),
        (
            _choice(
                "household",
                N_("Vit"),
                ("alone", N_("Seul(e)")),
                ("couple", N_("En couple")),
                ("single_parent", N_("Seul(e) avec enfant(s)")),
                ("couple_children", N_("En couple avec enfant(s)")),
                ("with_family", N_("Chez un proche")),
            ),
            _choice(
                "children",
                N_("Enfants à charge"),
                ("0", N_("Aucun")),
                ("1", "1"),
                ("2", "2"),
                ("3", N_("3 ou plus")),
            ),
            _choice(
                "caregiver",
                N_("Aidant"),
                ("none", N_("Pas d'aidant")),
                ("family", N_("Aidant familial présent")),
                ("exhausted", N_("Aidant épuisé")),
                ("is_caregiver", N_("Est lui-même (elle-même) aidant(e)")),
            ),
        ),
        N_("Entourage, garde d'enfants, relations familiales…"),
    ),
    SectionSpec(
        "work",
        N_("Travail et arrêt maladie"),
        (
            _choice(
                "status",
                N_("Situation"),
                ("employee", N_("Salarié(e)")),
                ("self_employed", N_("Indépendant(e)")),
                ("job_seeker", N_("Demandeur(se) d'emploi")),
                ("retired", N_("Retraité(e)")),
                ("invalidity", N_("En invalidité")),
                ("student", N_("Étudiant(e)")),
                ("inactive", N_("Sans activité")),
            ),
            FieldSpec("employer", N_("Employeur"), FieldKind.LINE),
            FieldSpec("sick_leave_since", N_("En arrêt depuis le"), FieldKind.DATE),
            _choice(
                "daily_allowance",
                N_("Indemnités journalières (IJ)"),
                ("paid", N_("Versées")),
                ("pending", N_("En attente, interrompues")),
                ("ended", N_("Fin de droits")),
                ("not_concerned", N_("Non concerné(e)")),
            ),
            _choice(
                "job_loss_risk",
                N_("Risque de désinsertion professionnelle"),
                ("low", N_("Faible")),
                ("medium", N_("Modéré")),
                ("high", N_("Élevé")),
            ),
        ),
        N_("Médecin du travail, visite de pré-reprise, temps partiel thérapeutique…"),
    ),
    SectionSpec(
        "coverage",
        N_("Couverture santé et complémentaire"),
        (
            _choice(
                "basic",
                N_("Assurance maladie"),
                ("open", N_("Droits ouverts")),
                ("to_renew", N_("Droits à renouveler ou interrompus")),
                ("none", N_("Sans couverture")),
            ),
            _choice(
                "complementary",
                N_("Complémentaire santé"),
                ("individual", N_("Mutuelle (contrat individuel)")),
                ("employer", N_("Mutuelle d'entreprise")),
                ("c2s", N_("C2S sans participation")),
                ("c2s_paid", N_("C2S avec participation")),
                ("none", N_("Aucune")),
            ),
            _choice(
                "ald",
                N_("Affection de longue durée (ALD)"),
                ("yes", N_("Oui")),
                ("no", N_("Non")),
                ("pending", N_("Demande en cours")),
            ),
        ),
        N_("Renoncement aux soins, restes à charge…"),
    ),
    SectionSpec(
        "autonomy",
        N_("Autonomie"),
        (
            _choice(
                "level",
                N_("Autonomie au quotidien"),
                ("independent", N_("Autonome")),
                ("partial", N_("Aide partielle")),
                ("dependent", N_("Dépendant(e)")),
            ),
            _choice(
                "gir",
                N_("GIR (si connu)"),
                ("1", N_("GIR 1")),
                ("2", N_("GIR 2")),
                ("3", N_("GIR 3")),
                ("4", N_("GIR 4")),
                ("5", N_("GIR 5")),
                ("6", N_("GIR 6")),
            ),
        ),
        N_("Actes du quotidien, mobilité, chutes…"),
    ),
    SectionSpec(
        "protection",
        N_("Mesures de protection"),
        (
            _choice(
                "measure",
                N_("Mesure"),
                ("none", N_("Aucune")),
                ("safeguard", N_("Sauvegarde de justice")),
                ("curatorship", N_("Curatelle simple")),
                ("reinforced_curatorship", N_("Curatelle renforcée")),
                ("guardianship", N_("Tutelle")),
                ("family_authorisation", N_("Habilitation familiale")),
                ("future_mandate", N_("Mandat de protection future")),
                ("requested", N_("Demande en cours")),
            ),
            FieldSpec("representative", N_("Mandataire ou personne habilitée"), FieldKind.LINE),
        ),
        N_("Jugement, juge des contentieux de la protection…"),
    ),
    SectionSpec(
        "aids",
        N_("Aides déjà en place"),
        (
            _multi(
                "in_place",
                N_("Aides"),
                ("apa", N_("APA")),
                ("pch", N_("PCH")),
                ("home_help", N_("Aide-ménagère")),
                ("meals", N_("Portage de repas")),
                ("telecare", N_("Téléassistance")),
                ("ssiad", N_("SSIAD")),
                ("home_nurse", N_("Infirmier(ère) à domicile")),
                ("day_care", N_("Accueil de jour")),
                ("ardh", N_("ARDH (retour à domicile)")),
            ),
        ),
        N_("Heures d'aide, organismes, dates de fin…"),
    ),
)

SECTION_BY_KEY: dict[str, SectionSpec] = {s.key: s for s in SECTIONS}
MAX_LINE = 200
MAX_SECTION_TEXT = 5_000


def display_value(spec: FieldSpec | None, value) -> str:
    """A field's stored value (labels of the codes in the active language, dates as jj/mm/aaaa)."""
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
