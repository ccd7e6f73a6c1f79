"""The annual report: figures from the anonymous facts alone, its exports, who may read it."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from pypdf import PdfReader

from peersupport.cases.constants import ConversationMode, Reason, ReferralRoute, ReferralType
from peersupport.cases.models import Case
from peersupport.reports.annual import layout, publish, report, running
from peersupport.reports.models import Fact, FactKind, PoolYear, PublishedReport, ReportPolicy
from peersupport.reports.suppression import audit
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
IN_2026 = datetime(2026, 2, 2, 10, 0, tzinfo=AMS)


def facts(year: int, kind: str, n: int, **dims: object) -> None:
    Fact.objects.bulk_create(Fact(year=year, month=3, kind=kind, **dims) for _ in range(n))


class FixedDataTests(BaseTestCase):
    """A year written out by hand, and what the report must say about it."""

    def setUp(self) -> None:
        facts(2025, FactKind.REQUEST, 12, channel="manager", category="aggression")
        facts(2025, FactKind.REQUEST, 7, channel="manager", category="incident")
        facts(2025, FactKind.REQUEST, 9, channel="incident_report", category="incident")
        facts(2025, FactKind.REQUEST, 2, channel="colleague", category="complaint")  # small
        facts(2025, FactKind.OFFER, 25)
        facts(2025, FactKind.ACCEPTED, 18)
        facts(2025, FactKind.DECLINED, 4)  # small
        facts(2025, FactKind.NO_ANSWER, 3)  # small
        facts(2025, FactKind.CONVERSATION, 18, conversation_number=1)
        facts(2025, FactKind.CONVERSATION, 11, conversation_number=2)
        facts(2025, FactKind.CONVERSATION, 6, conversation_number=3)
        facts(2025, FactKind.REFERRAL, 3, referral_type="psychologist")
        facts(2025, FactKind.REFERRAL, 6, referral_type="hr")  # 9 in all: a tiny table
        facts(2025, FactKind.CLOSURE, 8, closure_reason="recovered")
        facts(2025, FactKind.CLOSURE, 4, closure_reason="declined")
        # median 65, 5 of 10 within 72 h
        for hours in [10, 20, 30, 40, 50, 80, 90, 100, 110, 120]:
            facts(2025, FactKind.FIRST_CONTACT, 1, hours_to_first_contact=hours)
        facts(2024, FactKind.REQUEST, 20, channel="manager", category="aggression")
        PoolYear.objects.create(year=2025, active=14, trained=28, intervision=19)

    def rows(self, title: str) -> list[tuple[str, str, str]]:
        with time_machine.travel(IN_2026, tick=False):
            shown = report(running(2025), running(2024))
        return next(s.rows for s in shown.sections if s.title == title)

    def test_the_figures_equal_the_hand_computed_ones(self) -> None:
        by_channel = {label: now for label, now, _before in self.rows("Requests by channel")}
        assert by_channel["Manager"] == "19" and by_channel["Incident report"] == "9"
        # The colleague's 2 and every empty channel read alike: 0 to 4.
        assert by_channel["Colleague"] == "<5" and by_channel["Lawyer"] == "<5"
        assert by_channel["Total"] == "30"
        by_kind = {
            label: (now, before) for label, now, before in self.rows("Requests by kind of event")
        }
        assert by_kind["Aggression"] == ("12", "20") and by_kind["(Near) error or incident"] == (
            "16",
            "<5",
        )
        assert by_kind["Complaint"] == ("<5", "<5") and by_kind["Total"] == ("30", "20")
        # 2024 had no offers: a tiny year beside this one, with no breakdown.
        assert self.rows("Offers and answers") == [
            ("Offers made", "25", "—"),
            ("Accepted", "18", "—"),
            ("Declined", "<5", "—"),
            ("No answer", "<5", "—"),
            ("In all", "—", "fewer than 10"),
        ]
        assert [r[1] for r in self.rows("Conversations held")] == ["18", "11", "6", "—"]
        # Nine referrals: fewer than the policy's 10, so no breakdown at all.
        assert self.rows("Referrals to professional help") == [
            ("Total", "fewer than 10", "fewer than 10")
        ]
        closures = {label: now for label, now, _b in self.rows("Closures")}
        # 8 recovered and 4 declined of 12: the 4 others may lie in any of four "<5"
        # (each 0 to 4), so no reason's count follows from 12 - 8.
        assert closures["Declined"] == "<5" and closures["Recovered enough"] == "8"
        assert closures["Total"] == "12"
        assert self.rows("Time from request to first contact") == [
            ("First contacts", "10", "—"),
            ("In all", "—", "fewer than 10"),
            ("Median hours from request to first contact", "65", "—"),
            ("First contact within 72 hours", "50%", "—"),
        ]
        assert [r[1] for r in self.rows("Supporters")] == ["14", "28", "19", "—"]

    def test_the_threshold_and_the_smallest_total_are_a_policy(self) -> None:
        ReportPolicy.objects.update_or_create(pk=1, defaults={"threshold": 10, "minimum": 5})
        assert [r[1] for r in self.rows("Conversations held")][:3] == ["18", "11", "<10"]
        assert [r[1] for r in self.rows("Referrals to professional help")][-1] == "<10"

    def test_the_page_the_pdf_and_the_csv_read_the_published_figures(self) -> None:
        self.client.login(username="boris", password=PASSWORD)
        with time_machine.travel(IN_2026, tick=False):
            page = self.client.get("/reports/2025/").content.decode()
            assert "has not been published yet" in page and "<svg" not in page
            assert self.client.get("/reports/2025.csv").status_code == 404
            publish(2025)
            page = self.client.get("/reports/2025/").content.decode()
            pdf = self.client.get("/reports/2025.pdf")
            csv = self.client.get("/reports/2025.csv").content.decode("utf-8-sig")
        assert "Peer Support in 2025" in page and "<svg" in page and "Published version 1" in page
        assert "Counts from 0 to 4 are shown as" in page
        assert pdf["Content-Type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        for expected in (
            "Peer Support in 2025",
            "Demo Ziekenhuis",
            "Offers and answers",
            "65",
            "50%",
        ):
            assert expected in text, expected
        assert "Requests by kind of event" in text  # the chart, drawn in the PDF
        # 2024 was never published: the board's previous-year column is empty.
        assert "Offers and answers;Declined;<5;—" in csv and "Requests by channel;Total;30;—" in csv

    def test_only_the_coordinator_and_the_board_read_it_and_only_the_coordinator_publishes(
        self,
    ) -> None:
        with time_machine.travel(IN_2026, tick=False):
            for username in ("bob", "erin", "mark", "hanna", "olga"):
                with self.subTest(username=username):
                    self.client.login(username=username, password=PASSWORD)
                    for url in ("/reports/2025/", "/reports/2025.pdf", "/reports/2025.csv"):
                        assert self.client.get(url).status_code == 403
                    assert self.client.post("/reports/2025/publish/").status_code == 403
            self.client.login(username="boris", password=PASSWORD)
            assert self.client.post("/reports/2025/publish/").status_code == 403
            self.client.logout()
            assert self.client.get("/reports/2025/")["Location"].startswith("/login/")
            self.client.login(username="alice", password=PASSWORD)
            assert self.client.get("/reports/2025/").status_code == 200
            assert self.client.get("/reports/1999/").status_code == 403
            # A year that is not over cannot be published.
            assert self.client.post("/reports/2026/publish/").status_code == 403
            assert not PublishedReport.objects.exists()
            assert self.client.post("/reports/2025/publish/").status_code == 302
        assert PublishedReport.objects.get().year == 2025


class PublishedYearsTests(BaseTestCase):
    """A published year is frozen; a correction is a new version with a note."""

    def setUp(self) -> None:
        facts(2025, FactKind.REQUEST, 14, channel="manager", category="aggression")
        facts(2025, FactKind.REQUEST, 11, channel="colleague", category="incident")
        facts(2025, FactKind.REFERRAL, 12, referral_type="hr")
        facts(2025, FactKind.REFERRAL, 7, referral_type="psychologist")

    def csv(self, year: int = 2025) -> str:
        self.client.login(username="boris", password=PASSWORD)
        return self.client.get(f"/reports/{year}.csv").content.decode("utf-8-sig")

    def test_later_facts_and_deletions_do_not_change_a_published_year(self) -> None:
        with time_machine.travel(IN_2026, tick=False):
            self.client.login(username="alice", password=PASSWORD)
            self.client.post("/reports/2025/publish/")
            published = self.csv()
            facts(2025, FactKind.REFERRAL, 1, referral_type="company_doctor")  # a late fact
            some = Fact.objects.filter(year=2025, kind=FactKind.REQUEST).values("pk")[:3]
            Fact.objects.filter(pk__in=[f["pk"] for f in some]).delete()  # retention
            assert self.csv() == published
            assert "Referrals to professional help;Total;19;" in published

    def test_a_correction_is_a_new_version_with_a_note_audited_with_the_first(self) -> None:
        with time_machine.travel(IN_2026, tick=False):
            self.client.login(username="alice", password=PASSWORD)
            self.client.post("/reports/2025/publish/")
            facts(2025, FactKind.REFERRAL, 1, referral_type="company_doctor")
            self.client.post("/reports/2025/publish/")  # no reason: refused
            self.client.post("/reports/2025/publish/", {"note": "Erin gave the wrong dose"})
            assert PublishedReport.objects.count() == 1
            self.client.post("/reports/2025/publish/", {"note": "late_facts"})
            page = self.client.get("/reports/2025/").content.decode()
            corrected = self.csv()
        first, second = PublishedReport.objects.order_by("version")
        assert second.version == 2 and "Published version 2" in page
        assert "Steps recorded late were added" in page
        assert first.figures["referrals"] == "19"
        # The change of one referral cannot be read off: the changed totals are hidden.
        assert audit([first.figures, second.figures], layout(), 5) == []
        assert "Referrals to professional help;Total;20;" not in corrected
        assert "Referrals to professional help;Company doctor;<5" not in corrected or (
            second.figures["referrals"] == "•"
        )


class FromTheWorkflowTests(BaseTestCase):
    def run_year(self) -> None:
        start = datetime(2025, 5, 5, 9, 0, tzinfo=AMS)
        with time_machine.travel(start, tick=False):
            for employee in (self.erin, self.olga, self.hanna):
                case = self.open_case(employee=employee, event_date=date(2025, 5, 4))
                case.assign(self.bob_supporter, by=self.alice_user)
        with time_machine.travel(start + timedelta(hours=30), tick=False):
            for case in Case.objects.all():
                case.record_offer(mode="phone", by=self.bob_user)
                case.accept(by=self.erin_user)
                case.hold_conversation(
                    1, start + timedelta(hours=29), ConversationMode.PHONE, by=self.bob_user
                )
                case.refer(ReferralType.HR, route=ReferralRoute.HR, consent=True, by=self.bob_user)
                case.close(Reason.REFERRED, by=self.bob_user)

    def test_the_workflow_writes_facts_with_no_link_to_anyone(self) -> None:
        self.run_year()
        kinds = sorted(Fact.objects.values_list("kind", flat=True))
        assert kinds.count(FactKind.REQUEST) == 3 and kinds.count(FactKind.CLOSURE) == 3
        assert set(Fact.objects.values_list("hours_to_first_contact", flat=True)) == {None, 30}
        assert not [f for f in Fact._meta.get_fields() if f.is_relation]

    def test_deleting_the_cases_leaves_the_report_unchanged(self) -> None:
        self.run_year()
        before = running(2025)
        Case.objects.all().delete()
        after = running(2025)
        assert after == before
