"""Consultation sessions and appointments: statuses, French labels, the transition table, the
papers a patient brings for each referral reason, French date wording, and the records of
sessions, slots, appointments and the waiting list exchanged with the views.

Everything here is data (no SQLAlchemy, no Qt): the views import it, and
``app.services.scheduling.service`` enforces it.

Appointment states: ``booked → confirmed → seen | no_show``; ``booked | confirmed →
cancelled_patient | cancelled_clinic`` (with a reason). A booked, confirmed, seen or missed
appointment occupies its slot (``slot_key`` set, unique per professional); a cancelled one
frees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from app.i18n import N_, Labels, _, language
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local, month_name, weekday_name
from app.services.referrals.records import ReasonCategory, ReferralReason


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    SEEN = "seen"
    NO_SHOW = "no_show"
    CANCELLED_PATIENT = "cancelled_patient"
    CANCELLED_CLINIC = "cancelled_clinic"


APPOINTMENT_STATUS_LABELS: dict[AppointmentStatus, str] = Labels(
    {
        AppointmentStatus.BOOKED: N_("Réservé"),
        AppointmentStatus.CONFIRMED: N_("Confirmé"),
        AppointmentStatus.SEEN: N_("Patient reçu"),
        AppointmentStatus.NO_SHOW: N_("Absent (non excusé)"),
        AppointmentStatus.CANCELLED_PATIENT: N_("Annulé par le patient"),
        AppointmentStatus.CANCELLED_CLINIC: N_("Annulé par la maison de santé"),
    }
)

_A = AppointmentStatus
# The legal transitions: anything else is refused by the service.
APPOINTMENT_TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    _A.BOOKED: frozenset(
        {_A.CONFIRMED, _A.SEEN, _A.NO_SHOW, _A.CANCELLED_PATIENT, _A.CANCELLED_CLINIC}
    ),
    _A.CONFIRMED: frozenset({_A.SEEN, _A.NO_SHOW, _A.CANCELLED_PATIENT, _A.CANCELLED_CLINIC}),
    _A.SEEN: frozenset(),
    _A.NO_SHOW: frozenset(),
    _A.CANCELLED_PATIENT: frozenset(),
    _A.CANCELLED_CLINIC: frozenset(),
}
# Occupy their slot (``slot_key`` set): the slot cannot be booked again.
OCCUPYING = frozenset({_A.BOOKED, _A.CONFIRMED, _A.SEEN, _A.NO_SHOW})
# Still to come: the patient is expected (one patient, one place at a time).
PENDING = frozenset({_A.BOOKED, _A.CONFIRMED})
CANCELLED = frozenset({_A.CANCELLED_PATIENT, _A.CANCELLED_CLINIC})


class AppointmentAction(StrEnum):
    """What a user may do next on an appointment (``SchedulingService`` call names)."""

    CONFIRM = "confirm"
    CANCEL = "cancel"
    RECORD_NO_SHOW = "record_no_show"
    RECORD_SEEN = "record_seen"


APPOINTMENT_ACTION_LABELS: dict[AppointmentAction, str] = Labels(
    {
        AppointmentAction.CONFIRM: N_("Confirmer"),
        AppointmentAction.CANCEL: N_("Annuler le rendez-vous"),
        AppointmentAction.RECORD_NO_SHOW: N_("Patient absent"),
        AppointmentAction.RECORD_SEEN: N_("Patient reçu"),
    }
)

# Referral events written when an appointment booked from a referral ends without a visit.
REFERRAL_DETAIL_CANCELLED = "rendez-vous annulé"
REFERRAL_DETAIL_NO_SHOW = "absent"


class WaitingStatus(StrEnum):
    WAITING = "waiting"
    BOOKED = "booked"
    REMOVED = "removed"


WAITING_STATUS_LABELS: dict[WaitingStatus, str] = Labels(
    {
        WaitingStatus.WAITING: N_("En attente"),
        WaitingStatus.BOOKED: N_("Rendez-vous fixé"),
        WaitingStatus.REMOVED: N_("Retiré(e) de la liste"),
    }
)


class WaitingUrgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


WAITING_URGENCY_LABELS: dict[WaitingUrgency, str] = Labels(
    {
        WaitingUrgency.NORMAL: N_("Normale"),
        WaitingUrgency.URGENT: N_("Urgente"),
    }
)


class SlotTaken(RelaisError):
    """The slot was booked by someone else (also when two workstations booked at once)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Ce créneau vient d'être pris par quelqu'un d'autre. Choisissez un autre créneau "
            "(la liste des créneaux libres a été mise à jour)."
        )


