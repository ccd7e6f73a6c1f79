"""The annual report for a year, beside the year before, from the anonymous facts alone.

The figures are counted (``count``), protected and audited (``suppression.protect``)
and, once the year is over, published and frozen (``publish``). Everything a reader
sees, the page, the PDF, the CSV and the charts, is drawn from such protected figures
(a ``Snapshot``), never from the counts."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.reports.models import Fact, FactKind, PoolYear, PublishedReport, ReportPolicy
from peersupport.reports.suppression import Equation, Group, Layout, protect
from peersupport.vocabulary import CLOSURE_REASONS, Channel, EventCategory, ReferralType

WITHIN_HOURS = 72
OFFERS = {
    "offers.made": FactKind.OFFER,
    "offers.accepted": FactKind.ACCEPTED,
    "offers.declined": FactKind.DECLINED,
    "offers.no_answer": FactKind.NO_ANSWER,
}
SUPPORTERS = ("active", "trained", "intervision")


def layout() -> Layout:
    channels = tuple(f"requests.channel.{c}" for c in Channel)
    categories = tuple(f"requests.category.{c}" for c in EventCategory)
    referrals = tuple(f"referrals.{t}" for t in ReferralType)
    arranged = tuple(f"arranged.{t}" for t in ReferralType)
    closures = tuple(f"closures.{r}" for r in CLOSURE_REASONS)
    cross = tuple(f"requests.{ch}.{cat}" for ch in Channel for cat in EventCategory)
    return Layout(
        groups=[
            Group("requests_by_channel", channels, "requests"),
            Group("requests_by_category", categories, "requests"),
            Group("requests_cross", cross, "requests"),
            Group("offers", tuple(OFFERS)),
            Group("conversations", ("conversations.1", "conversations.2", "conversations.3")),
            Group("referrals", referrals, "referrals"),
            Group("arranged", arranged, "arranged"),
            Group("closures", closures, "closures"),
            Group("first_contact", ("first_contacts",)),
            Group("supporters", tuple(f"supporters.{s}" for s in SUPPORTERS)),
        ],
        equations=[
            Equation("requests", channels),
            Equation("requests", categories),
            *(
                Equation(
                    f"requests.channel.{ch}", tuple(f"requests.{ch}.{c}" for c in EventCategory)
                )
                for ch in Channel
            ),
            *(
                Equation(f"requests.category.{cat}", tuple(f"requests.{c}.{cat}" for c in Channel))
                for cat in EventCategory
            ),
            Equation("referrals", referrals),
            Equation("arranged", arranged),
            Equation("closures", closures),
        ],
        optional={"requests_cross"},
    )


def count(year: int) -> tuple[dict[str, int], dict[str, str]]:
    """The true counts of a year, by key, and its measures (median, share) as shown."""
    values = {key: 0 for group in layout().groups for key in group.members()}
    rows = (
        Fact.objects.filter(year=year)
        .values_list(
            "kind", "channel", "category", "conversation_number", "referral_type", "closure_reason"
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    kinds = {kind: key for key, kind in OFFERS.items()}
    for kind, channel, category, number, referral, reason, n in rows:
        if kind == FactKind.REQUEST and channel in Channel and category in EventCategory:
            for key in ("requests", f"requests.channel.{channel}", f"requests.category.{category}"):
                values[key] += n
            values[f"requests.{channel}.{category}"] += n
        elif kind in kinds:
            values[kinds[kind]] += n
        elif kind == FactKind.CONVERSATION and number in (1, 2, 3):
            values[f"conversations.{number}"] += n
        elif kind == FactKind.REFERRAL and referral in ReferralType:
            values["referrals"] += n
            values[f"referrals.{referral}"] += n
        elif kind == FactKind.HELP_ARRANGED and referral in ReferralType:
            values["arranged"] += n
            values[f"arranged.{referral}"] += n
        elif kind == FactKind.CLOSURE and reason in CLOSURE_REASONS:
            values["closures"] += n
            values[f"closures.{reason}"] += n
    pool = PoolYear.objects.filter(year=year).first()
    for name in SUPPORTERS:
        values[f"supporters.{name}"] = getattr(pool, name) if pool else 0
    hours = [
        h
        for h in Fact.objects.filter(year=year, kind=FactKind.FIRST_CONTACT).values_list(
            "hours_to_first_contact", flat=True
        )
        if h is not None
    ]
    values["first_contacts"] = len(hours)
    policy = ReportPolicy.current()
    within = len([h for h in hours if h < WITHIN_HOURS])
    measures = {"median": "—", "within": "—"}
    # The share times the count gives the count within 72 hours and the count beyond:
    # both must be publishable counts, and the median needs a non-tiny group.
    if len(hours) >= policy.minimum and min(within, len(hours) - within) >= policy.threshold:
        measures = {
            "median": f"{statistics.median(hours):g}",
            "within": f"{within * 100 / len(hours):.0f}%",
        }
    # Days from hand-over to help arranged: a median only for a group that is not tiny,
    # like the time to first contact.
    days = [
        d
        for d in Fact.objects.filter(year=year, kind=FactKind.HELP_ARRANGED).values_list(
            "days_to_help", flat=True
        )
        if d is not None
    ]
    measures["days_to_help"] = (
        f"{statistics.median(days):g}" if len(days) >= policy.minimum else "—"
    )
    return values, measures


@dataclass
class Snapshot:
    """Protected figures of a year: published (version ≥ 1) or running (version 0)."""

    year: int
    threshold: int
    minimum: int
    figures: dict[str, str]
    measures: dict[str, str]
    version: int = 0
    published_at: datetime | None = None
    note: str = ""
    corrections: list[tuple[int, datetime, str]] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.version > 0


def published(year: int) -> Snapshot | None:
    """The latest published version of a year, with the notes of all versions."""
    versions = list(PublishedReport.objects.filter(year=year).order_by("version"))
    if not versions:
        return None
    last = versions[-1]
    return Snapshot(
        year=year,
        threshold=last.threshold,
        minimum=last.minimum,
        figures=last.figures,
        measures=last.measures,
        version=last.version,
        published_at=last.published_at,
        note=last.get_note_display(),
        corrections=[(v.version, v.published_at, v.get_note_display()) for v in versions],
    )


def running(year: int) -> Snapshot:
    """The figures as they stand, protected as a publication would be (for the
    coordinator; if the year has published versions, audited together with them)."""
    policy = ReportPolicy.current()
    values, measures = count(year)
    # Every earlier version, whatever threshold it had: its tokens say what they mean.
    earlier = [r.figures for r in PublishedReport.objects.filter(year=year).order_by("version")]
    figures = protect(values, layout(), policy.threshold, policy.minimum, earlier)
    return Snapshot(year, policy.threshold, policy.minimum, figures, measures)


@transaction.atomic
def publish(year: int, note: str = "") -> PublishedReport:
    """Freeze the year's figures as its next version."""
    policy = ReportPolicy.current()
    latest = (
        PublishedReport.objects.select_for_update().filter(year=year).order_by("version").last()
    )
    snapshot = running(year)
    return PublishedReport.objects.create(
        year=year,
        version=(latest.version + 1) if latest else 1,
        published_at=timezone.now(),
        note=note,
        threshold=policy.threshold,
        minimum=policy.minimum,
        figures=snapshot.figures,
        measures=snapshot.measures,
    )


