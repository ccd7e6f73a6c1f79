"""The attacks of issue 15, played from outside with only what the report publishes:
interval arithmetic on the CSV, comparing the figures before and after a change, the
year with a single case; and the demo's years, which must pass the audit."""

import csv
import html
import io
import math
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import Client, TestCase

from peersupport.reports.annual import layout, publish
from peersupport.reports.facts import record
from peersupport.reports.models import Fact, FactKind, PublishedReport
from peersupport.reports.suppression import audit
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
T = 5
IN_2026 = datetime(2026, 2, 2, 10, 0, tzinfo=AMS)


def meaning(shown: str) -> tuple[float, float] | None:
    """What a figure in the CSV tells a reader who knows the rules; None: nothing."""
    if shown in ("", "—"):
        return None
    if shown == "•":
        return 0.0, math.inf
    if shown.startswith("<"):
        return 0.0, float(int(shown[1:]) - 1)
    if shown.startswith("fewer than "):
        return 0.0, float(int(shown.removeprefix("fewer than ")) - 1)
    if shown.endswith("%") or not shown.isdigit():
        return None
    return float(shown), float(shown)


def interval_attack(rows: list[list[str]], column: int) -> dict[tuple[str, str], tuple]:
    """Pencil and paper on one year's column of the CSV: in every section with a total,
    the parts add up to it; the requests by channel and by kind share their total.
    Tighten every range by every equation until nothing moves."""
    ranges: dict[tuple[str, str], tuple[float, float]] = {}
    sections: dict[str, list[tuple[str, str]]] = {}
    for row in rows[1:]:
        section, label, shown = row[0], row[1], row[column]
        known = meaning(shown)
        if section in ("Note", "Requests") or "Median" in label or "within" in label:
            continue
        key = (section, label)
        ranges[key] = known if known is not None else (0.0, math.inf)
        sections.setdefault(section, []).append(key)
    equations = []
    for keys in sections.values():
        totals = [k for k in keys if k[1] == "Total"]
        if totals and len(keys) > 1:
            equations.append((totals[0], [k for k in keys if k[1] != "Total"]))
    by_channel, by_kind = ("Requests by channel", "Total"), ("Requests by kind of event", "Total")
    if by_channel in ranges and by_kind in ranges:
        low = max(ranges[by_channel][0], ranges[by_kind][0])
        high = min(ranges[by_channel][1], ranges[by_kind][1])
        ranges[by_channel] = ranges[by_kind] = (low, high)
    for _round in range(50):
        moved = False
        for total, parts in equations:
            low = max(ranges[total][0], sum(ranges[p][0] for p in parts))
            high = min(ranges[total][1], sum(ranges[p][1] for p in parts))
            if (low, high) != ranges[total]:
                ranges[total], moved = (low, high), True
            for part in parts:
                rest_low = sum(ranges[p][0] for p in parts if p != part)
                rest_high = sum(ranges[p][1] for p in parts if p != part)
                new = (
                    max(ranges[part][0], low - rest_high),
                    min(ranges[part][1], high - rest_low),
                )
                if new != ranges[part]:
                    ranges[part], moved = new, True
        if not moved:
            break
    return ranges


def assert_nothing_narrowed(rows: list[list[str]]) -> None:
    for column in (2, 3):
        for key, (low, high) in interval_attack(rows, column).items():
            shown = next(r[column] for r in rows if (r[0], r[1]) == key)
            if meaning(shown) != (low, high) or low != high:
                assert low <= 0 or high - low >= T or low >= T, (key, shown, low, high)


class Reading:
    client: Client
    password = PASSWORD

    def read_csv(self, username: str, year: int) -> list[list[str]]:
        assert self.client.login(username=username, password=self.password)
        response = self.client.get(f"/reports/{year}.csv")
        assert response.status_code == 200, response.status_code
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


class DemoTests(Reading, TestCase):
    password = "peer-support-demo"

    def test_the_demo_years_pass_the_audit_and_the_csv_gives_nothing_away(self) -> None:
        with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=AMS)):
            call_command("loaddemo", stdout=io.StringIO())
            years = sorted(set(Fact.objects.values_list("year", flat=True)))
            assert 2025 in years and 2026 in years
            for year in years:
                if year < 2026:
                    publish(year)
                    figures = PublishedReport.objects.get(year=year).figures
                    assert audit([figures], layout(), T) == []
                    assert_nothing_narrowed(self.read_csv("board", year))
            # The year running now: the coordinator's figures, protected the same way.
            assert_nothing_narrowed(self.read_csv("coordinator", 2026))


