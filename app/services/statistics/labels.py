"""French labels of the dashboard's rows and columns (categories, outcomes, destinations)."""

from __future__ import annotations

from app.models.enums import Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.home_care.rules import CARE_KIND_LABELS, DESTINATION_LABELS, CareKind, Destination
from app.services.partners.records import PARTNER_KIND_LABELS, PartnerKind
from app.services.patient_file.records import CONSENT_SCOPE_LABELS, ConsentScope
from app.services.referrals.orientation_guide import RULES
from app.services.referrals.records import REASON_CATEGORY_LABELS, ReasonCategory, ReferralStatus

_S = ReferralStatus

# A referral's outcome, coarse enough for the tables not to crumble into « < 5 ».
OUTCOMES: tuple[tuple[str, str, frozenset[ReferralStatus]], ...] = (
    ("in_progress", "En cours", frozenset({_S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED})),
    ("taken", "Prise en charge", frozenset({_S.SEEN, _S.CLOSED})),
    ("reoriented", "Réorientée", frozenset({_S.REORIENTED})),
    ("refused", "Refus du patient", frozenset({_S.REFUSED_BY_PATIENT})),
    ("cancelled", "Annulée", frozenset({_S.CANCELLED})),
)
OUTCOME_OF: dict[str, int] = {
    str(status): index for index, (_k, _l, statuses) in enumerate(OUTCOMES) for status in statuses
}
OUTCOME_LABELS = tuple(label for _k, label, _s in OUTCOMES)
OUTCOME_INDEX = {key: index for index, (key, _l, _s) in enumerate(OUTCOMES)}

CATEGORIES = tuple(ReasonCategory)
CATEGORY_LABELS = {str(c): REASON_CATEGORY_LABELS[c] for c in ReasonCategory}
CATEGORY_UNKNOWN = "Non renseignée"

SENDER_PROFESSIONS = (
    Profession.GENERAL_PRACTITIONER,
    Profession.NURSE,
    Profession.PHYSIOTHERAPIST,
    Profession.MIDWIFE,
    Profession.SOCIAL_WORKER,
)
PROFESSION_NAMES = {str(p): PROFESSION_LABELS[p] for p in Profession}

CLINIC_DESTINATION = "Assistant(e) social(e) de la maison de santé"
PARTNER_KINDS = {str(k): PARTNER_KIND_LABELS[k] for k in PartnerKind}

RULES_BY_CODE = {rule.code: rule for rule in RULES}  # read .description when shown
RULE_UNKNOWN = "?"

GUIDE_ROWS = (
    (True, "Proposée par le guide d'orientation"),
    (False, "Sans le guide"),
    (None, "Non renseigné (orientations antérieures à la mise à jour)"),
)

SCOPES = tuple(ConsentScope)
SCOPE_LABELS = {str(s): CONSENT_SCOPE_LABELS[s] for s in ConsentScope}

CARE_KINDS = tuple(CareKind)
CARE_KIND_NAMES = {str(k): CARE_KIND_LABELS[k] for k in CareKind}
CARE_OUTCOMES: tuple[tuple[str, frozenset[str]], ...] = (
    ("En attente de réponse", frozenset({"to_send", "sent"})),
    ("Acceptée ou en cours", frozenset({"accepted", "in_progress"})),
    ("Terminée", frozenset({"finished"})),
    ("Refusée par le partenaire", frozenset({"refused"})),
    ("Annulée", frozenset({"cancelled"})),
)
DESTINATIONS = tuple(Destination)
DESTINATION_NAMES = {str(d): DESTINATION_LABELS[d] for d in Destination}
ARDH_COLUMNS = ("ARDH : éligible", "ARDH : non éligible", "ARDH : à vérifier")

WHOLE_CLINIC = "Toute la maison de santé"
EVERY_CATEGORY = "Tous les motifs"
CATEGORY_NOT_APPLIED = "Le filtre de motif ne s'applique qu'aux orientations."
