"""Home care and discharge: requests by care kind and outcome, time to acceptance, refusals
by partner; discharge plans by destination and ARDH eligibility; follow-ups done on time.

Read columns: ``home_care_request.care_kind``, ``status``, ``partner_id`` (→ the partner's
name: the clinic's directory), ``created_at``, ``sent_at``, ``accepted_at``,
``created_by_id``; ``discharge_plan.destination``, ``ardh_eligible``, ``status``,
``target_date``, ``created_by_id``; ``discharge_follow_up.due_on``, ``done_at``,
``owner_id``. Every detail (acts, access, the stay, aids, GIR…) stays sealed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import DischargeFollowUp, DischargePlan, HomeCareRequest, Partner
from app.services.statistics import labels as L
from app.services.statistics import masking
from app.services.statistics.delay_stats import parts_table
from app.services.statistics.masking import Grid
from app.services.statistics.model import Headline, Section, StatsFilter, StatTable, Value
from app.services.statistics.periods import Period
from app.services.statistics.sql import NO_SPREAD, Dialect, Spread, spreads

H = HomeCareRequest
FOLLOW_UP_COLUMNS = L.LabelTuple(
    (N_("Faits à temps"), N_("Faits en retard"), N_("En retard, non faits"), N_("À venir"))
)


def _requests_where(period: Period, flt: StatsFilter) -> list:
    where = [H.created_at >= period.begins, H.created_at < period.ends]
    if flt.professional_id is not None:
        where.append(H.created_by_id == flt.professional_id)
    return where


def request_counts(session: Session, period: Period, flt: StatsFilter) -> Counter:
    """(care kind, status, partner's name or None) → requests created in the period."""
    query = (
        select(H.care_kind, H.status, Partner.name, func.count())
        .outerjoin(Partner, Partner.id == H.partner_id)
        .where(*_requests_where(period, flt))
        .group_by(H.care_kind, H.status, Partner.name)
    )
    return Counter({(k, s, p): int(n) for k, s, p, n in session.execute(query)})


def acceptance(session: Session, period: Period, flt: StatsFilter) -> dict[int, Spread]:
    """Days from sending to acceptance, by care kind (index) and overall (key -1)."""
    days = Dialect.of(session).days(H.sent_at, H.accepted_at)
    kinds = [str(k) for k in L.CARE_KINDS]
    index = case(*((H.care_kind == k, literal(i)) for i, k in enumerate(kinds)), else_=-2)
    where = [*_requests_where(period, flt), H.sent_at.is_not(None), H.accepted_at.is_not(None)]
    source = union_all(
        select(index.label("k"), days.label("v")).where(*where),
        select(literal(-1).label("k"), days.label("v")).where(*where),
    ).subquery("acceptance")
    return spreads(session, select(source.c.k, source.c.v))


def plan_counts(session: Session, period: Period, flt: StatsFilter) -> Counter:
    """(destination, ARDH eligibility) → discharge plans due in the period (not cancelled)."""
    query = (
        select(DischargePlan.destination, DischargePlan.ardh_eligible, func.count())
        .where(
            DischargePlan.target_date >= period.start,
            DischargePlan.target_date <= period.end,
            DischargePlan.status != "cancelled",
        )
        .group_by(DischargePlan.destination, DischargePlan.ardh_eligible)
    )
    if flt.professional_id is not None:
        query = query.where(DischargePlan.created_by_id == flt.professional_id)
    return Counter({(d, e): int(n) for d, e, n in session.execute(query)})


def follow_up_counts(session: Session, period: Period, flt: StatsFilter, today: date) -> list:
    """Follow-ups due in the period: [on time, late, overdue, to come]."""
    f = DischargeFollowUp
    done_on = Dialect.of(session).local_date(
        f.done_at, period.begins - timedelta(days=400), period.ends + timedelta(days=800)
    )
    kind = case(
        (f.done_at.is_not(None) & (done_on <= f.due_on), literal(0)),
        (f.done_at.is_not(None), literal(1)),
        (f.due_on < today, literal(2)),
        else_=literal(3),
    ).label("kind")
    query = (
        select(kind, func.count())
        .where(f.due_on >= period.start, f.due_on <= period.end)
        .group_by(kind)
    )
    if flt.professional_id is not None:
        query = query.where(f.owner_id == flt.professional_id)
    counts = dict(session.execute(query).all())
    return [int(counts.get(i, 0)) for i in range(len(FOLLOW_UP_COLUMNS))]


def _requests_table(counts: Counter) -> StatTable:
    kinds = [str(k) for k in L.CARE_KINDS]
    grid = Grid(
        tuple(L.CARE_KIND_NAMES[k] for k in kinds),
        tuple(_(label) for label, _s in L.CARE_OUTCOMES),
        tuple(
            tuple(
                sum(n for (kk, s, _p), n in counts.items() if kk == k and s in statuses)
                for _label, statuses in L.CARE_OUTCOMES
            )
            for k in kinds
        ),
    )
    return masking.table(
        "soins_par_type",
        _("Demandes de soins à domicile, par type de soins et par issue"),
        _("Soins"),
        grid,
        note=_("Demandes créées sur la période. ") + _(L.CATEGORY_NOT_APPLIED),
    )


def _partners_table(counts: Counter) -> StatTable:
    by_partner: Counter = Counter()
    for (_k, status, partner), n in counts.items():
        if partner is not None and status not in ("to_send",):
            by_partner[(partner, status == "refused")] += n
    partners = sorted({p for p, _r in by_partner})
    grid = Grid(
        tuple(partners),
        (_("Refusées"), _("Non refusées")),
        tuple((by_partner[(p, True)], by_partner[(p, False)]) for p in partners),
    )
    return masking.table(
        "soins_refus_par_partenaire",
        _("Demandes adressées, refusées ou non, par partenaire"),
        _("Partenaire"),
        grid,
    )


def _plans_table(counts: Counter) -> StatTable:
    destinations = [str(d) for d in L.DESTINATIONS]
    grid = Grid(
        tuple(L.DESTINATION_NAMES[d] for d in destinations),
        tuple(L.ARDH_COLUMNS),
        tuple((counts[(d, True)], counts[(d, False)], counts[(d, None)]) for d in destinations),
    )
    return masking.table(
        "sorties_par_destination",
        _("Plans de sortie d'hospitalisation, par destination et éligibilité à l'ARDH"),
        _("Destination"),
        grid,
        note=_("Plans dont la date de sortie prévue tombe dans la période (hors plans annulés)."),
    )


def care_section(
    counts: Counter, spreads_by_key: dict[int, Spread], plans: Counter, follow_ups: list
) -> Section:
    requests = _requests_table(counts)
    kinds = [(L.CARE_KIND_NAMES[str(k)], spreads_by_key.get(i, NO_SPREAD))
             for i, k in enumerate(L.CARE_KINDS)]  # fmt: skip
    delays = parts_table(
        "soins_delai_acceptation",
        _("Délai entre l'envoi d'une demande et son acceptation (en jours)"),
        _("Soins"),
        kinds,
        spreads_by_key.get(-1, NO_SPREAD),
    )
    follow = masking.table(
        "suivis_apres_sortie",
        _("Suivis après la sortie (dates prévues dans la période)"),
        _("Suivis"),
        Grid(
            (_("Suivis prévus"),), tuple(FOLLOW_UP_COLUMNS), (tuple(follow_ups),), col_totals=False
        ),
    )
    plans_table = _plans_table(plans)
    on_time = follow.rows[0].values
    done = masking.count(follow_ups[0] + follow_ups[1])
    if on_time[1].masked:
        done = Value.secondary()
    return Section(
        "soins",
        _("Soins à domicile et sorties d'hospitalisation"),
        (requests, delays, _partners_table(counts), plans_table, follow),
        (
            Headline(_("Demandes de soins à domicile"), _total(requests)),
            Headline(_("Plans de sortie"), _total(plans_table)),
            Headline(
                _("Suivis faits à temps"), Value.percent(on_time[0], done), _("des suivis faits")
            ),
        ),
    )


def _total(table: StatTable) -> Value:
    return table.total(masking.TOTAL) or Value.count(0)
