"""The activity report (PDF): what an MSP sends each year to its ARS and to the CARSAT.

Laid out by the one PDF module (``app.services.kernel.pdf``: letterhead, number, author, « Page
n/N », footer), from a computed :class:`Dashboard` only: its masked tables, headlines and
charts (vector graphics, ``charts``). It names no patient and carries no sealed content; its
number is a « non archivé » one (``REL-<year>-NA-…``): it belongs to no patient file.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Clinic
from app.services.kernel import pdf
from app.services.kernel.actor import Actor
from app.services.kernel.timefmt import fmt_datetime, local
from app.services.statistics import charts, masking
from app.services.statistics import labels as L
from app.services.statistics.model import (
    MASKED_PART,
    MASKING_NOTE,
    Dashboard,
    Section,
    StatTable,
)
from app.services.statistics.periods import year_period

WIDTH = 174 * mm  # A4 less the margins
FOOTER = (
    "Statistiques d'activité agrégées, sans nom de patient : les effectifs de 1 à 4 sont "
    "masqués (« < 5 »), et d'autres cases au besoin (« masqué ») pour qu'aucun ne soit "
    "retrouvé par soustraction."
)
CHART_NOTE = (
    "Une part « Masqué » d'une barre réunit les cases masquées de son mois ; une barre masquée "
    "n'est pas dessinée (son libellé le dit)."
)
MASKING_RULE = (
    "Règle de masquage. " + MASKING_NOTE + " Un pourcentage est masqué quand l'effectif dont "
    "il dépend l'est ; une médiane ou un 90e centile n'est donné qu'à partir de 5 mesures. "
    "Les demi-journées et créneaux de permanence, qui ne décrivent aucun patient, sont donnés "
    "tels quels. Sources : dossiers de Relais (dates, statuts, catégories de motif et "
    "destinations des orientations ; aucune donnée chiffrée, aucun motif ni message n'est lu)."
)


def letterhead(session: Session) -> pdf.Letterhead:
    clinic = session.scalar(select(Clinic).limit(1))
    if clinic is None:
        return pdf.Letterhead("Maison de santé")
    return pdf.Letterhead(clinic.name, clinic.address, clinic.phone, clinic.finess)


def title(dashboard: Dashboard) -> str:
    return f"Rapport d'activité — {dashboard.period_label}"


def _is_year(dashboard: Dashboard) -> bool:
    flt = dashboard.filter
    period = year_period(flt.start.year)
    return (flt.start, flt.end) == (period.start, period.end)


def _table(table: StatTable) -> list[Flowable]:
    widths, header = _widths(table)
    body = pdf.table(
        [table.row_header, *table.columns],
        [[row.label, *(v.text for v in row.values)] for row in table.rows],
        widths=widths,
        header_style=header,
    )
    out: list[Flowable] = [pdf.text(table.title, "label"), Spacer(1, 1.5 * mm), body]
    if table.note:
        out += [Spacer(1, 1 * mm), pdf.text(table.note, "muted")]
    return [KeepTogether(out), Spacer(1, 4 * mm)]


def _widths(table: StatTable) -> tuple[list[float], str]:
    """Column widths on the page, and the column titles' style: each column at least as wide
    as its longest word (a title breaks between words), the row labels' as wide as they need
    within limits, the space left shared by the value columns. A table too wide for that gets
    smaller titles, then columns of equal width."""
    pad = 12  # the table's left and right padding
    labels = [r.label for r in table.rows]
    whole = max(stringWidth(t, pdf.FONT, 8.5) + pad for t in labels)

    def need(texts: list[str], font: str, size: float = 8.5) -> float:
        return max((stringWidth(w, font, size) + pad for t in texts for w in t.split()),
                   default=pad)  # fmt: skip

    for header, size in (("small_label", 8.5), ("tiny_label", 7.5)):
        mins = [
            max(need([title], pdf.FONT_BOLD, size), need([r.values[j].text for r in table.rows],
                                                         pdf.FONT))
            for j, title in enumerate(table.columns)
        ]  # fmt: skip
        first = max(need(labels, pdf.FONT), need([table.row_header], pdf.FONT_BOLD, size),
                    min(whole, 80 * mm, WIDTH - sum(mins)))  # fmt: skip
        spare = WIDTH - first - sum(mins)
        if spare >= 0:
            return [first, *(m + spare / max(1, len(mins)) for m in mins)], header
    first = min(whole, 40 * mm)
    rest = (WIDTH - first) / max(1, len(table.columns))
    return [first, *([rest] * len(table.columns))], "tiny_label"


def _values(table: StatTable, column: str) -> list[float | None]:
    return [v.number for v in table.column(column)]


def _shown(values) -> list[float | str | None]:  # type: ignore[no-untyped-def]
    """A bar's length, or the text of a masked figure."""
    return [None if v is None else (v.text if v.number is None else v.number) for v in values]


