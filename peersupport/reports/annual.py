"""The annual report for a year, beside the year before, from the anonymous facts alone."""

import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from peersupport.reports.models import Fact, FactKind, PoolYear, ReportPolicy
from peersupport.reports.suppression import (
    Cell,
    Table,
    protect_counts,
    protect_list,
    protect_table,
)
from peersupport.vocabulary import Channel, EventCategory, Reason, ReferralType

CLOSURE_REASONS = [
    Reason.RECOVERED,
    Reason.DECLINED,
    Reason.REFERRED,
    Reason.NO_CONTACT,
    Reason.OTHER,
]
WITHIN_HOURS = 72


@dataclass
class Line:
    """One figure of the report, this year and the year before."""

    label: str
    now: Cell
    before: Cell


@dataclass
class AnnualReport:
    year: int
    threshold: int
    requests: Table
    requests_before: Table
    offers: list[Line]
    conversations: list[Line]
    referrals: list[Line]
    closures: list[Line]
    first_contact: list[tuple[str, str, str]]
    supporters: list[Line]
    facts: int


def build(year: int) -> AnnualReport:
    threshold = ReportPolicy.current().threshold
    counts: dict[tuple[int, str, str, str, int | None, str, str], int] = {}
    rows = (
        Fact.objects.filter(year__in=[year, year - 1])
        .values_list(
            "year",
            "kind",
            "channel",
            "category",
            "conversation_number",
            "referral_type",
            "closure_reason",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for y, kind, channel, category, number, referral, reason, n in rows:
        counts[(y, kind, channel, category, number, referral, reason)] = n

    def total(y: int, kind: str, **match: object) -> int:
        keys = ("channel", "category", "number", "referral", "reason")
        found = 0
        for (yy, kk, channel, category, number, referral, reason), n in counts.items():
            values = dict(zip(keys, (channel, category, number, referral, reason), strict=True))
            if yy == y and kk == kind and all(values[k] == v for k, v in match.items()):
                found += n
        return found

    def lines(
        labels: list[tuple[str, dict[str, object]]], kind: str, with_total: bool
    ) -> list[Line]:
        protected = {}
        for y in (year, year - 1):
            values = [total(y, kind, **match) for _label, match in labels]
            if with_total:
                cells, sum_cell = protect_list(values, threshold)
                protected[y] = [*cells, sum_cell]
            else:
                protected[y] = protect_counts(values, threshold)
        names = [label for label, _match in labels] + ([str(_("Total"))] if with_total else [])
        return [
            Line(name, protected[year][i], protected[year - 1][i]) for i, name in enumerate(names)
        ]

    def requests_table(y: int) -> Table:
        values = [
            [total(y, FactKind.REQUEST, channel=ch, category=cat) for cat in EventCategory]
            for ch in Channel
        ]
        table = protect_table(values, threshold)
        table.rows = [str(c.label) for c in Channel]
        table.columns = [str(c.label) for c in EventCategory]
        return table

    offers = [
        (str(_("Offers made")), FactKind.OFFER),
        (str(_("Accepted")), FactKind.ACCEPTED),
        (str(_("Declined")), FactKind.DECLINED),
        (str(_("No answer")), FactKind.NO_ANSWER),
    ]
    offer_cells = {
        y: protect_counts([total(y, k) for _l, k in offers], threshold) for y in (year, year - 1)
    }
    offer_lines = [
        Line(label, offer_cells[year][i], offer_cells[year - 1][i])
        for i, (label, _k) in enumerate(offers)
    ]
    now, before = _first_contact(year, threshold), _first_contact(year - 1, threshold)
    first_contact = [
        (str(_("First contacts")), now[0], before[0]),
        (str(_("Median hours from request to first contact")), now[1], before[1]),
        (str(_("First contact within 72 hours")), now[2], before[2]),
    ]
    return AnnualReport(
        year=year,
        threshold=threshold,
        requests=requests_table(year),
        requests_before=requests_table(year - 1),
        offers=offer_lines,
        conversations=lines(
            [
                (str(_("First conversation")), {"number": 1}),
                (str(_("Second conversation")), {"number": 2}),
                (str(_("Third conversation")), {"number": 3}),
            ],
            FactKind.CONVERSATION,
            with_total=False,
        ),
        referrals=lines(
            [(str(t.label), {"referral": t.value}) for t in ReferralType],
            FactKind.REFERRAL,
            with_total=True,
        ),
        closures=lines(
            [(str(r.label), {"reason": r.value}) for r in CLOSURE_REASONS],
            FactKind.CLOSURE,
            with_total=True,
        ),
        first_contact=first_contact,
        supporters=_supporters(year, threshold),
        facts=sum(n for key, n in counts.items() if key[0] == year),
    )


def _first_contact(year: int, threshold: int) -> tuple[str, str, str]:
    """How many first contacts, the median hours, and the share within 72 hours;
    the median and share only when enough contacts stand behind them."""
    hours: list[int] = [
        h
        for h in Fact.objects.filter(year=year, kind=FactKind.FIRST_CONTACT).values_list(
            "hours_to_first_contact", flat=True
        )
        if h is not None
    ]
    count = protect_counts([len(hours)], threshold)[0].shown(threshold)
    if len(hours) < threshold:
        return count, "—", "—"
    within = len([h for h in hours if h < WITHIN_HOURS]) * 100 / len(hours)
    return count, f"{statistics.median(hours):g}", f"{within:.0f}%"


def _supporters(year: int, threshold: int) -> list[Line]:
    pools = {p.year: p for p in PoolYear.objects.filter(year__in=[year, year - 1])}
    labels = [
        (str(_("Supporters with a case")), "active"),
        (str(_("Supporters trained")), "trained"),
        (str(_("Supporters with intervision in the last 12 months")), "intervision"),
    ]
    cells = {
        y: protect_counts(
            [getattr(pools[y], name) if y in pools else 0 for _l, name in labels], threshold
        )
        for y in (year, year - 1)
    }
    return [Line(label, cells[year][i], cells[year - 1][i]) for i, (label, _n) in enumerate(labels)]
