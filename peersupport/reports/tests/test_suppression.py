"""Small-number protection against a reader who knows every rule: for every count that
is not shown exactly, the range the reader can derive from everything published
(every table, the totals, the meaning of "<5", "•" and "fewer than 10", and every
earlier version) includes 0 or is at least the threshold wide."""

import math
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersupport.reports.suppression import (
    HIDDEN,
    Equation,
    Group,
    Layout,
    audit,
    bounds,
    is_exact,
    protect,
)

T = 5
CHECK = settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def cross(rows: int, columns: int) -> Layout:
    """A cross table with its row totals, column totals and grand total, all published."""
    cells = {(r, c): f"c{r}.{c}" for r in range(rows) for c in range(columns)}
    row_totals = [f"r{r}" for r in range(rows)]
    column_totals = [f"k{c}" for c in range(columns)]
    return Layout(
        groups=[
            Group("rows", tuple(row_totals), "all"),
            Group("columns", tuple(column_totals), "all"),
            Group("cells", tuple(cells.values()), "all"),
        ],
        equations=[
            Equation("all", tuple(row_totals)),
            Equation("all", tuple(column_totals)),
            *(
                Equation(row_totals[r], tuple(cells[r, c] for c in range(columns)))
                for r in range(rows)
            ),
            *(
                Equation(column_totals[c], tuple(cells[r, c] for r in range(rows)))
                for c in range(columns)
            ),
        ],
    )


def counts(values: list[list[int]]) -> dict[str, int]:
    found = {f"c{r}.{c}": v for r, row in enumerate(values) for c, v in enumerate(row)}
    found |= {f"r{r}": sum(row) for r, row in enumerate(values)}
    found |= {f"k{c}": sum(row[c] for row in values) for c in range(len(values[0]))}
    found["all"] = sum(map(sum, values))
    return found


def interval_attack(
    figures: dict[str, str],
    layout: Layout,
    meaning: Callable[[str], tuple[float, float]] = bounds,
) -> dict[str, tuple[float, float]]:
    """What a reader works out with pencil and paper: start from what each token means
    and tighten every count by every equation until nothing changes. (Independent of
    the LP audit, and weaker than it; the audit must catch at least this.)"""
    keys = {k for eq in layout.equations for k in eq.members()} | set(figures)
    ranges = {k: meaning(figures[k]) if k in figures else (0.0, math.inf) for k in keys}
    for _round in range(50):
        changed = False
        for eq in layout.equations:
            total, parts = ranges[eq.total], [ranges[p] for p in eq.parts]
            low = max(total[0], sum(p[0] for p in parts))
            high = min(total[1], sum(p[1] for p in parts))
            if (low, high) != total:
                ranges[eq.total], changed = (low, high), True
            for i, name in enumerate(eq.parts):
                rest_low = sum(p[0] for j, p in enumerate(parts) if j != i)
                rest_high = sum(p[1] for j, p in enumerate(parts) if j != i)
                new = (max(parts[i][0], low - rest_high), min(parts[i][1], high - rest_low))
                if new != ranges[name]:
                    ranges[name], changed = new, True
        if not changed:
            break
    return ranges


def assert_protected(values: dict[str, int], figures: dict[str, str], layout: Layout) -> None:
    for key, token in figures.items():
        if is_exact(token):
            # Shown exactly: true, and never small.
            assert int(token) == values[key] and int(token) >= T
        else:
            low, high = bounds(token)
            assert low <= values.get(key, 0) <= high  # the token tells the truth
    assert audit([figures], layout, T) == []
    for key, (low, high) in interval_attack(figures, layout).items():
        if not is_exact(figures.get(key)):
            assert low <= 0 or high - low >= T or low >= T, (key, low, high, figures)


def tables(cell: st.SearchStrategy[int]) -> st.SearchStrategy[list[list[int]]]:
    return st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda columns: st.lists(
                st.lists(cell, min_size=columns, max_size=columns), min_size=rows, max_size=rows
            )
        )
    )


MIXED = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30))