class AppointmentTransitionRefused(RelaisError):
    """An illegal appointment transition (its state does not allow it)."""

    def __init__(self, current: AppointmentStatus, target: AppointmentStatus) -> None:
        self.current = current
        self.target = target
        super().__init__(
            f"Impossible : un rendez-vous « {APPOINTMENT_STATUS_LABELS[current]} » ne peut pas "
            f"passer à « {APPOINTMENT_STATUS_LABELS[target]} »."
        )


# ---- papers to bring (printed on the appointment slip) -------------------------------------
PAPER_ID = "Pièce d'identité (carte d'identité, passeport ou titre de séjour)"
PAPER_VITALE = "Carte Vitale et attestation de droits à l'assurance maladie"
PAPER_TAX = "Dernier avis d'imposition (ou de non-imposition)"
PAPER_INCOME = "Justificatifs de ressources des trois derniers mois (salaires, allocations)"
PAPER_MUTUAL = "Carte de mutuelle ou de complémentaire santé, s'il y en a une"
PAPER_SICK_LEAVE = "Arrêts de travail et relevés d'indemnités journalières"
PAPER_PENSION = "Relevés de pension de retraite (base et complémentaire)"
PAPER_RENT = "Dernière quittance de loyer ou bail"
PAPER_FAMILY = "Livret de famille"
PAPER_BANK = "Relevé d'identité bancaire (RIB)"
PAPER_CARE_COSTS = "Devis ou factures des soins (reste à charge)"
PAPER_HOSPITAL = "Bulletin d'hospitalisation ou compte rendu de sortie, si vous l'avez"
PAPER_EMPLOYER = "Coordonnées de votre employeur et de votre service de santé au travail"
PAPER_DISABILITY = "Notifications MDPH, APA ou de pension d'invalidité, s'il y en a"
PAPER_CAF = "Attestation de paiement de la CAF, s'il y en a une"
PAPER_DEBTS = "Factures ou courriers de relance (énergie, loyer, crédits)"

GENERIC_PAPERS: tuple[str, ...] = (PAPER_ID, PAPER_VITALE, PAPER_TAX, PAPER_INCOME)

_R = ReferralReason
PAPERS_BY_REASON: dict[ReferralReason, tuple[str, ...]] = {
    _R.HEALTH_COVERAGE: (PAPER_ID, PAPER_VITALE, PAPER_TAX, PAPER_INCOME, PAPER_BANK),
    _R.COMPLEMENTARY_INSURANCE: (PAPER_ID, PAPER_VITALE, PAPER_TAX, PAPER_INCOME, PAPER_MUTUAL),
    _R.CARE_COST: (PAPER_ID, PAPER_VITALE, PAPER_MUTUAL, PAPER_CARE_COSTS, PAPER_TAX),
    _R.JOB_RETENTION: (PAPER_ID, PAPER_VITALE, PAPER_SICK_LEAVE, PAPER_EMPLOYER, PAPER_INCOME),
    _R.RETURN_HOME: (PAPER_ID, PAPER_VITALE, PAPER_HOSPITAL, PAPER_PENSION, PAPER_TAX),
    _R.AUTONOMY: (PAPER_ID, PAPER_VITALE, PAPER_PENSION, PAPER_TAX, PAPER_DISABILITY),
    _R.FAMILY_CHILD_CARE: (PAPER_ID, PAPER_VITALE, PAPER_FAMILY, PAPER_CAF, PAPER_INCOME),
    _R.HOUSING: (PAPER_ID, PAPER_RENT, PAPER_TAX, PAPER_INCOME, PAPER_CAF),
    _R.RESOURCES: (PAPER_ID, PAPER_TAX, PAPER_INCOME, PAPER_RENT, PAPER_DEBTS, PAPER_BANK),
    # Urgent situations: nothing must delay the visit; bring what is at hand.
    _R.DOMESTIC_VIOLENCE: (PAPER_ID, PAPER_VITALE),
    _R.CHILD_IN_DANGER: (PAPER_ID, PAPER_VITALE, PAPER_FAMILY),
    _R.OTHER: GENERIC_PAPERS,
}


