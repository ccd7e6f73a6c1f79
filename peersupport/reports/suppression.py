"""Small-number protection (R-26).

A count from 1 up to the threshold is hidden (primary suppression, shown "<5").
Then, since row and column totals are published, more cells are hidden until no
hidden count can be worked out from what is shown (secondary suppression, "•").

The rule: think of the table with its totals as one grid in which every row and
every column adds up (the total entry counted negative). The hidden entries are
edges of a bipartite graph between grid rows and grid columns. A hidden entry can
be worked out from the rest exactly when it lies on no cycle of that graph (it is
a bridge). So more entries are hidden, smallest first, until there is no bridge.
"""

from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass
class Cell:
    value: int
    hidden: str = ""  # "", PRIMARY or SECONDARY

    def shown(self, threshold: int) -> str:
        if self.hidden == PRIMARY:
            return f"<{threshold}"
        if self.hidden == SECONDARY:
            return "•"
        return str(self.value)


@dataclass
class Table:
    """``cells[r][c]``, with ``row_totals``, ``column_totals`` and ``total``."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    threshold: int
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def grid(self) -> list[list[Cell]]:
        """Cells and totals as one grid: the last row and column are the totals."""
        return [[*row, total] for row, total in zip(self.cells, self.row_totals, strict=True)] + [
            [*self.column_totals, self.total]
        ]


def protect_table(values: list[list[int]], threshold: int) -> Table:
    """Hide what must be hidden in a table of counts with all its totals published."""
    rows = len(values)
    columns = len(values[0]) if values else 0
    grid = [[Cell(v) for v in row] + [Cell(sum(row))] for row in values]
    grid.append(
        [Cell(sum(values[r][c] for r in range(rows))) for c in range(columns)]
        + [Cell(sum(map(sum, values)))]
    )
    for line in grid:
        for cell in line:
            if 0 < cell.value < threshold:
                cell.hidden = PRIMARY
    while (bridge := _a_bridge(grid)) is not None:
        r, c = bridge
        _hide_another(grid, r, c)
    return Table(
        cells=[line[:-1] for line in grid[:-1]],
        row_totals=[line[-1] for line in grid[:-1]],
        column_totals=grid[-1][:-1],
        total=grid[-1][-1],
        threshold=threshold,
    )


def protect_list(values: list[int], threshold: int) -> tuple[list[Cell], Cell]:
    """A single row of counts with its total: the same rule, one line."""
    table = protect_table([values], threshold) if values else None
    if table is None:
        return [], Cell(0)
    # The column totals of a single row repeat its cells; the row is what is shown.
    return table.cells[0], table.row_totals[0]


def protect_counts(values: list[int], threshold: int) -> list[Cell]:
    """Counts without a published total: only the small ones are hidden."""
    return [Cell(v, PRIMARY if 0 < v < threshold else "") for v in values]


def _hidden_edges(grid: list[list[Cell]]) -> list[tuple[int, int]]:
    return [(r, c) for r, line in enumerate(grid) for c, cell in enumerate(line) if cell.hidden]


def _a_bridge(grid: list[list[Cell]]) -> tuple[int, int] | None:
    edges = _hidden_edges(grid)
    for edge in edges:
        others = [e for e in edges if e != edge]
        if not _connected(others, ("r", edge[0]), ("c", edge[1])):
            return edge
    return None


def _connected(edges: list[tuple[int, int]], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    return goal in _component(edges, start)


def _hide_another(grid: list[list[Cell]], r: int, c: int) -> None:
    """Hide one more entry, the smallest non-zero one that helps, so that the exposed
    entry (r, c) comes to lie on a cycle."""
    line = [(grid[r][j], (r, j)) for j in range(len(grid[r])) if j != c]
    column = [(grid[i][c], (i, c)) for i in range(len(grid)) if i != r]
    edges = [e for e in _hidden_edges(grid) if e != (r, c)]
    side_a, side_b = _component(edges, ("r", r)), _component(edges, ("c", c))
    joining = [
        (grid[i][j], (i, j))
        for i in range(len(grid))
        for j in range(len(grid[i]))
        if (("r", i) in side_a and ("c", j) in side_b)
        or (("r", i) in side_b and ("c", j) in side_a)
    ]
    # Prefer, in this order: an entry that closes a cycle at once, one on the side
    # where the entry hangs loose (every cycle passes there), then the other side;
    # within each, a cell before a total and a non-zero count before a zero (a hidden
    # zero protects little); the grand total last of all.
    column_is_loose = not any(j == c for _i, j in edges)
    pools = (joining, column, line) if column_is_loose else (joining, line, column)
    last_r, last_c = len(grid) - 1, len(grid[0]) - 1
    options = [
        (
            (i == last_r and j == last_c),
            rank,
            (i == last_r or j == last_c),
            cell.value == 0,
            cell.value,
            (i, j),
        )
        for rank, pool in enumerate(pools)
        for cell, (i, j) in pool
        if not cell.hidden
    ]
    if options:
        i, j = min(options)[-1]
        grid[i][j].hidden = SECONDARY
        return
    raise AssertionError("a table of two rows and two columns or more always has one")


def _component(edges: list[tuple[int, int]], start: tuple[str, int]) -> set[tuple[str, int]]:
    neighbours: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for r, c in edges:
        neighbours.setdefault(("r", r), []).append(("c", c))
        neighbours.setdefault(("c", c), []).append(("r", r))
    seen, todo = {start}, [start]
    while todo:
        for nxt in neighbours.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