class AttackTests(Reading, BaseTestCase):
    def test_before_and_after_a_referral_the_board_sees_the_same(self) -> None:
        for n, (channel, category) in enumerate(
            [("manager", "aggression")] * 14 + [("colleague", "incident")] * 9
        ):
            record(
                FactKind.REQUEST,
                datetime(2025, 1 + n % 12, 3, tzinfo=AMS),
                channel=channel,
                category=category,
            )
        with time_machine.travel(IN_2026, tick=False):
            publish(2025)
            before = self.read_csv("boris", 2025)
            self.client.login(username="boris", password=PASSWORD)
            running_before = self.client.get("/reports/2026/").content.decode()
            # A manager refers one employee, this year, and one late fact for last year.
            record(FactKind.REQUEST, IN_2026, channel="manager", category="incident")
            record(
                FactKind.REQUEST,
                datetime(2025, 12, 30, tzinfo=AMS),
                channel="lawyer",
                category="claim",
            )
            after = self.read_csv("boris", 2025)
            self.client.login(username="boris", password=PASSWORD)
            running_after = self.client.get("/reports/2026/").content.decode()
            assert self.client.get("/reports/2026.csv").status_code == 404
        assert after == before
        # The board never sees the year running now: nothing there to compare.
        assert "has not been published yet" in running_after
        assert 'class="report' not in running_after and "<svg" not in running_after

        def without_tokens(page: str) -> str:
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

        assert without_tokens(running_before) == without_tokens(running_after)

    def test_a_year_with_one_case_tells_nothing_of_its_story(self) -> None:
        at = datetime(2025, 6, 1, 9, 0, tzinfo=AMS)
        record(FactKind.REQUEST, at, channel="manager", category="aggression")
        record(FactKind.OFFER, at)
        record(FactKind.ACCEPTED, at)
        record(FactKind.FIRST_CONTACT, at, hours_to_first_contact=20)
        record(FactKind.CONVERSATION, at, conversation_number=1)
        record(FactKind.CLOSURE, at, closure_reason="recovered")
        with time_machine.travel(IN_2026, tick=False):
            publish(2025)
            rows = self.read_csv("boris", 2025)
            page = self.client.get("/reports/2025/").content.decode()
        figures = {r[2] for r in rows[1:] if r[0] != "Note"}
        assert figures <= {"fewer than 10", "—"}, figures
        labels = {r[1] for r in rows[1:] if r[0] != "Note"}
        assert labels <= {
            "Total",
            "In all",
            "Median hours from request to first contact",
            "First contact within 72 hours",
            "Median days from hand-over to help arranged",
        }, labels
        for story in ("Manager", "Aggression", "Accepted", "Recovered enough", "20"):
            assert f">{story}<" not in page, story

    def test_no_hidden_value_reaches_the_charts(self) -> None:
        counts = {"aggression": 23, "incident": 12, "complaint": 3, "claim": 1}
        for category, n in counts.items():
            for _ in range(n):
                record(
                    FactKind.REQUEST,
                    datetime(2025, 3, 3, tzinfo=AMS),
                    channel="manager",
                    category=category,
                )
        with time_machine.travel(IN_2026, tick=False):
            publish(2025)
            self.client.login(username="boris", password=PASSWORD)
            page = self.client.get("/reports/2025/").content.decode()
        svgs = re.findall(r"<svg.*?</svg>", page, re.S)
        assert svgs
        shown = {"23", "12", "<5", "•", "39", "—", "fewer than 10"}
        for svg in svgs:
            texts = [html.unescape(t) for t in re.findall(r">([^<>]+)</text>", svg)]
            numeric = {t for t in texts if re.search(r"\d|<|•", t)} - {"2025", "2024"}
            assert numeric <= shown, numeric
            # A bar is drawn only for a count shown exactly: 23, 12 and their total 39.
            bars = re.findall(r'<rect x="230" y="(\d+)" width="([\d.]+)"', svg)
            drawn = sorted(float(w) for y, w in bars if int(y) >= 52 and float(w) > 0)
            if drawn:
                assert [round(w / drawn[-1] * 39, 1) for w in drawn] == [12, 23, 39]
            for attribute in re.findall(r'(?:aria-label|title)="([^"]*)"', svg):
                assert not re.search(r"\d", attribute), attribute
