"""Refusals (the patient's word on sharing) and the permanence (the social worker's
consultations: half-days held, occupancy, no-shows, cancellations, the waiting list).

Read columns: ``consent.scope``, ``status``, ``decided_on``, ``recorded_by_id``; the sessions'
rules (weekday, hours, slot length, dates, exceptions: the clinic's organisation, no patient);
``appointment.starts_at``, ``status``, ``session_id``, ``professional_id``, ``booked_at``;
``waiting_list_entry.status``, ``created_at``, ``appointment_id``. Nothing sealed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import Appointment, Consent, User, WaitingListEntry
from app.models.enums import Role
from app.services.patient_file.records import ConsentStatus
from app.services.statistics import labels as L
from app.services.statistics import masking
from app.services.statistics.delay_stats import spread_table
from app.services.statistics.masking import Grid
from app.services.statistics.model import (
    Headline,
    Section,
    StatRow,
    StatsFilter,
    StatTable,
    Value,
)
from app.services.statistics.periods import Period, month_label
from app.services.statistics.sessions_held import held_by_month
from app.services.statistics.sql import NO_SPREAD, Dialect, bucket, spreads


# ---- refusals -------------------------------------------------------------------------------
def consent_counts(session: Session, period: Period, flt: StatsFilter) -> Counter:
    """(scope, status) → how many refusals and withdrawals were decided in the period."""
    query = (
        select(Consent.scope, Consent.status, func.count())
        .where(
            Consent.status.in_([str(ConsentStatus.REFUSED), str(ConsentStatus.WITHDRAWN)]),
            Consent.decided_on >= period.start,
            Consent.decided_on <= period.end,
        )
        .group_by(Consent.scope, Consent.status)
    )
    if flt.professional_id is not None:
        query = query.where(Consent.recorded_by_id == flt.professional_id)
    return Counter({(scope, status): int(n) for scope, status, n in session.execute(query)})


def refusal_section(counts: Counter, refused_referrals: Value) -> Section:
    scopes = [str(s) for s in L.SCOPES]
    grid = Grid(
        tuple(L.SCOPE_LABELS[s] for s in scopes),
        (_("Refus"), _("Retraits")),
        tuple(
            (counts[(s, str(ConsentStatus.REFUSED))], counts[(s, str(ConsentStatus.WITHDRAWN))])
            for s in scopes
        ),
    )
    table = masking.table(
        "refus_par_perimetre",
        _("Refus et retraits de consentement, par périmètre"),
        _("Périmètre du consentement"),
        grid,
        note=_("Décisions du patient enregistrées sur la période. ") + _(L.CATEGORY_NOT_APPLIED),
    )
    return Section(
        "refus",
        _("Refus des patients"),
        (table,),
        (
            Headline(_("Orientations refusées par le patient"), refused_referrals),
            Headline(_("Refus de consentement"), table.total(_("Refus")) or Value.count(0)),
            Headline(_("Retraits de consentement"), table.total(_("Retraits")) or Value.count(0)),
        ),
    )


# ---- the permanence -------------------------------------------------------------------------
COUNTED = (
    (N_("Rendez-vous pris"), ("booked", "confirmed", "seen", "no_show"), True),
    (N_("Patients reçus"), ("seen",), False),
    (N_("Absences"), ("no_show",), False),
    (N_("Annulés par la maison de santé"), ("cancelled_clinic",), False),
    (N_("Annulés par le patient"), ("cancelled_patient",), False),
)
OCCUPANCY = N_("Taux d'occupation")
HELD, OFFERED = N_("Demi-journées tenues"), N_("Créneaux offerts")


def social_workers(session: Session, flt: StatsFilter) -> list[int]:
    query = select(User.id).where(User.role == str(Role.SOCIAL_WORKER))
    if flt.professional_id is not None:
        query = query.where(User.id == flt.professional_id)
    return list(session.scalars(query))


def appointment_counts(
    session: Session, period: Period, workers: list[int], now: datetime
) -> Counter:
    """(month, status, in a session) → appointments of the social workers, up to now."""
    if not workers:
        return Counter()
    month = bucket(Appointment.starts_at, period.edges()).label("month")
    in_session = Appointment.session_id.is_not(None).label("in_session")
    query = (
        select(month, Appointment.status, in_session, func.count())
        .where(
            Appointment.professional_id.in_(workers),
            Appointment.starts_at >= period.begins,
            Appointment.starts_at < min(period.ends, now),
        )
        .group_by(month, Appointment.status, in_session)
    )
    return Counter(
        {(int(m), status, bool(s)): int(n) for m, status, s, n in session.execute(query)}
    )


def waiting_list(session: Session, period: Period, workers: list[int]) -> tuple[Counter, dict]:
    """(status → entries created in the period), spreads of the wait (key 0) and the length
    of the list today (key « now »)."""
    if not workers:
        return Counter(), {}
    entry = WaitingListEntry
    in_period = (
        entry.professional_id.in_(workers),
        entry.created_at >= period.begins,
        entry.created_at < period.ends,
    )
    statuses = Counter(
        {
            status: int(n)
            for status, n in session.execute(
                select(entry.status, func.count()).where(*in_period).group_by(entry.status)
            )
        }
    )
    statuses["now"] = int(
        session.scalar(
            select(func.count()).where(
                entry.professional_id.in_(workers), entry.status == "waiting"
            )
        )
        or 0
    )
    days = Dialect.of(session).days(entry.created_at, Appointment.booked_at)
    source = (
        select(literal(0).label("k"), days.label("v"))
        .select_from(entry)
        .join(Appointment, Appointment.id == entry.appointment_id)
        .where(*in_period, entry.status == "booked")
    )
    return statuses, spreads(session, source)


def _counts_table(counts: Counter, held: dict, period: Period) -> StatTable:
    months = period.months()
    grid = Grid(
        tuple(month_label(m) for m in months),
        tuple(_(label) for label, _s, _in in COUNTED),
        tuple(
            tuple(
                sum(counts[(i, s, True)] + (0 if only_sessions else counts[(i, s, False)])
                    for s in statuses)
                for _label, statuses, only_sessions in COUNTED
            )
            for i in range(len(months))
        ),
        row_totals=False,
    )  # fmt: skip
    masked = masking.table("x", "", "", grid)
    rows = []
    for i, row in enumerate(masked.rows):
        days, slots = held.get(i, (0, 0)) if not row.total else _sum(held)
        booked = row.values[0]
        occupancy = Value.percent(booked, Value.count(slots))
        rows.append(
            StatRow(
                row.label,
                (Value.count(days), Value.count(slots), booked, occupancy, *row.values[1:]),
                row.total,
            )
        )
    return StatTable(
        "permanence_par_mois",
        _("Permanence de l'assistante sociale, mois par mois"),
        _("Mois"),
        (_(HELD), _(OFFERED), _(COUNTED[0][0]), _(OCCUPANCY), *(_(c[0]) for c in COUNTED[1:])),
        tuple(rows),
        _(
            "Rendez-vous pris : créneaux des permanences occupés (patient reçu, absent ou "
            "attendu). Jusqu'à aujourd'hui. "
        )
        + _(L.CATEGORY_NOT_APPLIED),
    )


def _sum(held: dict) -> tuple[int, int]:
    return sum(d for d, _s in held.values()), sum(s for _d, s in held.values())


def permanence_section(
    session: Session, period: Period, flt: StatsFilter, now: datetime
) -> Section:
    workers = social_workers(session, flt)
    counts = appointment_counts(session, period, workers, now)
    held = held_by_month(session, period, workers)
    by_month = _counts_table(counts, held, period)
    statuses, waits = waiting_list(session, period, workers)
    listed = masking.single_column(
        "liste_attente",
        _("Liste d'attente : inscriptions de la période"),
        _("Devenir de l'inscription"),
        _("Inscriptions"),
        [
            (_("Rendez-vous obtenu"), statuses["booked"]),
            (_("Retirée de la liste"), statuses["removed"]),
            (_("Toujours en attente"), statuses["waiting"]),
        ],
    )
    wait = spread_table(
        "attente_liste",
        _("Attente sur la liste avant un rendez-vous (en jours)"),
        _("Mesure"),
        [(_("Inscription → rendez-vous pris"), waits.get(0, NO_SPREAD))],
    )
    total = next(r for r in by_month.rows if r.total).values
    seen, absent = total[4], total[5]
    return Section(
        "permanence",
        _("Permanence"),
        (by_month, listed, wait),
        (
            Headline(_("Demi-journées tenues"), total[0]),
            Headline(_(OCCUPANCY), total[3]),
            Headline(_("Taux d'absence"), _absence_rate(seen, absent), _("des rendez-vous passés")),
            Headline(_("En liste d'attente aujourd'hui"), masking.count(statuses["now"])),
        ),
    )


def _absence_rate(seen: Value, absent: Value) -> Value:
    if seen.masked or absent.masked:
        return Value.secondary()
    return Value.percent(absent, Value.count(int((seen.number or 0) + (absent.number or 0))))