@CHECK
@given(tables(MIXED))
def test_mixed_tables_pass_the_audit(values: list[list[int]]) -> None:
    layout = cross(len(values), len(values[0]))
    assert_protected(counts(values), protect(counts(values), layout, T, 2), layout)


@CHECK
@given(tables(st.integers(0, 4)))
def test_tables_of_small_counts_only_pass_the_audit(values: list[list[int]]) -> None:
    layout = cross(len(values), len(values[0]))
    assert_protected(counts(values), protect(counts(values), layout, T, 2), layout)


@CHECK
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 40), st.data())
def test_a_single_non_zero_count_passes_the_audit(
    rows: int, columns: int, value: int, data: st.DataObject
) -> None:
    values = [[0] * columns for _ in range(rows)]
    values[data.draw(st.integers(0, rows - 1))][data.draw(st.integers(0, columns - 1))] = value
    layout = cross(rows, columns)
    assert_protected(counts(values), protect(counts(values), layout, T, 2), layout)


@CHECK
@given(
    st.lists(st.integers(1, 4), min_size=2, max_size=9), st.lists(st.integers(5, 40), max_size=3)
)
def test_small_counts_that_add_up_to_their_total_pass_the_audit(
    small: list[int], large: list[int]
) -> None:
    """The demo's 2025: nine small counts and their total."""
    layout = cross(1, len(small) + len(large))
    values = counts([[*small, *large]])
    assert_protected(values, protect(values, layout, T, 2), layout)


YEAR = Layout(
    groups=[Group("a", ("a1", "a2", "a3", "a4"), "a"), Group("b", ("b1", "b2", "b3"), "b")],
    equations=[Equation("a", ("a1", "a2", "a3", "a4")), Equation("b", ("b1", "b2", "b3"))],
)


def a_year(parts: list[int]) -> dict[str, int]:
    values = {f"a{i + 1}": v for i, v in enumerate(parts[:4])}
    values |= {f"b{i + 1}": v for i, v in enumerate(parts[4:])}
    values["a"], values["b"] = sum(parts[:4]), sum(parts[4:])
    return values


@CHECK
@given(
    st.lists(MIXED, min_size=7, max_size=7), st.lists(st.integers(-2, 2), min_size=7, max_size=7)
)
def test_a_year_and_its_correction_pass_the_audit_together(
    first: list[int], change: list[int]
) -> None:
    """A year beside a corrected version of itself: neither version, nor the change of
    any count between them, may be narrowed down."""
    before = protect(a_year(first), YEAR, T, 10)
    corrected = [max(0, v + d) for v, d in zip(first, change, strict=True)]
    after = protect(a_year(corrected), YEAR, T, 10, earlier=[before])
    assert audit([before, after], YEAR, T) == []
    assert_protected(a_year(corrected), after, YEAR)


def test_a_small_count_alone_in_its_row_takes_neighbours_with_it() -> None:
    layout = cross(2, 3)
    values = counts([[3, 10, 12], [8, 9, 20]])
    figures = protect(values, layout, T, 2)
    assert figures["c0.0"] == "<5"
    assert sum(token == HIDDEN for token in figures.values()) >= 3
    assert audit([figures], layout, T) == []


def test_a_visible_zero_would_give_small_counts_away() -> None:
    """The demo's 2025 as the old report showed it: nine "<5" meaning 1 to 4 (a zero
    was shown as 0) beside their total of 9. Pencil and paper make every one a 1."""
    layout = cross(1, 10)
    published = {f"c0.{c}": "<5" for c in range(9)} | {"c0.9": "0", "r0": "9", "all": "9"}
    published |= {f"k{c}": published[f"c0.{c}"] for c in range(10)}

    def one_to_four(token: str) -> tuple[float, float]:
        return (1.0, 4.0) if token == "<5" else bounds(token)

    old = interval_attack(published, layout, meaning=one_to_four)
    assert all(old[f"c0.{c}"] == (1, 1) for c in range(9))
    # As published now, "<5" means 0 to 4 and the 0 is a "<5" too: nothing follows.
    published["c0.9"] = published["k9"] = "<5"
    assert audit([published], layout, T) == []
    now = interval_attack(published, layout)
    assert all(now[f"c0.{c}"] == (0, 4) for c in range(10))