# What the reader sees ------------------------------------------------------------------


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str, str]]  # label, this year, the year before
    tiny: bool = False


@dataclass
class AnnualReport:
    now: Snapshot
    before: Snapshot | None
    sections: list[Section]
    cross: list[tuple[str, list[str], str]] | None  # rows of (channel, cells, total)
    cross_columns: list[str]
    cross_totals: list[str]

    @property
    def year(self) -> int:
        return self.now.year

    @property
    def threshold(self) -> int:
        return self.now.threshold


def shown(snapshot: Snapshot | None, key: str) -> str:
    """A figure as the reader sees it."""
    if snapshot is None:
        return "—"
    token = snapshot.figures.get(key)
    if token is None:
        return "—"
    if token.startswith("<") and int(token[1:]) != snapshot.threshold:
        return _("fewer than %(n)s") % {"n": token[1:]}
    return token


def is_tiny(snapshot: Snapshot | None, group: Group) -> bool:
    if snapshot is None:
        return False
    if group.total is None:
        return f"{group.name}.size" in snapshot.figures
    token = snapshot.figures.get(group.total, "")
    return token.startswith("<") and not any(p in snapshot.figures for p in group.parts)


def report(now: Snapshot, before: Snapshot | None) -> AnnualReport:
    plan = layout()
    labels = {
        "requests_by_channel": (_("Requests by channel"), [str(c.label) for c in Channel]),
        "requests_by_category": (
            _("Requests by kind of event"),
            [str(c.label) for c in EventCategory],
        ),
        "offers": (
            _("Offers and answers"),
            [_("Offers made"), _("Accepted"), _("Declined"), _("No answer")],
        ),
        "conversations": (
            _("Conversations held"),
            [_("First conversation"), _("Second conversation"), _("Third conversation")],
        ),
        "referrals": (_("Referrals to professional help"), [str(t.label) for t in ReferralType]),
        "arranged": (
            _("Help arranged after a hand-over"),
            [str(t.label) for t in ReferralType],
        ),
        "closures": (_("Closures"), [str(r.label) for r in CLOSURE_REASONS]),
        "first_contact": (_("Time from request to first contact"), [_("First contacts")]),
        "supporters": (
            _("Supporters"),
            [
                _("Supporters with a case"),
                _("Supporters trained"),
                _("Supporters with intervision in the last 12 months"),
            ],
        ),
    }
    sections = []
    for name, (title, names) in labels.items():
        group = plan.group(name)
        rows = [
            (label, shown(now, key), shown(before, key))
            for label, key in zip(names, group.parts, strict=True)
        ]
        tiny_now, tiny_before = is_tiny(now, group), is_tiny(before, group)
        if group.total or tiny_now or tiny_before:
            label = _("Total") if group.total else _("In all")
            rows.append((label, _few(now, group, tiny_now), _few(before, group, tiny_before)))
        if tiny_now and (tiny_before or before is None):
            # No breakdown for a tiny year: "fewer than", only.
            rows = rows[-1:]
        if name == "first_contact":
            rows += [
                (
                    _("Median hours from request to first contact"),
                    now.measures.get("median", "—"),
                    before.measures.get("median", "—") if before else "—",
                ),
                (
                    _("First contact within 72 hours"),
                    now.measures.get("within", "—"),
                    before.measures.get("within", "—") if before else "—",
                ),
            ]
        if name == "arranged":
            rows.append(
                (
                    _("Median days from hand-over to help arranged"),
                    now.measures.get("days_to_help", "—"),
                    before.measures.get("days_to_help", "—") if before else "—",
                )
            )
        sections.append(Section(str(title), rows, tiny_now))
    cross = None
    if any(f"requests.{ch}.{cat}" in now.figures for ch in Channel for cat in EventCategory):
        cross = [
            (
                str(ch.label),
                [shown(now, f"requests.{ch}.{cat}") for cat in EventCategory],
                shown(now, f"requests.channel.{ch}"),
            )
            for ch in Channel
        ]
    return AnnualReport(
        now=now,
        before=before,
        sections=sections,
        cross=cross,
        cross_columns=[str(c.label) for c in EventCategory],
        cross_totals=[shown(now, f"requests.category.{c}") for c in EventCategory]
        + [shown(now, "requests")],
    )


def _few(snapshot: Snapshot | None, group: Group, tiny: bool) -> str:
    if snapshot is not None and tiny:
        return _("fewer than %(n)s") % {"n": snapshot.minimum}
    return shown(snapshot, group.total) if group.total else "—"