# For whoever prints the slip without holding the referral's key (the secretariat): the
# papers of the readable reason category only (the reason itself stays sealed).
PAPERS_BY_CATEGORY: dict[ReasonCategory, tuple[str, ...]] = {
    ReasonCategory.RIGHTS_AND_CARE: (PAPER_ID, PAPER_VITALE, PAPER_TAX, PAPER_INCOME, PAPER_MUTUAL),
    ReasonCategory.EMPLOYMENT: PAPERS_BY_REASON[_R.JOB_RETENTION],
    ReasonCategory.LIVING: (PAPER_ID, PAPER_VITALE),
}


def papers_to_bring(
    reason: ReferralReason | str | None, category: ReasonCategory | str | None = None
) -> tuple[str, ...]:
    """The papers for a referral's reason; for its category when the reason cannot be read;
    the generic list when booked directly."""
    try:
        if reason:
            return PAPERS_BY_REASON[ReferralReason(reason)]
        if category:
            return PAPERS_BY_CATEGORY[ReasonCategory(category)]
    except ValueError:
        pass
    return GENERIC_PAPERS


# ---- French wording of dates and times ---------------------------------------------------
_EVERY = {
    2: N_("Un {day} sur deux"),
    3: N_("Un {day} sur trois"),
    4: N_("Un {day} sur quatre"),
}


def fr_time(value: time | datetime) -> str:
    """« 9 h », « 12 h 30 » (a datetime is shown in the clinic's time zone)."""
    if isinstance(value, datetime):
        value = local(value).time()
    if language() == "en":
        return f"{value.hour}:{value.minute:02d}"
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def fr_date(value: date | datetime) -> str:
    """« mardi 8 décembre 2026 » (« 1er » for the first of the month)."""
    if isinstance(value, datetime):
        value = local(value).date()
    day = "1er" if value.day == 1 and language() == "fr" else str(value.day)
    return _("{weekday} {day} {month} {year}").format(
        weekday=weekday_name(value.weekday()),
        day=day,
        month=month_name(value.month),
        year=value.year,
    )


def fr_datetime(value: datetime) -> str:
    """« mardi 8 décembre 2026 à 9 h 30 » in the clinic's time zone."""
    return _("{date} à {time}").format(date=fr_date(value), time=fr_time(value))


def session_summary(
    weekday: int, every_weeks: int, opens: time, closes: time, room: str, slot_minutes: int
) -> str:
    """« Un mardi sur deux, 9 h – 12 h 30, salle 2, créneaux de 30 min »."""
    day = weekday_name(weekday)
    if every_weeks == 1:
        every = _("Chaque {day}").format(day=day)
    elif every_weeks in _EVERY:
        every = _(_EVERY[every_weeks]).format(day=day)
    else:
        every = _("Un {day} sur {n}").format(day=day, n=every_weeks)
    parts = [every, f"{fr_time(opens)} – {fr_time(closes)}"]
    if room:
        parts.append(
            room if room.lower().startswith("salle") else _("salle {room}").format(room=room)
        )
    parts.append(_("créneaux de {minutes} min").format(minutes=slot_minutes))
    return ", ".join(parts)


