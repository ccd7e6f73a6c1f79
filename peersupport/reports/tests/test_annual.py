"""The annual report: figures from the anonymous facts alone, its exports, who may read it."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from pypdf import PdfReader

from peersupport.cases.constants import ConversationMode, Reason, ReferralRoute, ReferralType
from peersupport.cases.models import Case
from peersupport.reports.annual import build
from peersupport.reports.models import Fact, FactKind, PoolYear, ReportPolicy
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")


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
        facts(2025, FactKind.REFERRAL, 6, referral_type="hr")
        for hours in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]:  # median 55, 7 of 10 within 72 h
            facts(2025, FactKind.FIRST_CONTACT, 1, hours_to_first_contact=hours)
        facts(2024, FactKind.REQUEST, 20, channel="manager", category="aggression")
        PoolYear.objects.create(year=2025, active=14, trained=28, intervision=19)

    def test_the_figures_equal_the_hand_computed_ones(self) -> None:
        report = build(2025)
        t = report.threshold
        assert t == 5
        table = report.requests
        manager, incident_report, colleague = (
            table.rows.index("Manager"),
            table.rows.index("Incident report"),
            table.rows.index("Colleague"),
        )
        aggression, incident, complaint = (
            table.columns.index("Aggression"),
            table.columns.index("(Near) error or incident"),
            table.columns.index("Complaint"),
        )
        assert table.cells[manager][aggression].shown(t) == "12"
        assert table.cells[manager][incident].shown(t) == "7"
        assert table.cells[incident_report][incident].shown(t) == "9"
        assert table.cells[colleague][complaint].shown(t) == "<5"
        assert table.row_totals[manager].shown(t) == "19"
        assert table.column_totals[incident].shown(t) == "16"
        assert table.total.shown(t) == "30"
        # The colleague's 2 is alone in its row and column: its totals go too.
        assert table.row_totals[colleague].shown(t) in ("<5", "•")
        assert table.column_totals[complaint].shown(t) in ("<5", "•")
        assert [(line.label, line.now.shown(t)) for line in report.offers] == [
            ("Offers made", "25"),
            ("Accepted", "18"),
            ("Declined", "<5"),
            ("No answer", "<5"),
        ]
        assert [line.now.shown(t) for line in report.conversations] == ["18", "11", "6"]
        referrals = {line.label: line.now.shown(t) for line in report.referrals}
        assert (
            referrals["Psychologist"] == "<5"
            and referrals["HR"] == "•"
            and referrals["Total"] == "9"
        )
        assert report.first_contact == [
            ("First contacts", "10", "0"),
            ("Median hours from request to first contact", "55", "—"),
            ("First contact within 72 hours", "70%", "—"),
        ]
        assert [line.now.shown(t) for line in report.supporters] == ["14", "28", "19"]
        assert report.requests_before.total.shown(t) == "20"

    def test_the_threshold_is_a_policy(self) -> None:
        ReportPolicy.objects.update_or_create(pk=1, defaults={"threshold": 10})
        report = build(2025)
        assert [line.now.shown(10) for line in report.conversations] == ["18", "11", "<10"]

    def test_the_page_the_pdf_and_the_csv(self) -> None:
        self.client.login(username="boris", password=PASSWORD)
        page = self.client.get("/reports/2025/").content.decode()
        assert (
            "Peer Support in 2025" in page
            and "<svg" in page
            and "Requests by kind of event" in page
        )
        assert "Counts from 1 to 4 are shown as" in page
        pdf = self.client.get("/reports/2025.pdf")
        assert pdf["Content-Type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        for expected in (
            "Peer Support in 2025",
            "Demo Ziekenhuis",
            "Offers and answers",
            "Conversations held",
            "55",
            "70%",
        ):
            assert expected in text, expected
        assert "Requests by kind of event" in text  # the chart, drawn in the PDF
        csv = self.client.get("/reports/2025.csv").content.decode("utf-8-sig")
        assert "Offers;Declined;<5;0" in csv and "Requests;Total;30;20" in csv

    def test_only_the_coordinator_and_the_board_read_it(self) -> None:
        for username in ("bob", "erin", "mark", "hanna", "olga"):
            with self.subTest(username=username):
                self.client.login(username=username, password=PASSWORD)
                for url in ("/reports/2025/", "/reports/2025.pdf", "/reports/2025.csv"):
                    assert self.client.get(url).status_code == 403
        self.client.logout()
        assert self.client.get("/reports/2025/")["Location"].startswith("/login/")
        self.client.login(username="alice", password=PASSWORD)
        assert self.client.get("/reports/2025/").status_code == 200
        assert self.client.get("/reports/1999/").status_code == 403


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
        before = build(2025)
        Case.objects.all().delete()
        after = build(2025)
        assert after == before
