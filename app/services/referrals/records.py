"""Referrals (*orientations*): categories, urgency, states and the transition table, and the
plain dataclasses exchanged with the views and the PDF documents.

Everything here is data (no SQLAlchemy, no Qt): the views import it, and
``app.services.referrals.service`` enforces it. DESIGN.md §5: ``draft → sent → received →
appointment_booked → seen → closed``, or ``reoriented`` (to a partner), ``refused_by_patient``,
``cancelled``; every transition is timestamped with its actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.i18n import N_, Labels


class ReferralReason(StrEnum):
    HEALTH_COVERAGE = "health_coverage"
    COMPLEMENTARY_INSURANCE = "complementary_insurance"
    CARE_COST = "care_cost"
    JOB_RETENTION = "job_retention"
    RETURN_HOME = "return_home"
    AUTONOMY = "autonomy"
    FAMILY_CHILD_CARE = "family_child_care"
    HOUSING = "housing"
    RESOURCES = "resources"
    DOMESTIC_VIOLENCE = "domestic_violence"
    CHILD_IN_DANGER = "child_in_danger"
    OTHER = "other"


REFERRAL_REASON_LABELS: dict[ReferralReason, str] = Labels(
    {
        ReferralReason.HEALTH_COVERAGE: N_("Couverture maladie (ouverture ou maintien des droits)"),
        ReferralReason.COMPLEMENTARY_INSURANCE: N_("Complémentaire santé (C2S, mutuelle)"),
        ReferralReason.CARE_COST: N_("Renoncement aux soins pour raison financière"),
        ReferralReason.JOB_RETENTION: N_(
            "Maintien dans l'emploi (arrêt de travail long, invalidité)"
        ),
        ReferralReason.RETURN_HOME: N_("Retour à domicile après hospitalisation"),
        ReferralReason.AUTONOMY: N_("Perte d'autonomie, maintien à domicile"),
        ReferralReason.FAMILY_CHILD_CARE: N_("Famille, garde d'enfants"),
        ReferralReason.HOUSING: N_("Logement"),
        ReferralReason.RESOURCES: N_("Difficultés financières, ressources"),
        ReferralReason.DOMESTIC_VIOLENCE: N_("Violences conjugales (situation urgente)"),
        ReferralReason.CHILD_IN_DANGER: N_("Enfant en danger (situation urgente)"),
        ReferralReason.OTHER: N_("Autre motif"),
    }
)

AXIS_RIGHTS = "Accès aux droits"
AXIS_CARE = "Accès aux soins"
AXIS_EMPLOYMENT = "Maintien dans l'emploi"
AXIS_HOME = "Retour et maintien à domicile"
AXIS_FAMILY = "Famille"
AXIS_HOUSING = "Logement"
AXIS_EMERGENCY = "Urgence"


class ReasonCategory(StrEnum):
    """The coarse reason kept readable (statistics, the secretariat's papers list): the
    CARSAT's three missions. Urgent situations (violence, a child in danger) fall in « living
    conditions » with housing, family and the return home, so that a copied database cannot
    tell them apart (docs/security.md)."""

    RIGHTS_AND_CARE = "rights_and_care"
    EMPLOYMENT = "employment"
    LIVING = "living"


REASON_CATEGORY: dict[ReferralReason, ReasonCategory] = {
    ReferralReason.HEALTH_COVERAGE: ReasonCategory.RIGHTS_AND_CARE,
    ReferralReason.COMPLEMENTARY_INSURANCE: ReasonCategory.RIGHTS_AND_CARE,
    ReferralReason.CARE_COST: ReasonCategory.RIGHTS_AND_CARE,
    ReferralReason.RESOURCES: ReasonCategory.RIGHTS_AND_CARE,
    ReferralReason.OTHER: ReasonCategory.RIGHTS_AND_CARE,
    ReferralReason.JOB_RETENTION: ReasonCategory.EMPLOYMENT,
    ReferralReason.RETURN_HOME: ReasonCategory.LIVING,
    ReferralReason.AUTONOMY: ReasonCategory.LIVING,
    ReferralReason.FAMILY_CHILD_CARE: ReasonCategory.LIVING,
    ReferralReason.HOUSING: ReasonCategory.LIVING,
    ReferralReason.DOMESTIC_VIOLENCE: ReasonCategory.LIVING,
    ReferralReason.CHILD_IN_DANGER: ReasonCategory.LIVING,
}
REASON_CATEGORY_LABELS: dict[ReasonCategory, str] = Labels(
    {
        ReasonCategory.RIGHTS_AND_CARE: N_("Accès aux droits et aux soins"),
        ReasonCategory.EMPLOYMENT: N_("Maintien dans l'emploi"),
        ReasonCategory.LIVING: N_("Domicile, famille et logement"),
    }
)

REASON_AXIS: dict[ReferralReason, str] = {
    ReferralReason.HEALTH_COVERAGE: AXIS_RIGHTS,
    ReferralReason.COMPLEMENTARY_INSURANCE: AXIS_RIGHTS,
    ReferralReason.RESOURCES: AXIS_RIGHTS,
    ReferralReason.CARE_COST: AXIS_CARE,
    ReferralReason.JOB_RETENTION: AXIS_EMPLOYMENT,
    ReferralReason.RETURN_HOME: AXIS_HOME,
    ReferralReason.AUTONOMY: AXIS_HOME,
    ReferralReason.FAMILY_CHILD_CARE: AXIS_FAMILY,
    ReferralReason.HOUSING: AXIS_HOUSING,
    ReferralReason.DOMESTIC_VIOLENCE: AXIS_EMERGENCY,
    ReferralReason.CHILD_IN_DANGER: AXIS_EMERGENCY,
    ReferralReason.OTHER: AXIS_RIGHTS,
}


def reason_title(reason: ReferralReason | str) -> str:
    """« axis — label » (« Accès aux droits — Logement »), the axis left out when the label
    already starts with it (« Maintien dans l'emploi (arrêt de travail long…) »)."""
    reason = ReferralReason(reason)
    axis, label = REASON_AXIS[reason], REFERRAL_REASON_LABELS[reason]
    return label if label.startswith(axis) else f"{axis} — {label}"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


URGENCY_LABELS: dict[Urgency, str] = Labels(
    {
        Urgency.NORMAL: N_("Normale"),
        Urgency.URGENT: N_("Urgente (sous quelques jours)"),
        Urgency.EMERGENCY: N_("Situation d'urgence (le jour même)"),
    }
)


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    RECEIVED = "received"
    APPOINTMENT_BOOKED = "appointment_booked"
    SEEN = "seen"
    CLOSED = "closed"
    REORIENTED = "reoriented"
    REFUSED_BY_PATIENT = "refused_by_patient"
    CANCELLED = "cancelled"


REFERRAL_STATUS_LABELS: dict[ReferralStatus, str] = Labels(
    {
        ReferralStatus.DRAFT: N_("Brouillon"),
        ReferralStatus.SENT: N_("Envoyée"),
        ReferralStatus.RECEIVED: N_("Reçue"),
        ReferralStatus.APPOINTMENT_BOOKED: N_("Rendez-vous fixé"),
        ReferralStatus.SEEN: N_("Patient reçu"),
        ReferralStatus.CLOSED: N_("Clôturée"),
        ReferralStatus.REORIENTED: N_("Réorientée"),
        ReferralStatus.REFUSED_BY_PATIENT: N_("Refusée par le patient"),
        ReferralStatus.CANCELLED: N_("Annulée"),
    }
)

_S = ReferralStatus
# The legal transitions: anything else is refused by the service.
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    _S.DRAFT: frozenset({_S.SENT, _S.REFUSED_BY_PATIENT, _S.CANCELLED}),
    _S.SENT: frozenset({_S.RECEIVED, _S.REORIENTED, _S.CANCELLED}),
    _S.RECEIVED: frozenset({_S.APPOINTMENT_BOOKED, _S.SEEN, _S.CLOSED, _S.REORIENTED}),
    # Back to « reçue » when the appointment is cancelled or missed (scheduling only).
    _S.APPOINTMENT_BOOKED: frozenset({_S.SEEN, _S.CLOSED, _S.REORIENTED, _S.RECEIVED}),
    _S.SEEN: frozenset({_S.CLOSED, _S.REORIENTED}),
    _S.CLOSED: frozenset(),
    _S.REORIENTED: frozenset(),
    _S.REFUSED_BY_PATIENT: frozenset(),
    _S.CANCELLED: frozenset(),
}
# Made by the scheduling service only, never by a referral action: an appointment booked from
# the referral was cancelled or missed, so the referral can be booked again.
SCHEDULING_ONLY: frozenset[tuple[ReferralStatus, ReferralStatus]] = frozenset(
    {(_S.APPOINTMENT_BOOKED, _S.RECEIVED)}
)


def user_transition(current: ReferralStatus, target: ReferralStatus) -> bool:
    """True when a user's referral action may move ``current`` to ``target``."""
    return target in TRANSITIONS[current] and (current, target) not in SCHEDULING_ONLY


# Still waiting for something to happen (the others are finished).
OPEN_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if targets)
# Withdrawing consent cancels a referral that the receiver has not received yet.
NOT_YET_RECEIVED = frozenset({_S.DRAFT, _S.SENT})


