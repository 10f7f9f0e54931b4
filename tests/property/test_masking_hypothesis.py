"""Small-cell masking over random tables (app/services/statistics/masking.py): every count
from 1 to 4 is hidden, no hidden cell is alone in its row or column, and — checked here by
exact linear algebra, independently of the module's bridge rule — no hidden cell can be
worked out from the visible cells and the totals, whatever the rows and columns combined."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.services.statistics.masking import TOTAL, Grid, linked_tables, mask, table


def derivable(values: list[list[int]], hidden: set[tuple[int, int]], rows_add: bool,
              cols_add: bool) -> set[tuple[int, int]]:  # fmt: skip
    """The hidden cells whose value the relations (cells add up to their total) fix."""
    height, width = len(values), len(values[0])
    unknown = sorted(hidden)
    index = {cell: k for k, cell in enumerate(unknown)}
    relations = []
    if rows_add:
        relations += [[(i, j) for j in range(width)] for i in range(height)]
    if cols_add:
        relations += [[(i, j) for i in range(height)] for j in range(width)]
    matrix = []
    for relation in relations:
        row = [Fraction(0)] * len(unknown)
        for position, cell in enumerate(relation):
            if cell in index:
                row[index[cell]] = Fraction(-1 if position == len(relation) - 1 else 1)
        if any(row):
            matrix.append(row)
    # Reduced row echelon form: a variable is fixed when its pivot row has nothing else.
    pivots, r = [], 0
    for c in range(len(unknown)):
        found = next((k for k in range(r, len(matrix)) if matrix[k][c] != 0), None)
        if found is None:
            continue
        matrix[r], matrix[found] = matrix[found], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [x / lead for x in matrix[r]]
        for k in range(len(matrix)):
            if k != r and matrix[k][c] != 0:
                factor = matrix[k][c]
                matrix[k] = [a - factor * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        pivots.append((r, c))
        r += 1
    return {
        unknown[c] for row, c in pivots if all(x == 0 for k, x in enumerate(matrix[row]) if k != c)
    }


# Sparse tables with small counts: where masking has work to do.
counts = st.sampled_from((0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 14, 30))
# Referrals by month and outcome: January and April one each, March ten. Without the bridge
# rule, the total « in progress » (2) is worked out from January's and April's totals.
BRIDGE = Grid(("janv.", "mars", "avr."), ("en cours", "prise en charge", "réorientée", "refus",
              "annulée"), ((1, 0, 0, 0, 0), (0, 6, 2, 1, 1), (1, 0, 0, 0, 0)))  # fmt: skip


@st.composite
def grids(draw, rows_add: bool | None = None, cols_add: bool | None = None) -> Grid:
    height = draw(st.integers(1, 6))
    width = draw(st.integers(1, 5))
    values = draw(st.lists(st.lists(counts, min_size=width, max_size=width), min_size=height,
                           max_size=height))  # fmt: skip
    rows_add = draw(st.booleans()) if rows_add is None else rows_add
    cols_add = draw(st.booleans()) if cols_add is None else cols_add
    if not (rows_add or cols_add):
        cols_add = True
    return Grid(
        tuple(f"r{i}" for i in range(height)),
        tuple(f"c{j}" for j in range(width)),
        tuple(tuple(row) for row in values),
        row_totals=rows_add,
        col_totals=cols_add,
    )


# Care kinds: 6, 1 and 1 measures of 8. Without the bounds rule, the two « < 5 » add up to
# 2: each is 1.
PINNED = Grid(("infirmier", "kiné", "sage-femme"), ("n",), ((6,), (1,), (1,)), row_totals=False)


def pinned(values: list[list[int]], hidden: set[tuple[int, int]], primary: set[tuple[int, int]],
           rows_add: bool, cols_add: bool) -> list[list[tuple[int, int]]]:  # fmt: skip
    """Relations whose shown total leaves their « < 5 » cells (each 1 to 4, all of the
    relation's hidden cells) at their smallest or largest possible sum: each is known."""
    height, width = len(values), len(values[0])
    relations = []
    if rows_add:
        relations += [[(i, j) for j in range(width)] for i in range(height)]
    if cols_add:
        relations += [[(i, j) for i in range(height)] for j in range(width)]
    found = []
    for relation in relations:
        *cells, total = relation
        secret = [c for c in cells if c in hidden]
        if total in hidden or not secret or any(c not in primary for c in secret):
            continue
        rest = values[total[0]][total[1]] - sum(
            values[i][j] for i, j in cells if (i, j) not in hidden
        )
        if rest in (len(secret), 4 * len(secret)):
            found.append(relation)
    return found


@settings(max_examples=400, deadline=None)
@given(grids())
@example(BRIDGE)
@example(PINNED)
def test_masking_protects_every_small_count(grid: Grid) -> None:
    values = grid.matrix()
    hidden, primary = mask(grid)
    assert primary == {
        (i, j) for i, row in enumerate(values) for j, v in enumerate(row) if 0 < v < 5
    }
    assert primary <= hidden
    assert not derivable(values, hidden, grid.row_totals, grid.col_totals)
    assert not pinned(values, hidden, primary, grid.row_totals, grid.col_totals)
    shown = table("t", "T", "R", grid)
    for i, row in enumerate(shown.rows):
        for j, value in enumerate(row.values):
            if (i, j) in primary:
                assert value.text == "< 5" and value.number is None
            elif (i, j) in hidden:
                assert value.text == "masqué" and value.number is None
            else:
                assert value.number == values[i][j]


@settings(max_examples=100, deadline=None)
@given(st.lists(grids(rows_add=True, cols_add=True), min_size=2, max_size=3), st.data())
def test_linked_tables_hide_the_same_totals(tables: list[Grid], data) -> None:
    """Tables of the same referrals (same columns, same totals) broken down by different
    rows hide the same totals."""
    width = len(tables[0].columns)
    totals = data.draw(st.lists(counts, min_size=width, max_size=width))
    specs = []
    for k, grid in enumerate(tables):
        # Rows that add up to the shared totals: the last row takes what is left.
        rows = [list(r[:width]) + [0] * (width - len(r)) for r in grid.counts[:-1]]
        rows = [[min(v, t) for v, t in zip(r, totals, strict=True)] for r in rows]
        used = [sum(col) for col in zip(*rows, strict=True)] if rows else [0] * width
        rows.append([max(0, t - u) for t, u in zip(totals, used, strict=True)])
        fixed = [sum(col) for col in zip(*rows, strict=True)]
        cols = tuple(f"c{j}" for j in range(width))
        grid = Grid(tuple(f"r{i}" for i in range(len(rows))), cols, tuple(map(tuple, rows)))
        specs.append((f"t{k}", "T", "R", grid, fixed))
    if len({tuple(s[4]) for s in specs}) != 1:
        return  # the shared totals could not be met (a row took more than its share)
    shown = linked_tables([s[:4] for s in specs])
    hidden_totals = [
        tuple(v.masked for v in next(r for r in t.rows if r.label == TOTAL).values) for t in shown
    ]
    assert len(set(hidden_totals)) == 1
