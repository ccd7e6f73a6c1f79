"""Small-number protection (R-26), designed in docs/disclosure-control.md.

A published figure is a token, never a bare count the reader must interpret:

- ``"12"``: the count, shown because it is at least the threshold;
- ``"<5"``: a count from 0 to 4 (zero is not told apart from small: a visible 0 would
  tell the reader that every "<5" is at least 1);
- ``"<10"`` as a table's total: the table is too small to break down (the tiny-table
  rule), its parts are not published at all;
- ``"•"``: a count of any size, hidden so that no other hidden count can be narrowed.

Every set of figures is audited before it is shown: for every count that is not shown
exactly, HiGHS works out by linear programming the smallest and the largest value a
reader can derive from everything published for that year (every table, every equation
between them, the known meaning of every token, and every earlier published version).
The range must include 0, or be at least ``threshold`` wide, or lie wholly at or
above the threshold (a count the rules would have shown tells nothing about a few).
Between two versions of a year the same holds for the change of every count, so that
a correction cannot be read as "one more referral to the psychologist". Secondary
suppression hides more counts, the smallest first, until the audit passes; a table
that still fails is withheld.
"""

import math
from dataclasses import dataclass, field

import highspy
import numpy as np

HIDDEN = "•"
EPSILON = 1e-6


@dataclass(frozen=True)
class Equation:
    """``total`` is the sum of ``parts``: a rule every reader knows."""

    total: str
    parts: tuple[str, ...]

    def members(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Group:
    """One table of the report: its parts and, if published, their total."""

    name: str
    parts: tuple[str, ...]
    total: str | None = None

    def members(self) -> tuple[str, ...]:
        return (*self.parts, self.total) if self.total else self.parts


@dataclass
class Layout:
    """What a year's figures are made of: the tables and the equations between them."""

    groups: list[Group]
    equations: list[Equation]
    # Groups published only when they would not be mostly hidden (a cross table).
    optional: set[str] = field(default_factory=set)

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)


def bounds(token: str) -> tuple[float, float]:
    """What a published token tells a reader about the count behind it."""
    if token == HIDDEN:
        return 0.0, math.inf
    if token.startswith("<"):
        return 0.0, float(int(token[1:]) - 1)
    value = float(int(token))
    return value, value


def is_exact(token: str | None) -> bool:
    return token is not None and token != HIDDEN and not token.startswith("<")


@dataclass(frozen=True)
class Weakness:
    """A count (or, between versions, a change of a count) a reader can narrow down."""

    key: str
    version: int  # index into the audited versions; for a change, the later one
    change: bool
    low: int
    high: float


def audit(versions: list[dict[str, str]], layout: Layout, threshold: int) -> list[Weakness]:
    """Every count of every version (and every change between two consecutive versions)
    whose derivable range neither includes 0 nor spans ``threshold``."""
    keys = sorted(
        {k for eq in layout.equations for k in eq.members()}
        | {k for figures in versions for k in figures}
    )
    index = {(v, k): v * len(keys) + i for v in range(len(versions)) for i, k in enumerate(keys)}
    lower = np.zeros(len(index))
    upper = np.full(len(index), math.inf)
    for v, figures in enumerate(versions):
        for key, token in figures.items():
            lower[index[v, key]], upper[index[v, key]] = bounds(token)
    rows: list[list[tuple[int, float]]] = []
    bound: set[int] = set()  # the variables some equation binds
    for v, figures in enumerate(versions):
        for eq in layout.equations:
            # An equation binds a reader only if something of it is published.
            if any(k in figures for k in eq.members()):
                rows.append([(index[v, eq.total], -1.0)] + [(index[v, p], 1.0) for p in eq.parts])
                bound.update(i for i, _c in rows[-1])
    checks: list[tuple[str, int, bool, list[tuple[int, float]]]] = []
    for v, figures in enumerate(versions):
        for key in keys:
            if not is_exact(figures.get(key)):
                checks.append((key, v, False, [(index[v, key], 1.0)]))
            if v and (key in figures or key in versions[v - 1]):
                checks.append((key, v, True, [(index[v, key], 1.0), (index[v - 1, key], -1.0)]))
    solver = _model(len(index), lower, upper, rows) if rows else None
    weaknesses = []
    for key, v, change, terms in checks:
        if solver is None or not any(i in bound for i, _c in terms):
            # No equation narrows it: the range is what its tokens say.
            lo = sum(c * (lower[i] if c > 0 else upper[i]) for i, c in terms)
            hi = sum(c * (upper[i] if c > 0 else lower[i]) for i, c in terms)
        else:
            found = _optimum(solver, terms, len(index), 1.0)
            lo = -math.inf if found is None else found
            hi = math.inf  # worked out below, when needed
        low = -math.inf if math.isinf(lo) else math.ceil(lo - EPSILON)
        if (low <= 0 and not change) or low >= threshold:
            continue
        if solver is not None and any(i in bound for i, _c in terms):
            found = _optimum(solver, terms, len(index), -1.0)
            hi = math.inf if found is None else -found
        high = math.inf if math.isinf(hi) else math.floor(hi + EPSILON)
        if low <= 0 <= high or high - low >= threshold or high <= -threshold:
            continue
        weaknesses.append(Weakness(key, v, change, int(low), high))
    return weaknesses