class ReferralAction(StrEnum):
    """What a user may do next on a referral (``ReferralView.allowed_actions``): the names of
    the ``ReferralService`` calls."""

    UPDATE_DRAFT = "update_draft"
    SEND = "send"
    CANCEL = "cancel"
    ACKNOWLEDGE = "acknowledge"
    BOOK = "book"
    RECORD_SEEN = "record_seen"
    CLOSE = "close"
    REORIENT = "reorient"
    SEND_FEEDBACK = "send_feedback"


# The state each transition call leads to (the service checks it against TRANSITIONS).
ACTION_TARGET: dict[ReferralAction, ReferralStatus] = {
    ReferralAction.SEND: _S.SENT,
    ReferralAction.CANCEL: _S.CANCELLED,
    ReferralAction.ACKNOWLEDGE: _S.RECEIVED,
    ReferralAction.BOOK: _S.APPOINTMENT_BOOKED,
    ReferralAction.RECORD_SEEN: _S.SEEN,
    ReferralAction.CLOSE: _S.CLOSED,
    ReferralAction.REORIENT: _S.REORIENTED,
}
# Feedback can be written once the receiver has the referral, until the end.
FEEDBACK_STATUSES = frozenset({_S.RECEIVED, _S.APPOINTMENT_BOOKED, _S.SEEN, _S.CLOSED})

