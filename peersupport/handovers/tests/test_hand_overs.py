"""The hand-over to HR (procedure §8 step 6) through the real pages: the supporter's
referral step, HR's page and steps, what the supporter, the coordinator and the
employee see, the report and retention."""

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings
from django.utils import timezone

from peersupport.cases.constants import Channel, Reason
from peersupport.cases.models import Case
from peersupport.cases.retention import purge
from peersupport.handovers.models import HandOver, HandOverStep, Status
from peersupport.notices.models import Kind, Message
from peersupport.people.models import DeletionRequest
from peersupport.reports.annual import count
from peersupport.reports.models import Fact, FactKind
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)


class HandOverTestCase(BaseTestCase):
    def setUp(self) -> None:
        with time_machine.travel(START, tick=False):
            self.case = self.open_case(channel=Channel.MANAGER)
            self.case.assign(self.bob_supporter, by=self.alice_user)
            self.case.record_offer(mode="phone", by=self.bob_user)
            self.case.accept(by=self.erin_user)

    def as_user(self, username: str) -> None:
        self.client.logout()
        assert self.client.login(username=username, password=PASSWORD)

    def refer(self, route: str = "hr", consent: str = "yes", kind: str = "psychologist") -> Any:
        self.as_user("bob")
        return self.client.post(
            f"/cases/{self.case.pk}/steps/refer/",
            {"refer-kind": kind, "refer-route": route, "refer-consent": consent},
        )

    def record(self, hand_over: HandOver, status: str, on: date) -> Any:
        return self.client.post(
            f"/handovers/{hand_over.pk}/", {"status": status, "on": on.isoformat()}
        )


class ReferralStepTests(HandOverTestCase):
    def test_a_referral_via_hr_with_consent_is_handed_over_and_hr_is_told_once(self) -> None:
        with time_machine.travel(START + timedelta(days=1), tick=False):
            assert self.refer().status_code == 302
        hand_over = HandOver.objects.get(referral__case=self.case)
        assert hand_over.status == Status.SENT
        messages = Message.objects.filter(kind=Kind.HAND_OVER)
        assert [m.recipient_id for m in messages] == [self.hanna_user.pk]
        assert messages.get().path == f"/handovers/{hand_over.pk}/"

    @override_settings(HANDOVER_HR_EMAIL="po@hospital.test")
    def test_the_address_in_the_settings_hears_too(self) -> None:
        self.refer()
        assert sorted(
            (m.recipient_id or 0, m.address) for m in Message.objects.filter(kind=Kind.HAND_OVER)
        ) == [(0, "po@hospital.test"), (self.hanna_user.pk, "")]

    def test_without_consent_nothing_is_handed_over(self) -> None:
        self.refer(consent="no")
        assert self.case.referrals.count() == 1
        assert not HandOver.objects.exists()
        assert not Message.objects.filter(kind=Kind.HAND_OVER).exists()

    def test_a_referral_via_the_coordinator_lands_on_the_dashboard_and_not_with_hr(self) -> None:
        self.refer(route="coordinator")
        hand_over = HandOver.objects.get()
        assert not Message.objects.filter(kind=Kind.HAND_OVER).exists()
        self.as_user("alice")
        page = self.client.get("/cases/dashboard/").content.decode()
        assert f"/handovers/{hand_over.pk}/" in page and "Erin Employee" in page
        self.as_user("hanna")
        assert f"/handovers/{hand_over.pk}/" not in self.client.get("/handovers/").content.decode()
        assert self.client.get(f"/handovers/{hand_over.pk}/").status_code == 404
        # The coordinator follows it up.
        self.as_user("alice")
        assert self.record(hand_over, "help_arranged", timezone.localdate()).status_code == 302
        hand_over.refresh_from_db()
        assert hand_over.status == Status.HELP_ARRANGED
        assert (
            f"/handovers/{hand_over.pk}/"
            not in self.client.get("/cases/dashboard/").content.decode()
        )

    def test_undoing_the_referral_takes_the_hand_over_back(self) -> None:
        self.refer()
        self.client.post(f"/cases/{self.case.pk}/steps/undo/")
        assert not HandOver.objects.exists()
        assert not self.case.referrals.exists()


