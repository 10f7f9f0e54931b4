"""Referrals: the limits, the French refusals and the errors every part of the feature raises."""

from __future__ import annotations

from app.i18n import N_, _
from app.models.enums import Compartment
from app.services.kernel.errors import PermissionDenied, RelaisError
from app.services.kernel.guard import Refusal
from app.services.referrals.orientation_guide import FALLBACK, RULES
from app.services.referrals.records import REFERRAL_STATUS_LABELS, ReferralStatus, ReferralView

REFERRAL_SCOPE = "referral"

MAX_MESSAGE = 20_000
MAX_OUTCOME = 40
MAX_LIST = 500
RULE_CODES = frozenset(rule.code for rule in (*RULES, FALLBACK))
CONSENT_WITHDRAWN = "consentement retiré"

ROLE_REFUSED = "Votre rôle ne permet pas de consulter les orientations de ce patient."
AGGREGATES_ONLY = (
    "La coordination ne voit que les statistiques des orientations (sans noms) : "
    "le détail d'une orientation ne lui est pas accessible. Les chiffres sont dans "
    "« Statistiques » (tableau de bord d'activité)."
)
WRITE_REFUSED = "Votre rôle ne permet pas d'orienter un patient."
NOT_SENDER = "Seul(e) l'émetteur(trice) de l'orientation peut faire cela."
NOT_HANDLER = "Seul(e) le (la) destinataire de l'orientation peut faire cela."
DRAFT_PRIVATE = N_("Ce brouillon d'orientation n'est visible que par son auteur(e).")
STATS_REFUSED = N_("Votre rôle ne donne pas accès aux statistiques des orientations.")
ARCHIVED = "Ce dossier est archivé : il ne peut plus être modifié."
LIAISON_REFUSED = (
    "Le patient n'a pas donné (ou a retiré) son consentement au partage entre médecins et "
    "assistante sociale : les notes de liaison ne peuvent pas accompagner l'orientation."
)
FEEDBACK_REFUSED = (
    "Le patient n'a pas donné (ou a retiré) son consentement au partage entre médecins et "
    "assistante sociale : le texte du retour n'a pas été enregistré. L'émetteur(trice) sait "
    "seulement que l'orientation est « {summary} »."
)


class TransitionRefused(RelaisError):
    """An illegal transition (the state does not allow it)."""

    def __init__(self, current: ReferralStatus, target: ReferralStatus) -> None:
        self.current = current
        self.target = target
        super().__init__(
            _("Impossible : une orientation « {value} » ne peut pas passer à « {value2} ».").format(
                value=REFERRAL_STATUS_LABELS[current], value2=REFERRAL_STATUS_LABELS[target]
            )
        )


class FeedbackNotShared(PermissionDenied):
    """The feedback text was refused for lack of liaison consent; ``view`` is the referral
    after what was kept (the reduced summary, and the transition when closing)."""

    def __init__(self, summary: str, view: ReferralView | None = None) -> None:
        super().__init__(FEEDBACK_REFUSED.format(summary=summary))
        self.view = view


class ReferralRefusal(Refusal):
    """The kernel's refusal for a referral (liaison compartment)."""

    def __init__(self, error: RelaisError, action: str, patient_id: int | None, rid: int | None):
        super().__init__(
            error,
            action,
            patient_id=patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=rid,
        )