def _charts(section: Section, dashboard: Dashboard) -> list[Flowable]:
    """The section's charts (the same as the dashboard's)."""
    out: list[Flowable] = []
    if section.key == "orientations":
        months = dashboard.table("orientations_par_mois")
        series = [(name, _values(months, name)) for name in L.OUTCOME_LABELS]
        rest = months.masked_rest(L.OUTCOME_LABELS, masking.TOTAL)
        if any(rest):
            series.append((MASKED_PART, list(rest)))
        out.append(charts.stacked_bars([r.label for r in months.body()], series, WIDTH, 190))
        outcomes = [months.total(name) for name in L.OUTCOME_LABELS]
        out.append(charts.hbars(list(L.OUTCOME_LABELS), _shown(outcomes), WIDTH))
    elif section.key == "delais":
        monthly = dashboard.table("delais_par_mois")
        series = [(c.split(" (")[0], _values(monthly, c)) for c in monthly.columns[1:]]
        out.append(charts.lines([r.label for r in monthly.body()], series, WIDTH, 170))
    elif section.key == "erreurs":
        services = dashboard.table("reorientations_par_service")
        if services.body():
            out.append(
                charts.hbars(
                    [r.label for r in services.body()],
                    _shown(services.column("Réorientations")),
                    WIDTH,
                )
            )
    if out:
        out.append(pdf.text(CHART_NOTE, "muted"))
    return out


def _headlines(dashboard: Dashboard) -> list[tuple[str, str]]:
    rows = []
    for section in dashboard.sections:
        for h in section.headlines:
            unit = f" ({h.detail})" if h.detail else ""
            rows.append((f"{section.title} — {h.label}", f"{h.value.text}{unit}"))
    return rows


def build_story(dashboard: Dashboard) -> list[Flowable]:
    story: list[Flowable] = [
        pdf.key_values(
            [
                ("Période", dashboard.period_label),
                ("Activité", dashboard.scope_label),
                ("Motifs", dashboard.category_label),
                ("Chiffres arrêtés le", fmt_datetime(dashboard.generated_at)),
            ]
        ),
        Spacer(1, 3 * mm),
        pdf.framed([pdf.text(FOOTER, "small")]),
        *pdf.section("Chiffres clés", [pdf.key_values(_headlines(dashboard), (95 * mm, 79 * mm))]),
    ]
    for section in dashboard.sections:
        content: list[Flowable] = []
        if section.note:
            content.append(pdf.text(section.note, "muted"))
        content += _charts(section, dashboard)
        tables = list(section.tables)
        if not content and tables:  # the title stays with the first table
            content = _table(tables.pop(0))
        story += pdf.section(section.title, content or [Spacer(1, 1)])
        for table in tables:
            story += _table(table)
    story += pdf.section("Méthode", [pdf.text(MASKING_RULE, "small")])
    return story


def render_report(session: Session, actor: Actor, dashboard: Dashboard, now: datetime) -> bytes:
    year = local(now).year
    meta = pdf.DocumentMeta(
        title=title(dashboard),
        number=f"REL-{year}-NA-{secrets.token_hex(3).upper()}",
        author=actor.display_name,
        created_at=now,
        letterhead=letterhead(session),
        confidentiality=FOOTER,
        subject="Rapport d'activité annuel" if _is_year(dashboard) else "Rapport d'activité",
    )
    return pdf.render(meta, build_story(dashboard))
