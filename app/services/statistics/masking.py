"""Small-cell masking: no figure lets anyone recognise a patient (docs/security.md §3).

The rule, applied to every table of counts (referrals, appointments, requests, consents…):

1. **Primary masking.** A count from 1 to 4 is shown « < 5 ». Zero is shown: it describes no
   one. A total is a cell like any other.
2. **Secondary masking.** A table's rows and columns add up to their totals: each row (with
   its « Total » column) and each column (with its « Total » row) is a relation
   ``total = sum of cells``. A relation with exactly one hidden element would give it away by
   subtraction, so one more element of it is hidden (« masqué »): the smallest non-zero
   visible cell, else its total, else a zero cell; ties go to the cell whose crossing
   relation already hides something (fewer cells lost), then to the first. This is repeated
   until no relation hides exactly one element: a hidden cell is never alone in its row or
   in its column. Bounds give cells away too: « < 5 » cells that, by subtraction, add up to
   their smallest or largest possible sum (two « < 5 » making 2: both are 1) are each known,
   so such a relation has one more element hidden, chosen the same way.
   Several rows and columns combined could still give one away. In a table with both
   totals, draw its rows and columns as points and each hidden cell as a line between its
   row and its column: a hidden cell can be worked out exactly when its line is a *bridge*
   (no other path of hidden cells joins its row and its column). So every bridge is closed
   into a cycle by hiding one more cell that joins its two sides (the smallest, as above),
   and rule 2 is applied again, until no hidden cell is a bridge.
3. **Linked tables.** Tables that share their « Total » row (referrals by month, by reason
   category, by sender's profession and by destination, all broken down by outcome) hide the
   same cells of that row: a total hidden in one is hidden in all, and they are masked again
   until they agree.
4. Figures derived from counts follow them: a percentage is hidden when its numerator or its
   denominator is; a median or a 90th percentile is shown only when measured on at least 5
   referrals (or requests).

Organisational counts that describe no patient (half-days of permanence, slots offered) are
shown as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.statistics.model import THRESHOLD, StatRow, StatTable, Value

Cell = tuple[int, int]
TOTAL = "Total"


@dataclass(frozen=True)
class Grid:
    """Counts by row and column; ``row_totals``: a « Total » column (each row adds up);
    ``col_totals``: a « Total » row (each column adds up)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: bool = True
    col_totals: bool = True

    def matrix(self) -> list[list[int]]:
        """The counts with their totals (last column, last row)."""
        out = [list(row) for row in self.counts]
        if self.row_totals:
            for row in out:
                row.append(sum(row))
        if self.col_totals:
            width = len(self.columns) + (1 if self.row_totals else 0)
            out.append([sum(row[j] for row in out) for j in range(width)])
        return out


def _relations(grid: Grid, height: int, width: int) -> list[list[Cell]]:
    """Each relation lists its cells, its total last."""
    relations: list[list[Cell]] = []
    if grid.row_totals:
        relations += [[(i, j) for j in range(width)] for i in range(height)]
    if grid.col_totals:
        relations += [[(i, j) for i in range(height)] for j in range(width)]
    return [r for r in relations if len(r) > 1]


def _pick(
    relation: list[Cell], values: list[list[int]], hidden: set[Cell], relations: list[list[Cell]]
) -> Cell:
    """The element of ``relation`` to hide next (module docstring, rule 2)."""
    cells, total = relation[:-1], relation[-1]

    def crossing_hides(cell: Cell) -> bool:
        return any(
            cell in other and other is not relation and any(c in hidden for c in other)
            for other in relations
        )

    visible = [c for c in cells if c not in hidden]
    positive = [c for c in visible if values[c[0]][c[1]] > 0]
    if positive:
        return min(
            positive,
            key=lambda c: (values[c[0]][c[1]], not crossing_hides(c), c),
        )
    if total not in hidden:
        return total
    return visible[0]


def _pinned(
    relation: list[Cell], values: list[list[int]], hidden: set[Cell], primary: set[Cell]
) -> bool:
    """Whether the hidden cells of ``relation`` are all « < 5 » (each from 1 to 4) and,
    with its total shown, add up to their smallest or largest possible sum: each is then
    known (all 1, or all 4) (module docstring, rule 2)."""
    cells, total = relation[:-1], relation[-1]
    secret = [c for c in cells if c in hidden]
    if total in hidden or len(secret) < 2 or any(c not in primary for c in secret):
        return False
    rest = values[total[0]][total[1]] - sum(values[i][j] for i, j in cells if (i, j) not in hidden)
    return rest in (len(secret), (THRESHOLD - 1) * len(secret))


