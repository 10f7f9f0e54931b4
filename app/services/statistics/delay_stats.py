"""Delays of the referrals: sent → received → first appointment booked → patient seen →
closed, and sent → seen (the study's « prise en charge plus rapide ») month by month.

Medians and 90th percentiles in days, computed by the database (``sql.spreads``) over the
referrals sent in the period, from their readable timestamps only. A figure measured on fewer
than 5 referrals is not shown.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import case, literal, select, union_all
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import Referral
from app.services.referrals.records import ReferralStatus
from app.services.statistics import masking
from app.services.statistics.labels import LabelTuple
from app.services.statistics.masking import Grid
from app.services.statistics.model import (
    MASK_SMALL,
    NBSP,
    THRESHOLD,
    Headline,
    Section,
    StatRow,
    StatsFilter,
    StatTable,
    Value,
)
from app.services.statistics.periods import Period, month_label
from app.services.statistics.referral_stats import referral_filters
from app.services.statistics.sql import NO_SPREAD, Dialect, Spread, bucket, spreads

R = Referral
STAGES = (
    (N_("Envoi → réception"), R.sent_at, R.received_at, False),
    (N_("Réception → premier rendez-vous fixé"), R.received_at, R.booked_at, False),
    (N_("Rendez-vous fixé → patient reçu"), R.booked_at, R.seen_at, False),
    (N_("Patient reçu → clôture"), R.seen_at, R.closed_at, True),
    (N_("Envoi → patient reçu (prise en charge)"), R.sent_at, R.seen_at, False),
)
TAKEN = len(STAGES) - 1  # sent → seen
MONTHLY = 100  # keys of the monthly spreads: MONTHLY + month index
COLUMNS = LabelTuple((N_("Mesurées"), N_("Médiane (jours)"), N_("90e centile (jours)")))


def measure(session: Session, period: Period, flt: StatsFilter) -> dict[int, Spread]:
    """Spreads by stage (keys 0…) and, for sent → seen, by month of sending (MONTHLY + i).

    The referrals sent in the period are read once (a materialised CTE holding each stage's
    duration, NULL when not measured); the spreads are then ranked over it."""
    dialect = Dialect.of(session)
    closed = R.status == str(ReferralStatus.CLOSED)
    columns = [bucket(R.sent_at, period.edges()).label("month")]
    for index, (_label, since, until, closed_only) in enumerate(STAGES):
        days = dialect.days(since, until)  # NULL when either stamp is
        columns.append(
            (case((closed, days), else_=None) if closed_only else days).label(f"d{index}")
        )
    durations = (
        select(*columns)
        .where(R.sent_at >= period.begins, R.sent_at < period.ends, *referral_filters(flt))
        .cte("durations")
        .prefix_with("MATERIALIZED")
    )
    parts = [
        select(literal(index).label("k"), durations.c[f"d{index}"].label("v"))
        for index in range(len(STAGES))
    ]
    parts.append(select((durations.c.month + MONTHLY).label("k"), durations.c[f"d{TAKEN}"]))
    source = union_all(*parts).subquery("delays")
    return spreads(session, select(source.c.k, source.c.v))


def spread_values(spread: Spread, n: Value | None = None) -> tuple[Value, ...]:
    """(how many, median, 90th percentile): the two last only from THRESHOLD measures."""
    count = n if n is not None else masking.count(spread.n)
    if spread.n < THRESHOLD:
        return count, Value.measure(None), Value.measure(None)
    return count, Value.measure(spread.median), Value.measure(spread.p90)


def spread_table(
    key: str, title: str, header: str, rows: list[tuple[str, Spread]], note: str = ""
) -> StatTable:
    """One row per measure (they do not add up: each count is masked on its own)."""
    return StatTable(
        key,
        title,
        header,
        tuple(COLUMNS),
        tuple(StatRow(label, spread_values(spread)) for label, spread in rows),
        note,
    )


def parts_table(
    key: str,
    title: str,
    header: str,
    rows: list[tuple[str, Spread]],
    total: Spread,
    note: str = "",
) -> StatTable:
    """One row per part of a whole (months, care kinds), then the whole: the counts add up,
    so they are masked together (``masking``): no part is found by subtraction."""
    counts = masking.table(
        "x", "", "",
        Grid(tuple(label for label, _s in rows), ("n",), tuple((s.n,) for _l, s in rows),
             row_totals=False),
    )  # fmt: skip
    out = [
        StatRow(label, spread_values(spread, counts.rows[i].values[0]))
        for i, (label, spread) in enumerate(rows)
    ]
    out.append(StatRow(masking.TOTAL, spread_values(total, counts.rows[-1].values[0]), True))
    return StatTable(key, title, header, tuple(COLUMNS), tuple(out), note)


def _monthly(spreads_by_key: dict[int, Spread], period: Period) -> StatTable:
    rows = [(month_label(m), spreads_by_key.get(MONTHLY + i, NO_SPREAD))
            for i, m in enumerate(period.months())]  # fmt: skip
    return parts_table(
        "delais_par_mois",
        _("Délai envoi → patient reçu, mois par mois"),
        _("Mois d'envoi"),
        rows,
        spreads_by_key.get(TAKEN, NO_SPREAD),
        _("Médiane et 90e centile affichés à partir de 5 orientations mesurées."),
    )


def _days(value: Value) -> Value:
    """« 14,3 j »."""
    if value.number is None:
        return value
    return replace(value, text=f"{value.text}{NBSP}{_('j')}")


def delay_section(spreads_by_key: dict[int, Spread], period: Period) -> Section:
    stages = spread_table(
        "delais_par_etape",
        _("Délais par étape (en jours)"),
        _("Étape"),
        [(_(label), spreads_by_key.get(i, NO_SPREAD)) for i, (label, *_r) in enumerate(STAGES)],
        _(
            "Réception → premier rendez-vous fixé : jusqu'au jour où le premier rendez-vous est "
            "pris. Patient reçu → clôture : orientations clôturées seulement."
        ),
    )
    taken = spread_values(spreads_by_key.get(TAKEN, NO_SPREAD))
    median = taken[1] if taken[0].text != MASK_SMALL else Value.measure(None)
    return Section(
        "delais",
        _("Délais"),
        (stages, _monthly(spreads_by_key, period)),
        (
            Headline(
                _("Délai médian de prise en charge"),
                _days(median),
                _("de l'envoi au patient reçu"),
            ),
            Headline(_("90e centile"), _days(taken[2]), _("9 patients sur 10 reçus avant")),
        ),
    )