REFERRAL_ACTION_LABELS: dict[ReferralAction, str] = Labels(
    {
        ReferralAction.UPDATE_DRAFT: N_("Modifier le brouillon"),
        ReferralAction.SEND: N_("Envoyer"),
        ReferralAction.CANCEL: N_("Annuler l'orientation"),
        ReferralAction.ACKNOWLEDGE: N_("Accuser réception"),
        ReferralAction.BOOK: N_("Fixer un rendez-vous"),
        ReferralAction.RECORD_SEEN: N_("Patient reçu"),
        ReferralAction.CLOSE: N_("Clôturer"),
        ReferralAction.REORIENT: N_("Réorienter"),
        ReferralAction.SEND_FEEDBACK: N_("Envoyer un retour d'orientation"),
    }
)

# What the sender learns when the patient's liaison consent does not allow the feedback text.
FEEDBACK_TAKEN_ON = "pris en charge"
FEEDBACK_CLOSED = "clôturé"
FEEDBACK_REORIENTED = "réorienté"


class SharedItem(StrEnum):
    CONTACT = "contact"
    ADDRESS = "address"
    ATTENDING_GP = "attending_gp"
    NIR = "nir"
    BIRTH_DATE = "birth_date"
    LIAISON_NOTES = "liaison_notes"


SHARED_ITEM_LABELS: dict[SharedItem, str] = Labels(
    {
        SharedItem.CONTACT: N_("Coordonnées (téléphone, e-mail)"),
        SharedItem.ADDRESS: N_("Adresse"),
        SharedItem.ATTENDING_GP: N_("Médecin traitant"),
        SharedItem.NIR: N_("Numéro de sécurité sociale (couverture sociale)"),
        SharedItem.BIRTH_DATE: N_("Date de naissance"),
        SharedItem.LIAISON_NOTES: N_("Notes de liaison choisies"),
    }
)