def mask(grid: Grid, hidden_totals: frozenset[int] = frozenset()) -> tuple[set[Cell], set[Cell]]:
    """(every hidden cell, the primary ones) of ``grid.matrix()``; ``hidden_totals``: columns
    of the « Total » row to hide from the start (linked tables)."""
    values = grid.matrix()
    height, width = len(values), len(values[0]) if values else 0
    primary = {(i, j) for i in range(height) for j in range(width) if 0 < values[i][j] < THRESHOLD}
    hidden = set(primary)
    if grid.col_totals:
        hidden |= {(height - 1, j) for j in hidden_totals if j < width}
    relations = _relations(grid, height, width)
    while True:
        changed = True
        while changed:
            changed = False
            for relation in relations:
                if sum(1 for c in relation if c in hidden) == 1 or _pinned(
                    relation, values, hidden, primary
                ):
                    hidden.add(_pick(relation, values, hidden, relations))
                    changed = True
        if not (grid.row_totals and grid.col_totals):
            return hidden, primary
        link = _close_bridge(values, hidden)
        if link is None:
            return hidden, primary
        hidden.add(link)


def _reach(hidden: set[Cell], start: tuple[str, int], without: Cell) -> set[tuple[str, int]]:
    """The rows (« r », i) and columns (« c », j) joined to ``start`` by hidden cells other
    than ``without``."""
    seen, todo = {start}, [start]
    while todo:
        kind, index = todo.pop()
        for i, j in hidden:
            if (i, j) == without or (kind == "r" and i != index) or (kind == "c" and j != index):
                continue
            other = ("c", j) if kind == "r" else ("r", i)
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _close_bridge(values: list[list[int]], hidden: set[Cell]) -> Cell | None:
    """A visible cell to hide so that the first hidden cell that is a bridge no longer is
    (module docstring, rule 2); None when no hidden cell is a bridge."""
    for cell in sorted(hidden):
        side = _reach(hidden, ("r", cell[0]), cell)
        if ("c", cell[1]) in side:
            continue
        other = _reach(hidden, ("c", cell[1]), cell)
        joining = [
            (i, j)
            for i in range(len(values))
            for j in range(len(values[0]))
            if (i, j) not in hidden
            and (
                (("r", i) in side and ("c", j) in other) or (("r", i) in other and ("c", j) in side)
            )
        ]
        if joining:
            return min(joining, key=lambda c: (values[c[0]][c[1]] == 0, values[c[0]][c[1]], c))
    return None


def count(n: int) -> Value:
    """One count on its own (no relation): « < 5 » from 1 to 4."""
    return Value.small() if 0 < n < THRESHOLD else Value.count(n)


def _value(n: int, cell: Cell, hidden: set[Cell], primary: set[Cell]) -> Value:
    if cell in primary:
        return Value.small()
    if cell in hidden:
        return Value.secondary()
    return Value.count(n)


def table(
    key: str,
    title: str,
    row_header: str,
    grid: Grid,
    *,
    note: str = "",
    hidden_totals: frozenset[int] = frozenset(),
) -> StatTable:
    """``grid`` masked, as a table with its totals."""
    hidden, primary = mask(grid, hidden_totals)
    values = grid.matrix()
    labels = list(grid.rows) + ([TOTAL] if grid.col_totals else [])
    columns = tuple(grid.columns) + ((TOTAL,) if grid.row_totals else ())
    rows = tuple(
        StatRow(
            label,
            tuple(_value(n, (i, j), hidden, primary) for j, n in enumerate(values[i])),
            total=grid.col_totals and i == len(values) - 1,
        )
        for i, label in enumerate(labels)
    )
    return StatTable(key, title, row_header, columns, rows, note)


def hidden_totals_of(table: StatTable) -> frozenset[int]:
    """The columns whose cell of the « Total » row is hidden."""
    row = next((r for r in table.rows if r.total), None)
    return frozenset(j for j, v in enumerate(row.values) if v.masked) if row else frozenset()


def linked_tables(
    specs: Sequence[tuple[str, str, str, Grid]],
    *,
    note: str = "",
    hidden_totals: frozenset[int] = frozenset(),
) -> list[StatTable]:
    """Tables sharing their « Total » row, masked so that they hide the same totals
    (``hidden_totals``: hidden in every one from the start)."""
    shared = hidden_totals
    while True:
        tables = [
            table(key, title, header, grid, note=note, hidden_totals=shared)
            for key, title, header, grid in specs
        ]
        found = shared.union(*(hidden_totals_of(t) for t in tables))
        if found == shared:
            return tables
        shared = found


def single_column(
    key: str, title: str, row_header: str, column: str, counts: Sequence[tuple[str, int]],
    *, note: str = "", hide_total: bool = False,
) -> StatTable:  # fmt: skip
    """A list of counts and their total (one relation); ``hide_total``: the total is hidden
    elsewhere, so here too."""
    grid = Grid(
        tuple(label for label, _n in counts),
        (column,),
        tuple((n,) for _label, n in counts),
        row_totals=False,
    )
    hidden = frozenset({0}) if hide_total else frozenset()
    return table(key, title, row_header, grid, note=note, hidden_totals=hidden)