@dataclass(frozen=True)
class SessionInput:
    """A recurring consultation session (*permanence*): ``weekday`` 0 = Monday; the first
    date must fall on that weekday; ``last_date`` None = no end."""

    professional_id: int
    label: str
    place: str
    room: str
    weekday: int
    opens: time
    closes: time
    slot_minutes: int
    every_weeks: int
    first_date: date
    last_date: date | None = None


@dataclass(frozen=True)
class SessionExceptionRecord:
    day: date
    kind: str  # "cancelled" or "added"
    reason: str
    kind_label: str = ""


@dataclass(frozen=True)
class SessionRecord:
    id: int
    professional_id: int
    professional_name: str
    label: str
    place: str
    room: str
    weekday: int
    weekday_label: str
    opens: time
    closes: time
    slot_minutes: int
    every_weeks: int
    first_date: date
    last_date: date | None
    active: bool
    summary: str  # « Un mardi sur deux, 9 h – 12 h 30, salle 2, créneaux de 30 min »
    exceptions: tuple[SessionExceptionRecord, ...]
    version: int


@dataclass(frozen=True)
class AppointmentRecord:
    """An appointment as one user may see it: ``reason``/``reason_label`` are empty unless
    the user is the appointment's professional. Times are UTC-aware."""

    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    professional_id: int
    professional_name: str
    session_id: int | None
    referral_id: int | None
    starts_at: datetime
    ends_at: datetime
    place: str
    room: str
    status: AppointmentStatus
    status_label: str
    status_reason: str
    reason: str
    reason_label: str
    booked_by_name: str
    called_at: datetime | None
    confirmed_at: datetime | None
    version: int
    active: bool  # occupies its slot
    no_show_count: int = 0  # the patient's missed appointments (all professionals)
    allowed_actions: tuple[str, ...] = ()
    booked_at: datetime | None = None


@dataclass(frozen=True)
class SlotRecord:
    """A slot of a session; free when ``appointment`` is None."""

    session_id: int
    professional_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    room: str
    appointment: AppointmentRecord | None = None

    @property
    def free(self) -> bool:
        return self.appointment is None


@dataclass(frozen=True)
class AgendaDay:
    """One day of an agenda: the slots of its sessions, why a regular session does not take
    place (holiday's name, « annulée : … »), and appointments whose slot no longer exists
    (the session changed after booking: never lost)."""

    day: date
    slots: tuple[SlotRecord, ...]
    skipped: str = ""
    appointments_outside: tuple[AppointmentRecord, ...] = ()
    cancelled: tuple[AppointmentRecord, ...] = ()  # cancelled appointments of the day


@dataclass(frozen=True)
class WaitingEntryRecord:
    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    professional_id: int
    referral_id: int | None
    urgency: WaitingUrgency
    preferences: str
    status: WaitingStatus
    created_at: datetime
    version: int
    urgency_label: str = ""
    status_label: str = ""
    appointment_id: int | None = None


@dataclass(frozen=True)
class SchedulingCapabilities:
    """What one user may do in the agenda (``SchedulingService.capabilities``): views show
    or hide their buttons from this, never from the policy table."""

    user_id: int | None
    book: bool  # book, confirm, cancel appointments; the call list; the waiting list
    edit_sessions: bool  # define sessions (the social worker her own, the coordinator any)
    own_reasons: bool  # the reason of the appointments in her own agenda
    others_reasons: bool  # the reason in someone else's agenda

    def sees_reason(self, professional_id: int | None) -> bool:
        """Whether the agenda of ``professional_id`` shows this user the reasons."""
        if professional_id is None:
            return False
        own = self.user_id is not None and professional_id == self.user_id
        return self.own_reasons if own else self.others_reasons