def _model(
    columns: int, lower: np.ndarray, upper: np.ndarray, rows: list[list[tuple[int, float]]]
) -> highspy.Highs:
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_ = columns
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(columns)
    lp.col_lower_ = lower
    lp.col_upper_ = np.where(np.isinf(upper), highspy.kHighsInf, upper)
    lp.row_lower_ = np.zeros(len(rows))
    lp.row_upper_ = np.zeros(len(rows))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    starts: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        indices.extend(i for i, _ in row)
        values.extend(c for _, c in row)
        starts.append(len(indices))
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=np.float64)
    solver.passModel(lp)
    return solver


def _optimum(
    solver: highspy.Highs, terms: list[tuple[int, float]], columns: int, sense: float
) -> float | None:
    """The minimum of ``sense`` times the terms; None when unbounded below."""
    cost = np.zeros(columns)
    for i, c in terms:
        cost[i] = sense * c
    solver.changeColsCost(columns, np.arange(columns, dtype=np.int32), cost)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(solver.getInfo().objective_function_value)
    if status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return None
    raise AssertionError(f"the published figures contradict each other: {status}")


def protect(
    values: dict[str, int],
    layout: Layout,
    threshold: int,
    minimum: int,
    earlier: list[dict[str, str]] | None = None,
) -> dict[str, str]:
    """The figures to publish for ``values``, audited together with the ``earlier``
    published versions of the same year."""
    earlier = earlier or []
    figures: dict[str, str] = {}
    for group in layout.groups:
        size = (
            values[group.total] if group.total else max((values[p] for p in group.parts), default=0)
        )
        if size < minimum:
            # Tiny: no breakdown, only that it is small.
            figures[group.total or f"{group.name}.size"] = f"<{minimum}"
            continue
        for key in group.members():
            figures[key] = str(values[key]) if values[key] >= threshold else f"<{threshold}"
    for name in sorted(layout.optional):
        group = layout.group(name)
        small = [p for p in group.parts if figures.get(p, "").startswith("<")]
        if len(small) * 4 > len(group.parts):
            # Mostly hidden: the one-way tables say what can be said.
            for key in group.parts:
                figures.pop(key, None)
    withheld: set[str] = set()
    while weaknesses := [
        w for w in audit([*earlier, figures], layout, threshold) if w.version == len(earlier)
    ]:
        hidden_more = False
        for weakness in weaknesses:
            choice = _complement(weakness, figures, values, layout)
            if choice and figures.get(choice) != HIDDEN:
                figures[choice] = HIDDEN
                hidden_more = True
        if not hidden_more:
            _withhold({w.key for w in weaknesses}, figures, layout, withheld)
    return figures


def _withhold(weak: set[str], figures: dict[str, str], layout: Layout, withheld: set[str]) -> None:
    """Nothing left to hide around the weak counts: withhold the breakdown of their
    tables; failing that, hide or withhold the weak counts themselves."""
    groups = [g for g in layout.groups if weak & set(g.members()) and g.name not in withheld]
    for group in groups:
        withheld.add(group.name)
        for key in group.parts:
            figures.pop(key, None)
        figures.pop(f"{group.name}.size", None)
    if groups:
        return
    exposed = [k for k in sorted(weak) if k in figures and figures[k] != HIDDEN]
    for key in exposed:
        figures[key] = HIDDEN
    if exposed:
        return
    present = [k for k in sorted(weak) if k in figures]
    if not present:
        raise AssertionError("the audit fails on counts that are not published")
    for key in present:
        figures.pop(key)


def _complement(
    weakness: Weakness, figures: dict[str, str], values: dict[str, int], layout: Layout
) -> str | None:
    """The count to hide next: the weak one itself if it is shown exactly (a change
    between versions), else the smallest shown count of an equation it is in (a part
    before a total), else of an equation those hidden neighbours are in, and so on."""
    if is_exact(figures.get(weakness.key)):
        return weakness.key
    reached, frontier = {weakness.key}, {weakness.key}
    while frontier:
        options = []
        following = set()
        for eq in layout.equations:
            if frontier & set(eq.members()):
                for key in eq.members():
                    token = figures.get(key)
                    if key in reached:
                        continue
                    if token is not None and token != HIDDEN:
                        options.append((key == eq.total, token.startswith("<"), values[key], key))
                    else:
                        following.add(key)
        if options:
            return min(options)[-1]
        reached |= following
        frontier = following
    return None
