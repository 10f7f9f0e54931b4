"""Referrals: how many, by month, reason category, sender's profession, destination and
outcome; orientation errors (reoriented, to which service, under which guide rule) and the
guide's use.

One SQL query counts the period's referrals grouped by every readable dimension at once (a
small « cube » of counts); the tables are sums over it. A referral is dated by its sending
(or, refused by the patient at sending, by that refusal); drafts and drafts cancelled before
sending are not referrals yet. Read columns: ``sent_at``, ``closed_at``, ``status``,
``reason_category``, ``sender_id`` (→ profession), ``partner_id`` (→ kind), ``from_guide``,
``reoriented_to_id`` (→ kind), ``orientation_error_rule``. Nothing sealed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from app.i18n import _
from app.models import Partner, Referral, User
from app.services.referrals.records import ReferralStatus
from app.services.statistics import labels as L
from app.services.statistics import masking
from app.services.statistics.masking import Grid
from app.services.statistics.model import Headline, Section, StatsFilter, StatTable, Value
from app.services.statistics.periods import Period, month_label
from app.services.statistics.sql import bucket

CLINIC = "clinic"


@dataclass(frozen=True)
class CubeRow:
    month: int
    outcome: int
    category: str
    profession: str
    destination: str  # CLINIC or the partner's kind
    from_guide: bool | None
    reoriented_to: str | None  # the partner's kind
    rule: str
    n: int


def referral_filters(flt: StatsFilter) -> list:
    out = []
    if flt.professional_id is not None:
        out.append(
            or_(
                Referral.sender_id == flt.professional_id,
                Referral.receiver_id == flt.professional_id,
            )
        )
    if flt.reason_category:
        out.append(Referral.reason_category == flt.reason_category)
    return out


def cube(session: Session, period: Period, flt: StatsFilter) -> list[CubeRow]:
    begins, ends = period.begins, period.ends
    columns = (
        Referral.status,
        Referral.reason_category,
        Referral.sender_id,
        Referral.partner_id,
        Referral.from_guide,
        Referral.reoriented_to_id,
        Referral.orientation_error_rule,
    )
    where = referral_filters(flt)
    sent = select(*columns, Referral.sent_at.label("at")).where(
        Referral.sent_at >= begins, Referral.sent_at < ends, *where
    )
    refused = select(*columns, Referral.closed_at.label("at")).where(
        Referral.status == str(ReferralStatus.REFUSED_BY_PATIENT),
        Referral.sent_at.is_(None),
        Referral.closed_at >= begins,
        Referral.closed_at < ends,
        *where,
    )
    dated = union_all(sent, refused).subquery("dated")
    destination, reoriented = aliased(Partner), aliased(Partner)
    month = bucket(dated.c.at, period.edges()).label("month")
    keys = (
        month,
        dated.c.status,
        dated.c.reason_category,
        User.profession,
        destination.kind,
        dated.c.from_guide,
        reoriented.kind,
        dated.c.orientation_error_rule,
    )
    query = (
        select(*keys, func.count())
        .select_from(dated)
        .join(User, User.id == dated.c.sender_id)
        .outerjoin(destination, destination.id == dated.c.partner_id)
        .outerjoin(reoriented, reoriented.id == dated.c.reoriented_to_id)
        .group_by(*keys)
    )
    return [
        CubeRow(
            int(m),
            L.OUTCOME_OF.get(status, 0),
            category or "",
            profession,
            kind or CLINIC,
            None if guide is None else bool(guide),
            reo,
            rule or "",
            int(n),
        )
        for m, status, category, profession, kind, guide, reo, rule, n in session.execute(query)
        if m is not None
    ]


def _grid(
    rows: list[CubeRow],
    key: Callable[[CubeRow], Hashable],
    order: list[tuple[Hashable, str]],
) -> Grid:
    """Counts by ``key`` (rows, in ``order``, with their labels) and outcome (columns)."""
    counts: Counter = Counter()
    for r in rows:
        counts[(key(r), r.outcome)] += r.n
    known = {k for k, _label in order}
    extra = sorted({k for k, _o in counts if k not in known}, key=str)
    order = order + [(k, str(k)) for k in extra]
    return Grid(
        tuple(label for _k, label in order),
        tuple(L.OUTCOME_LABELS),
        tuple(tuple(counts[(k, o)] for o in range(len(L.OUTCOMES))) for k, _label in order),
    )


def _destinations(rows: list[CubeRow]) -> list[tuple[Hashable, str]]:
    kinds = sorted({r.destination for r in rows if r.destination != CLINIC})
    return [(CLINIC, _(L.CLINIC_DESTINATION))] + [(k, L.PARTNER_KINDS.get(k, k)) for k in kinds]


REORIENTED, REFUSED = L.OUTCOME_INDEX["reoriented"], L.OUTCOME_INDEX["refused"]
GRAND_TOTAL = len(L.OUTCOMES)  # the « Total » column of the outcome tables


def referral_sections(rows: list[CubeRow], period: Period) -> tuple[Section, Section]:
    """« Orientations » and « Erreurs d'orientation ». Their tables share totals (how many
    referrals, how many reoriented): a total hidden in one is hidden in all (masking, rule 3)."""
    hidden: frozenset[int] = frozenset()
    while True:
        outcome_tables = _outcome_tables(rows, period, hidden)
        shown = masking.hidden_totals_of(outcome_tables[0])
        errors, also_hidden = _errors_tables(
            rows, hide_reoriented=REORIENTED in shown, hide_total=GRAND_TOTAL in shown
        )
        if also_hidden <= shown:
            break
        hidden = shown | also_hidden
    return _referral_section(outcome_tables), _errors_section(errors)


def _outcome_tables(rows: list[CubeRow], period: Period, hidden: frozenset[int]):
    months = [(i, month_label(m)) for i, m in enumerate(period.months())]
    categories = [(str(c), L.CATEGORY_LABELS[str(c)]) for c in L.CATEGORIES]
    professions = [(str(p), L.PROFESSION_NAMES[str(p)]) for p in L.SENDER_PROFESSIONS]
    return masking.linked_tables(
        [
            ("orientations_par_mois", _("Orientations par mois et par issue"), _("Mois"),
             _grid(rows, lambda r: r.month, months)),
            ("orientations_par_motif", _("Par catégorie de motif et par issue"),
             _("Catégorie de motif"),
             _grid(rows, lambda r: r.category or _(L.CATEGORY_UNKNOWN), categories)),
            ("orientations_par_profession", _("Par profession de l'émetteur et par issue"),
             _("Profession de l'émetteur"), _grid(rows, lambda r: r.profession, professions)),
            ("orientations_par_destination", _("Par destination et par issue"), _("Destination"),
             _grid(rows, lambda r: r.destination, _destinations(rows))),
        ],
        hidden_totals=hidden,
    )  # fmt: skip


def _total(table: StatTable, outcome: str) -> Value:
    return table.total(L.OUTCOME_LABELS[L.OUTCOME_INDEX[outcome]]) or Value.count(0)


def _referral_section(tables: list[StatTable]) -> Section:
    first = tables[0]
    headlines = (
        Headline(_("Orientations"), first.total(masking.TOTAL) or Value.count(0),
                 _("envoyées (ou refusées par le patient à l'envoi)")),
        Headline(_("Prises en charge"), _total(first, "taken")),
    )  # fmt: skip
    return Section(
        "orientations",
        _("Orientations"),
        tuple(tables),
        headlines,
        _("Une orientation compte le mois de son envoi ; les brouillons ne comptent pas."),
    )


def _guide_table(rows: list[CubeRow], hide_reoriented: bool, hide_total: bool) -> StatTable:
    counts: Counter = Counter()
    for r in rows:
        counts[(r.from_guide, r.outcome == REORIENTED)] += r.n
    unknown = counts[(None, True)] or counts[(None, False)]
    shown = [(g, _(label)) for g, label in L.GUIDE_ROWS if g is not None or unknown]
    grid = Grid(
        tuple(label for _g, label in shown),
        (_("Réorientées"), _("Non réorientées")),
        tuple((counts[(g, True)], counts[(g, False)]) for g, _label in shown),
    )
    # Its totals are the number reoriented, the others, all referrals: « others » gives away
    # the number reoriented or all referrals when either is hidden.
    hidden = ({0, 1} if hide_reoriented else set()) | ({1, 2} if hide_total else set())
    return masking.table(
        "usage_du_guide",
        _("Usage du guide d'orientation"),
        _("Orientation"),
        grid,
        note=_("Proposée par le guide : écrite à partir de la proposition du guide d'orientation."),
        hidden_totals=frozenset(hidden),
    )


def _errors_tables(
    rows: list[CubeRow], *, hide_reoriented: bool, hide_total: bool
) -> tuple[tuple[StatTable, ...], frozenset[int]]:
    """The tables, and the outcome totals they hide that the outcome tables must hide too."""
    services: Counter = Counter()
    rules: Counter = Counter()
    for r in rows:
        if r.outcome == REORIENTED:
            services[r.reoriented_to or ""] += r.n
            rules[r.rule or L.RULE_UNKNOWN] += r.n
    by_service = masking.single_column(
        "reorientations_par_service",
        _("Réorientations : vers quel service"),
        _("Service"),
        _("Réorientations"),
        [(L.PARTNER_KINDS.get(k, _("Non précisé")), n) for k, n in sorted(services.items())],
        hide_total=hide_reoriented,
    )
    by_rule = masking.single_column(
        "reorientations_par_regle",
        _("Réorientations : la règle du guide qui aurait dû s'appliquer"),
        _("Règle du guide"),
        _("Réorientations"),
        [(_rule_label(code), n) for code, n in sorted(rules.items())],
        hide_total=hide_reoriented,
    )
    guide = _guide_table(rows, hide_reoriented, hide_total)
    hidden_guide = masking.hidden_totals_of(guide)
    also: set[int] = set()
    if {0, 1} & hidden_guide or any(masking.hidden_totals_of(t) for t in (by_service, by_rule)):
        also.add(REORIENTED)
    if 2 in hidden_guide:
        also.add(GRAND_TOTAL)
    return (by_service, by_rule, guide), frozenset(also)


def _errors_section(tables: tuple[StatTable, ...]) -> Section:
    guide = tables[2]
    every = guide.total(masking.TOTAL) or Value.count(0)
    reoriented = guide.total(_("Réorientées")) or Value.count(0)
    headlines = [
        Headline(_("Part réorientée"), Value.percent(reoriented, every),
                 _("des orientations : erreurs d'orientation")),
    ]  # fmt: skip
    for row in guide.body():
        share = Value.percent(row.values[0], row.values[2])
        label = _("Part réorientée — {label}").format(label=row.label)
        headlines.append(Headline(label, share))
    return Section(
        "erreurs",
        _("Erreurs d'orientation"),
        tables,
        tuple(headlines),
        _(
            "Une orientation réorientée par son destinataire vers le bon service est une erreur "
            "d'orientation."
        ),
    )


def _rule_label(code: str) -> str:
    if code == L.RULE_UNKNOWN:
        return _("Règle non précisée")
    rule = L.RULES_BY_CODE.get(code)
    return f"{code} — {rule.description}" if rule else code
