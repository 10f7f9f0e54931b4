"""Home-care requests and discharge plans: care kinds and their acts, states and the transition
table, frequencies, availability windows, destinations, aids, equipment and the ARDH rule (the
records exchanged with the views are in ``records``).

Everything here is data or pure functions (no SQLAlchemy, no Qt): the views import it, and
``requests`` and ``discharge_plans`` enforce it.

Request lifecycle: ``to_send → sent → accepted → in_progress → finished``; ``sent → refused``
(then « Adresser à un autre partenaire » makes a copy for another partner, ``previous_id``);
``to_send``/``sent``/``accepted`` → ``cancelled``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from app.i18n import N_, Labels, _
from app.services.home_care.ardh import (  # noqa: F401 (re-exported: read here by the others)
    ARDH_GIRS,
    ARDH_MAX_MONTHS,
    ARDH_MIN_AGE,
    ARDH_VERDICT_LABELS,
    DESTINATION_LABELS,
    ArdhResult,
    ArdhVerdict,
    Destination,
    age_on,
    ardh_check,
)
from app.services.kernel.timefmt import weekday_name


# ---- care kinds and acts -------------------------------------------------------------------
class CareKind(StrEnum):
    NURSE = "nurse"
    PHYSIOTHERAPIST = "physiotherapist"
    MIDWIFE = "midwife"


CARE_KIND_LABELS: dict[CareKind, str] = {
    CareKind.NURSE: N_("Infirmier(ère)"),
    CareKind.PHYSIOTHERAPIST: N_("Masseur-kinésithérapeute"),
    CareKind.MIDWIFE: N_("Sage-femme"),
}
CARE_KIND_LABELS = Labels(CARE_KIND_LABELS)

# The acts a request may name, per kind (code → label, read in the active language), in order.
CARE_ACTS: dict[CareKind, dict[str, str]] = {
    CareKind.NURSE: {
        "dressing": N_("Pansements"),
        "injection": N_("Injections"),
        "blood_test": N_("Prises de sang"),
        "hygiene": N_("Soins d'hygiène"),
        "medication": N_("Préparation et administration des médicaments"),
        "monitoring": N_("Surveillance (constantes, glycémie)"),
    },
    CareKind.PHYSIOTHERAPIST: {
        "rehabilitation": N_("Rééducation"),
        "walking": N_("Rééducation à la marche"),
        "fall_prevention": N_("Prévention des chutes"),
        "respiratory": N_("Kinésithérapie respiratoire"),
    },
    CareKind.MIDWIFE: {
        "postnatal": N_("Suivi post-natal (mère et nouveau-né)"),
        "breastfeeding": N_("Accompagnement de l'allaitement"),
        "perineal": N_("Rééducation périnéale"),
    },
}
CARE_ACTS = {kind: Labels(acts) for kind, acts in CARE_ACTS.items()}

# Which partners of the directory give each kind of care (``records.PartnerKind`` values:
# not imported, ``records`` re-exports this module).
CARE_PARTNER_KIND: dict[CareKind, str] = {
    CareKind.NURSE: "home_nurse",
    CareKind.PHYSIOTHERAPIST: "home_physio",
    CareKind.MIDWIFE: "home_midwife",
}


def act_label(kind: CareKind | str, code: str) -> str:
    try:
        return CARE_ACTS[CareKind(kind)].get(code, code)
    except ValueError:
        return code


# ---- states -------------------------------------------------------------------------------
class HomeCareStatus(StrEnum):
    TO_SEND = "to_send"
    SENT = "sent"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    REFUSED = "refused"
    CANCELLED = "cancelled"


HOME_CARE_STATUS_LABELS: dict[HomeCareStatus, str] = {
    HomeCareStatus.TO_SEND: N_("À envoyer"),
    HomeCareStatus.SENT: N_("Envoyée"),
    HomeCareStatus.ACCEPTED: N_("Acceptée"),
    HomeCareStatus.IN_PROGRESS: N_("En cours"),
    HomeCareStatus.FINISHED: N_("Terminée"),
    HomeCareStatus.REFUSED: N_("Refusée"),
    HomeCareStatus.CANCELLED: N_("Annulée"),
}
HOME_CARE_STATUS_LABELS = Labels(HOME_CARE_STATUS_LABELS)

_H = HomeCareStatus
# The legal transitions: anything else is refused by the service.
HOME_CARE_TRANSITIONS: dict[HomeCareStatus, frozenset[HomeCareStatus]] = {
    _H.TO_SEND: frozenset({_H.SENT, _H.CANCELLED}),
    _H.SENT: frozenset({_H.ACCEPTED, _H.REFUSED, _H.CANCELLED}),
    _H.ACCEPTED: frozenset({_H.IN_PROGRESS, _H.CANCELLED}),
    _H.IN_PROGRESS: frozenset({_H.FINISHED}),
    _H.FINISHED: frozenset(),
    _H.REFUSED: frozenset(),
    _H.CANCELLED: frozenset(),
}
# Still waiting for something (counted as open in lists and the discharge summary).
OPEN_STATUSES = frozenset({_H.TO_SEND, _H.SENT, _H.ACCEPTED, _H.IN_PROGRESS})


class HomeCareAction(StrEnum):
    EDIT = "edit"
    SEND = "send"
    ACCEPT = "accept"
    START = "start"
    FINISH = "finish"
    REFUSE = "refuse"
    READDRESS = "readdress"
    CANCEL = "cancel"


ACTION_TARGET: dict[HomeCareAction, HomeCareStatus] = {
    HomeCareAction.SEND: _H.SENT,
    HomeCareAction.ACCEPT: _H.ACCEPTED,
    HomeCareAction.START: _H.IN_PROGRESS,
    HomeCareAction.FINISH: _H.FINISHED,
    HomeCareAction.REFUSE: _H.REFUSED,
    HomeCareAction.CANCEL: _H.CANCELLED,
}

HOME_CARE_ACTION_LABELS: dict[HomeCareAction, str] = {
    HomeCareAction.EDIT: N_("Modifier…"),
    HomeCareAction.SEND: N_("Envoyée au partenaire"),
    HomeCareAction.ACCEPT: N_("Acceptée par…"),
    HomeCareAction.START: N_("Soins en cours"),
    HomeCareAction.FINISH: N_("Soins terminés"),
    HomeCareAction.REFUSE: N_("Refusée…"),
    HomeCareAction.READDRESS: N_("Adresser à un autre partenaire…"),
    HomeCareAction.CANCEL: N_("Annuler…"),
}
HOME_CARE_ACTION_LABELS = Labels(HOME_CARE_ACTION_LABELS)


def allowed_actions(status: HomeCareStatus, *, readdressed: bool = False) -> list[HomeCareAction]:
    """The actions a writer may take on a request in ``status`` (table order)."""
    out: list[HomeCareAction] = []
    if status is _H.TO_SEND:
        out.append(HomeCareAction.EDIT)
    targets = HOME_CARE_TRANSITIONS[status]
    for action, target in ACTION_TARGET.items():
        if target in targets:
            out.append(action)
    if status is _H.REFUSED and not readdressed:
        out.append(HomeCareAction.READDRESS)
    order = list(HomeCareAction)
    return sorted(out, key=order.index)


# ---- overdue rules (inbox) ----------------------------------------------------------------
TO_SEND_OVERDUE_DAYS = 1  # « à envoyer » for more than a day
SENT_OVERDUE_DAYS = 2  # sent without an answer for more than two days…
START_SOON_DAYS = 2  # …or the start date is within two days


# ---- frequency ----------------------------------------------------------------------------
class FrequencyPeriod(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


FREQUENCY_PERIOD_LABELS: dict[FrequencyPeriod, str] = {
    FrequencyPeriod.DAY: N_("par jour"),
    FrequencyPeriod.WEEK: N_("par semaine"),
    FrequencyPeriod.MONTH: N_("par mois"),
}
FREQUENCY_PERIOD_LABELS = Labels(FREQUENCY_PERIOD_LABELS)
MAX_FREQUENCY = {FrequencyPeriod.DAY: 6, FrequencyPeriod.WEEK: 14, FrequencyPeriod.MONTH: 31}
_FREQUENCY_RE = re.compile(r"^([0-9]{1,2})/(day|week|month)$")


@dataclass(frozen=True)
class Frequency:
    """« 2 fois par jour »: ``count`` times per ``period``; stored as ``"2/day"``."""

    count: int
    period: FrequencyPeriod

    @property
    def code(self) -> str:
        return f"{self.count}/{self.period}"

    @property
    def label(self) -> str:
        return _("{count} fois {period}").format(
            count=self.count, period=FREQUENCY_PERIOD_LABELS[self.period]
        )

    @classmethod
    def parse(cls, code: str) -> Frequency | None:
        match = _FREQUENCY_RE.match(code or "")
        if not match:
            return None
        return cls(int(match.group(1)), FrequencyPeriod(match.group(2)))


def frequency_label(code: str) -> str:
    parsed = Frequency.parse(code)
    return parsed.label if parsed else (code or "")


def frequency_error(value: Frequency | None) -> str | None:
    if value is None:
        return _("Indiquez la fréquence des soins (par exemple 2 fois par jour).")
    try:
        period = FrequencyPeriod(value.period)
    except ValueError:
        return _("La période de la fréquence est inconnue (jour, semaine ou mois).")
    if not 1 <= int(value.count) <= MAX_FREQUENCY[period]:
        return _("La fréquence doit être comprise entre 1 et {most} fois {period}.").format(
            most=MAX_FREQUENCY[period], period=FREQUENCY_PERIOD_LABELS[period]
        )
    return None


# ---- availability windows -----------------------------------------------------------------
MAX_WINDOWS_PER_DAY = 4
_TIME_RE = re.compile(r"^\s*([0-9]{1,2})\s*(?:[:hH]\s*([0-9]{2})?)?\s*$")

# weekday (0 = Monday) → sorted windows ("HH:MM", "HH:MM").
Availability = dict[int, tuple[tuple[str, str], ...]]


def parse_time(value: str) -> str | None:
    """« 8:00 », « 08h30 », « 17h », « 17 » → "08:00", "08:30", "17:00", "17:00"; None when
    not a time."""
    match = _TIME_RE.match(value or "")
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def validate_availability(windows: dict) -> tuple[Availability, dict[str, str]]:
    """Normalise windows per weekday (times as ``HH:MM``, sorted) and say what is wrong:
    errors are keyed ``availability_<weekday>`` with a French message (start before end,
    no overlapping windows on a day, at most four windows a day)."""
    clean: Availability = {}
    errors: dict[str, str] = {}
    for key, raw in (windows or {}).items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            errors["availability"] = _("Jour de la semaine inconnu dans les disponibilités.")
            continue
        if not 0 <= day <= 6:
            errors["availability"] = _("Jour de la semaine inconnu dans les disponibilités.")
            continue
        name = weekday_name(day).capitalize()
        items: list[tuple[str, str]] = []
        problem = ""
        for window in raw or ():
            try:
                start_raw, end_raw = window
            except (TypeError, ValueError):
                problem = _("{day} : créneau incomplet.").format(day=name)
                continue
            start, end = parse_time(str(start_raw)), parse_time(str(end_raw))
            if start is None or end is None:
                problem = _(
                    "{day} : heure non reconnue (écrivez par exemple 8:00 ou 17h30)."
                ).format(day=name)
                continue
            if start >= end:
                problem = _("{day} : le créneau {start}–{end} finit avant de commencer.").format(
                    day=name, start=start.replace(":", "h"), end=end.replace(":", "h")
                )
                continue
            items.append((start, end))
        items.sort()
        if not problem:
            for (s1, e1), (s2, e2) in pairwise(items):
                if s2 < e1:
                    first = f"{s1.replace(':', 'h')}–{e1.replace(':', 'h')}"
                    second = f"{s2.replace(':', 'h')}–{e2.replace(':', 'h')}"
                    problem = _("{day} : les créneaux {first} et {second} se chevauchent.").format(
                        day=name, first=first, second=second
                    )
                    break
        if not problem and len(items) > MAX_WINDOWS_PER_DAY:
            problem = _("{day} : {most} créneaux au plus.").format(
                day=name, most=MAX_WINDOWS_PER_DAY
            )
        if problem:
            errors[f"availability_{day}"] = problem
        elif items:
            clean[day] = tuple(items)
    return dict(sorted(clean.items())), errors


def availability_lines(availability: Availability) -> list[tuple[str, str]]:
    """(« Lundi », « 8h00–10h00, 17h00–19h00 ») for each day with windows, Monday first."""
    return [
        (
            weekday_name(day).capitalize(),
            ", ".join(f"{s.replace(':', 'h')}–{e.replace(':', 'h')}" for s, e in windows),
        )
        for day, windows in sorted(availability.items())
    ]


# ---- discharge plans (destinations and the ARDH rule: ``ardh``) ----------------------------


class PlanStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


PLAN_STATUS_LABELS: dict[PlanStatus, str] = {
    PlanStatus.OPEN: N_("En préparation"),
    PlanStatus.DONE: N_("Sortie réalisée"),
    PlanStatus.CANCELLED: N_("Annulé"),
}
PLAN_STATUS_LABELS = Labels(PLAN_STATUS_LABELS)

AID_LABELS: dict[str, str] = {
    "ardh": N_("ARDH (aide au retour à domicile après hospitalisation, CARSAT)"),
    "household_help": N_("Aide-ménagère"),
    "meals": N_("Portage de repas"),
    "telecare": N_("Téléassistance"),
    "apa": N_("APA (allocation personnalisée d'autonomie)"),
    "home_adaptation": N_("Adaptation du logement"),
    "family_help": N_("Aide d'un proche aidant"),
}
AID_LABELS = Labels(AID_LABELS)

EQUIPMENT_SUGGESTIONS: tuple[str, ...] = (
    "Lit médicalisé",
    "Fauteuil roulant",
    "Déambulateur",
    "Chaise percée",
    "Matelas anti-escarres",
    "Lève-personne",
    "Barres d'appui",
)

FOLLOW_UP_DEFAULT_DAYS = (7, 90)  # J+7 and J+90 after the target date
MAX_FOLLOW_UPS = 10


def follow_up_label(days: int) -> str:
    return f"Suivi à J+{days}"
