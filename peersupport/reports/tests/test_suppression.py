"""Small-number protection: what is published can never be used to work out a hidden count."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from peersupport.reports.suppression import PRIMARY, SECONDARY, protect_list, protect_table

T = 5


def determined_entries(grid: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which hidden entries of the grid (cells and totals; every row and column adds
    up) follow from the published ones: linear algebra, independent of the code."""
    variables = sorted(hidden)
    index = {v: i for i, v in enumerate(variables)}
    equations = []
    for line in [[(r, c) for c in range(len(grid[0]))] for r in range(len(grid))] + [
        [(r, c) for r in range(len(grid))] for c in range(len(grid[0]))
    ]:
        # cells minus their total (the last entry of the line) equal zero
        row = [Fraction(0)] * len(variables)
        for position in line:
            sign = -1 if position == line[-1] else 1
            if position in index:
                row[index[position]] += sign
        equations.append(row)
    base = _rank(equations)
    found = set()
    for variable in variables:
        unit = [Fraction(0)] * len(variables)
        unit[index[variable]] = Fraction(1)
        if _rank([*equations, unit]) == base:
            found.add(variable)
    return found


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for c in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][c] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][c] != 0:
                factor = rows[r][c] / rows[rank][c]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30)),
                min_size=cols,
                max_size=cols,
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(tables)
def test_published_counts_are_zero_or_large_and_no_hidden_count_can_be_derived(
    values: list[list[int]],
) -> None:
    table = protect_table(values, T)
    grid = table.grid()
    for line in grid:
        for cell in line:
            if not cell.hidden:
                assert cell.value == 0 or cell.value >= T
            if 0 < cell.value < T:
                assert cell.hidden == PRIMARY
    hidden = {(r, c) for r, line in enumerate(grid) for c, cell in enumerate(line) if cell.hidden}
    numbers = [[cell.value for cell in line] for line in grid]
    assert determined_entries(numbers, hidden) == set()


def test_a_small_cell_alone_in_its_row_takes_a_neighbour_with_it() -> None:
    table = protect_table([[3, 10, 12], [8, 9, 20]], T)
    shown = [[c.shown(T) for c in row] for row in table.cells]
    assert shown[0][0] == "<5"
    assert sum(c.hidden == SECONDARY for line in table.grid() for c in line) >= 3
    assert table.total.shown(T) == "62"


def test_a_list_with_a_total_never_leaves_one_hidden_count() -> None:
    cells, total = protect_list([2, 9, 14, 0], T)
    assert [c.shown(T) for c in cells] == ["<5", "•", "14", "0"]
    assert total.shown(T) == "25"


def test_nothing_is_hidden_when_nothing_is_small() -> None:
    table = protect_table([[5, 6], [0, 9]], T)
    assert all(not c.hidden for line in table.grid() for c in line)