class HrPageTests(HandOverTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.erin.phone = "+31301234567"
        self.erin.save()
        with time_machine.travel(START + timedelta(days=1), tick=False):
            self.refer()
        self.hand_over = HandOver.objects.get()

    def test_hr_sees_who_how_to_reach_them_what_help_and_when_and_nothing_else(self) -> None:
        self.as_user("hanna")
        home = self.client.get("/").content.decode()
        assert "/handovers/" in home and "1 hand-over is waiting" in home
        listing = self.client.get("/handovers/").content.decode()
        assert "Erin Employee" in listing and f"/handovers/{self.hand_over.pk}/" in listing
        page = self.client.get(f"/handovers/{self.hand_over.pk}/").content.decode()
        for shown in ("Erin Employee", "mailto:erin@hospital.test", "tel:+31301234567"):
            assert shown in page, shown
        assert "Psychologist" in page and "3 March 2026" in page
        for hidden in ("Incident", "incident", "Cardiologie", "Bob Supporter", "Mark Manager"):
            assert hidden not in page, hidden
        # Nothing else about the case: its page, the lists, the dashboard.
        assert self.client.get(f"/cases/{self.case.pk}/").status_code == 404
        assert self.client.get("/cases/").status_code == 403
        assert self.client.get("/cases/dashboard/").status_code == 403

    def test_without_a_work_address_hr_gets_the_account_s_e_mail(self) -> None:
        self.erin.email, self.erin.phone = "", ""
        self.erin.save()
        self.erin_user.email = "erin.account@hospital.test"
        self.erin_user.save()
        self.as_user("hanna")
        page = self.client.get(f"/handovers/{self.hand_over.pk}/").content.decode()
        assert "mailto:erin.account@hospital.test" in page and "tel:" not in page

    def test_hr_records_contact_then_help_arranged_and_the_history_is_kept(self) -> None:
        self.as_user("hanna")
        with time_machine.travel(START + timedelta(days=3), tick=False):
            assert self.record(self.hand_over, "contact_made", date(2026, 3, 4)).status_code == 302
            assert self.record(self.hand_over, "help_arranged", date(2026, 3, 5)).status_code == 302
            page = self.client.get(f"/handovers/{self.hand_over.pk}/").content.decode()
        assert [(s.status, s.on) for s in HandOverStep.objects.all()] == [
            (Status.CONTACT_MADE, date(2026, 3, 4)),
            (Status.HELP_ARRANGED, date(2026, 3, 5)),
        ]
        assert "Contact made" in page and "4 March 2026" in page and "5 March 2026" in page
        assert 'name="status"' not in page  # complete: no more steps offered
        fact = Fact.objects.get(kind=FactKind.HELP_ARRANGED)
        assert (fact.referral_type, fact.days_to_help) == ("psychologist", 2)
        # and a later step is refused, with nothing saved
        response = self.record(self.hand_over, "declined", date(2026, 3, 5))
        assert response.status_code == 302
        assert HandOverStep.objects.count() == 2

    def test_the_employee_declined(self) -> None:
        self.as_user("hanna")
        self.record(self.hand_over, "declined", timezone.localdate())
        self.hand_over.refresh_from_db()
        assert self.hand_over.status == Status.DECLINED
        assert not Fact.objects.filter(kind=FactKind.HELP_ARRANGED).exists()

    def test_a_bad_step_names_the_field_and_saves_nothing(self) -> None:
        self.as_user("hanna")
        future = timezone.localdate() + timedelta(days=2)
        response = self.record(self.hand_over, "contact_made", future)
        assert response.status_code == 400
        assert "The date cannot be in the future." in response.content.decode()
        response = self.client.post(f"/handovers/{self.hand_over.pk}/", {"on": "2026-13-40"})
        page = response.content.decode()
        assert response.status_code == 400
        assert 'href="#id_status_0">What happened?' in page and 'href="#id_on">Date' in page
        response = self.record(self.hand_over, "sent", timezone.localdate())
        assert response.status_code == 400
        assert not HandOverStep.objects.exists()
        self.hand_over.refresh_from_db()
        assert self.hand_over.status == Status.SENT

    def test_a_date_before_the_hand_over_is_refused(self) -> None:
        self.as_user("hanna")
        response = self.record(self.hand_over, "contact_made", date(2026, 3, 1))
        assert response.status_code == 400
        assert "The date cannot be before the hand-over." in response.content.decode()
        assert not HandOverStep.objects.exists()

    def test_the_supporter_the_coordinator_and_the_employee_see_the_status(self) -> None:
        self.as_user("hanna")
        self.record(self.hand_over, "help_arranged", timezone.localdate())
        for username, path in (
            ("bob", f"/cases/{self.case.pk}/"),
            ("alice", f"/cases/{self.case.pk}/"),
            ("erin", f"/cases/{self.case.pk}/"),
            ("erin", "/me/"),
        ):
            self.as_user(username)
            page = self.client.get(path).content.decode()
            assert "Hand-over: Help arranged" in page, (username, path)
        data = json.loads(self.client.get("/me/data/?format=json").content)
        (referral,) = data["cases"][0]["referrals"]
        assert referral["hand_over"]["status"] == "help_arranged"
        assert [s["status"] for s in referral["hand_over"]["steps"]] == ["help_arranged"]

    def test_the_employee_sees_hr_s_looks_in_their_access_log(self) -> None:
        self.as_user("hanna")
        self.client.get(f"/handovers/{self.hand_over.pk}/")
        self.as_user("erin")
        page = self.client.get("/me/log/").content.decode()
        assert 'data-label="Role">HR</td>' in page and ">opened<" in page
        assert "Hanna" not in page

    def test_wrong_methods_are_refused(self) -> None:
        self.as_user("hanna")
        assert self.client.post("/handovers/").status_code == 405
        assert self.client.put(f"/handovers/{self.hand_over.pk}/").status_code == 405
        assert self.client.delete(f"/handovers/{self.hand_over.pk}/").status_code == 405

    def test_nobody_else_reaches_a_hand_over(self) -> None:
        url = f"/handovers/{self.hand_over.pk}/"
        for username in ("erin", "bob", "charlie", "mark", "olga", "boris"):
            self.as_user(username)
            assert self.client.get(url).status_code == 404, username
            assert (
                self.record(self.hand_over, "help_arranged", timezone.localdate()).status_code
                == 404
            )
            assert self.client.get("/handovers/").status_code == 403, username
        self.client.logout()
        assert self.client.get(url).status_code == 302
        # The coordinator may look, but HR follows up what was sent to HR.
        self.as_user("alice")
        assert self.client.get(url).status_code == 200
        assert self.record(self.hand_over, "help_arranged", timezone.localdate()).status_code == 404
        assert not HandOverStep.objects.exists()
        assert self.client.get(f"/handovers/{2**70}/").status_code == 404

    def test_retention_deletes_the_hand_over_with_its_case(self) -> None:
        self.as_user("hanna")
        self.record(self.hand_over, "help_arranged", timezone.localdate())
        self.case.close(Reason.REFERRED, by=self.bob_user)
        DeletionRequest.objects.create(employee=self.erin)
        purge()
        assert not Case.objects.exists()
        assert not HandOver.objects.exists() and not HandOverStep.objects.exists()
        # the anonymous fact stays for the report
        assert Fact.objects.filter(kind=FactKind.HELP_ARRANGED).exists()


class ReportTests(HandOverTestCase):
    def test_the_report_counts_help_arranged_by_kind_and_the_time_it_took(self) -> None:
        self.refer(kind="company_doctor")
        self.as_user("hanna")
        self.record(HandOver.objects.get(), "help_arranged", timezone.localdate())
        values, measures = count(timezone.localdate().year)
        assert values["arranged"] == 1 and values["arranged.company_doctor"] == 1
        assert values["referrals.company_doctor"] == 1
        assert measures["days_to_help"] == "—"  # a median of one would tell that one
        self.as_user("alice")
        page = self.client.get(f"/reports/{timezone.localdate().year}/").content.decode()
        assert "Help arranged after a hand-over" in page
        assert "Median days from hand-over to help arranged" in page

    def test_the_median_shows_once_the_group_is_large_enough(self) -> None:
        from peersupport.reports.facts import record

        at = timezone.now()
        for days in range(10):
            record(FactKind.HELP_ARRANGED, at, referral_type="psychologist", days_to_help=days)
        _values, measures = count(timezone.localtime(at).year)
        assert measures["days_to_help"] == "4.5"


class SentTwiceTests(HandOverTestCase):
    """Found from outside: the same referral sent again from a reloaded page made a
    second hand-over, and HR two e-mails about one employee."""

    def test_the_same_referral_is_not_handed_over_twice_while_open(self) -> None:
        with time_machine.travel(START + timedelta(days=1), tick=False):
            assert self.refer().status_code == 302
            again = self.refer()
        assert again.status_code == 400
        assert "already handed over" in again.content.decode()
        assert HandOver.objects.filter(referral__case=self.case).count() == 1
        assert Message.objects.filter(kind=Kind.HAND_OVER).count() == 1
        # Another kind of help is a referral of its own.
        with time_machine.travel(START + timedelta(days=1, hours=1), tick=False):
            assert self.refer(kind="company_doctor").status_code == 302
        assert HandOver.objects.filter(referral__case=self.case).count() == 2
