"""What the statistics hand to the views, the PDF report and the CSV export: plain data.

A :class:`Dashboard` is a list of :class:`Section` (referrals, delays, orientation errors,
refusals, the permanence, home care and discharge), each with a few headline figures and
:class:`StatTable` s. Every cell is a :class:`Value`: the figure as shown (French), the number
behind it (charts, CSV) — or, when the cell is masked, no number at all: a masked figure never
leaves the service (``app.services.statistics.masking``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from app.i18n import N_
from app.services.kernel.errors import RelaisError

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are masked
MASK_SMALL = "< 5"  # a count under the threshold
MASK_SECONDARY = "masqué"  # hidden so that a « < 5 » cannot be worked out by subtraction
NOT_MEASURED = "—"
NBSP = "\u00a0"

MASKED_PART = "Masqué (moins de 5, ou caché)"  # the charts' part of a bar hidden in the table
MASKING_NOTE = N_(
    "« < 5 » : moins de 5 (de 1 à 4), masqué pour qu'aucun patient ne puisse être reconnu. "
    "« masqué » : caché en plus, pour qu'une case « < 5 » ne puisse pas être retrouvée par "
    "soustraction à partir des totaux."
)


class StatisticsCancelled(RelaisError):
    """The computation was cancelled (between two queries)."""

    def __init__(self) -> None:
        super().__init__("Calcul des statistiques annulé.")


def fr_number(value: float, decimals: int = 0) -> str:
    """« 1 234 », « 3,5 »: French digit grouping and decimal comma."""
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


@dataclass(frozen=True)
class Value:
    """One cell. ``number`` is None when the cell is masked or not measured."""

    text: str
    number: float | None = None
    masked: bool = False
    decimals: int = 0

    @classmethod
    def count(cls, n: int) -> Value:
        return cls(fr_number(n), float(n))

    @classmethod
    def small(cls) -> Value:
        return cls(MASK_SMALL, None, True)

    @classmethod
    def secondary(cls) -> Value:
        return cls(MASK_SECONDARY, None, True)

    @classmethod
    def measure(cls, x: float | None, decimals: int = 1) -> Value:
        if x is None:
            return cls(NOT_MEASURED)
        return cls(fr_number(x, decimals), float(x), decimals=decimals)

    @classmethod
    def percent(cls, part: Value, whole: Value) -> Value:
        """``part`` out of ``whole`` in %, masked when either is (else it gives it away)."""
        if part.masked or whole.masked:
            return cls.secondary()
        if not whole.number:
            return cls(NOT_MEASURED)
        share = 100 * (part.number or 0) / whole.number
        return cls(f"{fr_number(share, 1)}{NBSP}%", round(share, 1), decimals=1)

    def csv_text(self) -> str:
        """For a French spreadsheet: a bare number (decimal comma), else the shown text."""
        if self.number is None:
            return self.text
        if self.decimals == 0:
            return str(round(self.number))
        return f"{self.number:.{self.decimals}f}".replace(".", ",")


@dataclass(frozen=True)
class StatRow:
    label: str
    values: tuple[Value, ...]
    total: bool = False


@dataclass(frozen=True)
class StatTable:
    """``key`` names the CSV file (« orientations_par_mois »)."""

    key: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[StatRow, ...]
    note: str = ""

    def body(self) -> tuple[StatRow, ...]:
        """The rows without the total row."""
        return tuple(r for r in self.rows if not r.total)

    def column(self, name: str) -> list[Value]:
        index = self.columns.index(name)
        return [r.values[index] for r in self.body()]

    def total(self, name: str) -> Value | None:
        index = self.columns.index(name)
        return next((r.values[index] for r in self.rows if r.total), None)

    @property
    def masked(self) -> bool:
        return any(v.masked for r in self.rows for v in r.values)

    def masked_rest(self, names: tuple[str, ...] | list[str], total: str) -> list[float]:
        """Per row, what its masked cells among ``names`` add up to, from the row's total and
        its visible cells (both shown: nothing more is given away); 0 when the row's total is
        masked too. The charts draw it as one « masqué » part."""
        rest = []
        for row in self.body():
            whole = row.values[self.columns.index(total)]
            cells = [row.values[self.columns.index(n)] for n in names]
            if whole.number is None or not any(c.masked for c in cells):
                rest.append(0.0)
            else:
                rest.append(whole.number - sum(c.number or 0 for c in cells))
        return rest


@dataclass(frozen=True)
class Headline:
    label: str
    value: Value
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[StatTable, ...]
    headlines: tuple[Headline, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class StatsFilter:
    """Clinic days ``start`` to ``end`` (both included), one professional's activity (None:
    the whole clinic) and one reason category (referrals only; None: every one)."""

    start: date
    end: date
    professional_id: int | None = None
    reason_category: str | None = None


@dataclass(frozen=True)
class Professional:
    id: int
    label: str


@dataclass(frozen=True)
class Dashboard:
    filter: StatsFilter
    scope_label: str  # « Toute la maison de santé », « Mes orientations (Dr …) »
    period_label: str
    category_label: str
    generated_at: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def tables(self) -> Iterator[StatTable]:
        for section in self.sections:
            yield from section.tables

    def table(self, key: str) -> StatTable:
        return next(t for t in self.tables() if t.key == key)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