# What a referral for each reason usually needs, ticked in advance on the form (the sender
# unticks what is not needed). The sender's own last choices for a reason come first
# (``ReferralService.item_defaults``). Liaison notes are always chosen one by one. Violence:
# the address is never proposed (the person may have to be kept out of reach).
REASON_DEFAULT_ITEMS: dict[ReferralReason, frozenset[SharedItem]] = {
    ReferralReason.HEALTH_COVERAGE: frozenset(
        {SharedItem.CONTACT, SharedItem.NIR, SharedItem.BIRTH_DATE}
    ),
    ReferralReason.COMPLEMENTARY_INSURANCE: frozenset(
        {SharedItem.CONTACT, SharedItem.NIR, SharedItem.BIRTH_DATE}
    ),
    ReferralReason.CARE_COST: frozenset({SharedItem.CONTACT, SharedItem.ATTENDING_GP}),
    ReferralReason.JOB_RETENTION: frozenset(
        {SharedItem.CONTACT, SharedItem.NIR, SharedItem.ATTENDING_GP}
    ),
    ReferralReason.RETURN_HOME: frozenset(
        {SharedItem.CONTACT, SharedItem.ADDRESS, SharedItem.ATTENDING_GP}
    ),
    ReferralReason.AUTONOMY: frozenset(
        {SharedItem.CONTACT, SharedItem.ADDRESS, SharedItem.ATTENDING_GP, SharedItem.BIRTH_DATE}
    ),
    ReferralReason.FAMILY_CHILD_CARE: frozenset({SharedItem.CONTACT}),
    ReferralReason.HOUSING: frozenset({SharedItem.CONTACT, SharedItem.ADDRESS}),
    ReferralReason.RESOURCES: frozenset({SharedItem.CONTACT, SharedItem.NIR}),
    ReferralReason.DOMESTIC_VIOLENCE: frozenset({SharedItem.CONTACT}),
    ReferralReason.CHILD_IN_DANGER: frozenset({SharedItem.CONTACT}),
    ReferralReason.OTHER: frozenset({SharedItem.CONTACT}),
}


@dataclass(frozen=True)
class ReferralCapabilities:
    """What an actor may do with referrals, for the views (they never read the policy)."""

    can_refer: bool  # write a referral (draft, send) as its sender
    can_handle: bool  # take steps on referrals (sender or receiver)
    can_book_appointments: bool  # the secretariat books from a referral


@dataclass(frozen=True)
class ReferralInput:
    """What the referral form sends. Exactly one destination: ``receiver_id`` (the clinic's
    social worker) or ``partner_id`` (optionally one of its contacts)."""

    patient_id: int
    reason: ReferralReason | str
    urgency: Urgency | str = Urgency.NORMAL
    message: str = ""
    receiver_id: int | None = None
    partner_id: int | None = None
    partner_contact_id: int | None = None
    items: frozenset[SharedItem] = frozenset()
    note_ids: tuple[int, ...] = ()
    orientation_rule: str = ""


@dataclass(frozen=True)
class ReferralSummary:
    """Who, when, status, destination: what every role allowed to see a referral sees."""

    id: int
    patient_id: int
    patient_name: str
    sender_name: str
    destination_name: str
    status: ReferralStatus
    status_label: str
    urgency: Urgency
    created_at: datetime
    sent_at: datetime | None
    updated_at: datetime
    overdue: bool
    unread: bool
    can_read_content: bool
    sender_id: int | None = None
    receiver_id: int | None = None
    partner_id: int | None = None

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


@dataclass(frozen=True)
class ReferralEventView:
    at: datetime
    from_label: str
    to_label: str
    actor_name: str
    detail: str


@dataclass(frozen=True)
class ReferralView:
    """A referral as one user may see it. Content fields (reason, message, items, notes,
    feedback, outcome) are filled only for its sender and its receiver."""

    summary: ReferralSummary
    reason: ReferralReason | None
    reason_label: str
    message: str
    items: dict[SharedItem, str]
    notes: list[tuple[date, str, str]]
    feedback: str | None
    feedback_summary: str
    outcome: str
    events: list[ReferralEventView]
    allowed_actions: list[str]
    version: int
    # Draft input (sender only) to reopen the form; the orientation guide's rule.
    draft: ReferralInput | None = None
    orientation_rule: str = ""
    reoriented_to_name: str = ""
    reorientation_reason: str = ""
    orientation_error_rule: str = ""
    cancel_reason: str = ""
    # Items chosen but held back (consent withdrawn since sending): their labels.
    withheld: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def status(self) -> ReferralStatus:
        return self.summary.status


@dataclass(frozen=True)
class ReferralDelays:
    """The study's key benefit: days from sending to the first consultation (aggregates)."""

    measured: int  # referrals with a first consultation
    median_days: float | None
    mean_days: float | None
    waiting: int  # sent, not yet seen
    median_ack_days: float | None = None  # sent → received
