"""Labels of the dashboard's rows and columns (categories, outcomes, destinations): French,
marked with ``N_`` and read in the active language (``Labels``, ``LabelTuple``, or ``_`` where
they are used)."""

from __future__ import annotations

from app.i18n import N_, _
from app.models.enums import Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.home_care.rules import CARE_KIND_LABELS, DESTINATION_LABELS, CareKind, Destination
from app.services.partners.records import PARTNER_KIND_LABELS
from app.services.patient_file.records import CONSENT_SCOPE_LABELS, ConsentScope
from app.services.referrals.orientation_guide import RULES
from app.services.referrals.records import REASON_CATEGORY_LABELS, ReasonCategory, ReferralStatus

_S = ReferralStatus


class LabelTuple(tuple[str, ...]):
    """A tuple of French labels (``N_``) read in the active language; hand ``tuple(it)`` (the
    translated labels) to anything that stores or concatenates it."""

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return tuple(self)[index]
        return _(super().__getitem__(index))

    def __iter__(self):  # type: ignore[no-untyped-def, override]
        return (_(label) for label in super().__iter__())

    def __contains__(self, value: object) -> bool:
        return value in tuple(self)

    def index(self, value, *args):  # type: ignore[no-untyped-def, override]
        return tuple(self).index(value, *args)


# A referral's outcome, coarse enough for the tables not to crumble into « < 5 ».
OUTCOMES: tuple[tuple[str, str, frozenset[ReferralStatus]], ...] = (
    ("in_progress", N_("En cours"), frozenset({_S.SENT, _S.RECEIVED, _S.APPOINTMENT_BOOKED})),
    ("taken", N_("Prise en charge"), frozenset({_S.SEEN, _S.CLOSED})),
    ("reoriented", N_("Réorientée"), frozenset({_S.REORIENTED})),
    ("refused", N_("Refus du patient"), frozenset({_S.REFUSED_BY_PATIENT})),
    ("cancelled", N_("Annulée"), frozenset({_S.CANCELLED})),
)
OUTCOME_OF: dict[str, int] = {
    str(status): index for index, (_k, _l, statuses) in enumerate(OUTCOMES) for status in statuses
}
OUTCOME_LABELS = LabelTuple(label for _k, label, _s in OUTCOMES)
OUTCOME_INDEX = {key: index for index, (key, _l, _s) in enumerate(OUTCOMES)}

CATEGORIES = tuple(ReasonCategory)
CATEGORY_LABELS = REASON_CATEGORY_LABELS.keyed_by_value()
CATEGORY_UNKNOWN = N_("Non renseignée")

SENDER_PROFESSIONS = (
    Profession.GENERAL_PRACTITIONER,
    Profession.NURSE,
    Profession.PHYSIOTHERAPIST,
    Profession.MIDWIFE,
    Profession.SOCIAL_WORKER,
)
PROFESSION_NAMES = PROFESSION_LABELS.keyed_by_value()

CLINIC_DESTINATION = N_("Assistante sociale de la maison de santé")
PARTNER_KINDS = PARTNER_KIND_LABELS.keyed_by_value()

RULES_BY_CODE = {rule.code: rule for rule in RULES}  # read .description when shown
RULE_UNKNOWN = "?"

GUIDE_ROWS = (
    (True, N_("Proposée par le guide d'orientation")),
    (False, N_("Sans le guide")),
    (None, N_("Non renseigné (orientations antérieures à la mise à jour)")),
)

SCOPES = tuple(ConsentScope)
SCOPE_LABELS = CONSENT_SCOPE_LABELS.keyed_by_value()

CARE_KINDS = tuple(CareKind)
CARE_KIND_NAMES = CARE_KIND_LABELS.keyed_by_value()
CARE_OUTCOMES: tuple[tuple[str, frozenset[str]], ...] = (
    (N_("En attente de réponse"), frozenset({"to_send", "sent"})),
    (N_("Acceptée ou en cours"), frozenset({"accepted", "in_progress"})),
    (N_("Terminée"), frozenset({"finished"})),
    (N_("Refusée par le partenaire"), frozenset({"refused"})),
    (N_("Annulée"), frozenset({"cancelled"})),
)
DESTINATIONS = tuple(Destination)
DESTINATION_NAMES = DESTINATION_LABELS.keyed_by_value()
ARDH_COLUMNS = LabelTuple(
    (N_("ARDH : éligible"), N_("ARDH : non éligible"), N_("ARDH : à vérifier"))
)

WHOLE_CLINIC = N_("Toute la maison de santé")
EVERY_CATEGORY = N_("Tous les motifs")
CATEGORY_NOT_APPLIED = N_("Le filtre de motif ne s'applique qu'aux orientations.")
