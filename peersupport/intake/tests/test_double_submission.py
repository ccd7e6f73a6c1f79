"""Nothing is submitted twice: each intake page load sends once (R-3, R-4), and the
coordinator sees when an employee already has another recent open case."""

import re
import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, TransactionTestCase
from django.utils import timezone

from peersupport.cases.constants import Action
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.notices.models import Message
from peersupport.people.models import Department, Employee, Function, Role, User
from peersupport.supporters.models import Supporter
from peersupport.test import PASSWORD, BaseTestCase


class SingleUseFormTests(BaseTestCase):
    def token(self, path: str) -> str:
        page = self.client.get(path).content.decode()
        found = re.search(r'name="submission" value="([^"]+)"', page)
        assert found is not None
        return found.group(1)

    def test_back_and_send_again_makes_one_case_and_one_message(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        fields = {
            "category": "other",
            "event_date": yesterday,
            "supporter": self.bob_supporter.pk,
            "submission": self.token("/requests/ask/"),
        }
        first = self.client.post("/requests/ask/", fields)
        assert first["Location"] == "/requests/asked/"
        messages_after_first = Message.objects.count()
        again = self.client.post("/requests/ask/", fields, follow=True)
        assert again.redirect_chain[-1][0] == "/requests/asked/"
        assert "already sent" in again.content.decode()
        assert Case.objects.count() == 1 and SupportRequest.objects.count() == 1
        assert Message.objects.count() == messages_after_first
        assert len(mail.outbox) == 0  # the outbox, not SMTP, holds the one message

    def test_a_referral_page_sends_once_and_a_new_page_load_sends_again(self) -> None:
        assert self.client.login(username="mark", password=PASSWORD)
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        fields = {
            "category": "aggression",
            "event_date": yesterday,
            "department": self.ward.pk,
            "employees": [self.erin.pk],
            "discussed_with_employee": "yes",
        }
        token = self.token("/requests/manager/")
        assert (
            self.client.post("/requests/manager/", {**fields, "submission": token}).status_code
            == 302
        )
        assert (
            self.client.post("/requests/manager/", {**fields, "submission": token}).status_code
            == 302
        )
        assert SupportRequest.objects.count() == 1
        # A token this session never issued (a page from before signing in again, or a
        # forged one) is not answered "received": the form says nothing was sent yet.
        forged = self.client.post("/requests/manager/", {**fields, "submission": "made-up"})
        assert forged.status_code == 400 and SupportRequest.objects.count() == 1
        assert "nothing was sent yet" in forged.content.decode()
        assert 'value="made-up"' not in forged.content.decode()  # a fresh token to send with

    def test_a_self_request_with_an_unknown_or_missing_token_is_not_told_received(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        fields = {"category": "other", "event_date": yesterday, "supporter": ""}
        for sent in ({**fields, "submission": "forged"}, {**fields, "submission": ""}):
            page = self.client.post("/requests/ask/", sent)
            assert page.status_code == 400
            body = page.content.decode()
            assert "nothing was sent yet" in body and "Error:" in body
            assert re.search(r'name="category" value="other"[^>]*checked', body)  # kept
        assert Case.objects.count() == 0
        # Sent again with the new page's token, it goes through.
        token = re.search(r'name="submission" value="([^"]+)"', body)
        assert token is not None
        answer = self.client.post("/requests/ask/", {**fields, "submission": token.group(1)})
        assert answer["Location"] == "/requests/asked/" and Case.objects.count() == 1

    def test_the_same_self_request_from_a_page_loaded_anew_makes_no_second_case(self) -> None:
        """Back and reload (or a second tab) give a new page and so a new token: the
        same request within the hour is still recognised as sent."""
        assert self.client.login(username="erin", password=PASSWORD)
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        fields = {"category": "other", "event_date": yesterday, "supporter": ""}
        for _ in range(3):
            self.client.post(
                "/requests/ask/", {**fields, "submission": self.token("/requests/ask/")}
            )
        assert Case.objects.count() == 1
        sent = Message.objects.count()
        other = {**fields, "category": "aggression", "submission": self.token("/requests/ask/")}
        assert self.client.post("/requests/ask/", other)["Location"] == "/requests/asked/"
        assert Case.objects.count() == 2 and Message.objects.count() > sent

    def test_a_form_shown_again_with_errors_keeps_its_token(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        token = self.token("/requests/ask/")
        page = self.client.post("/requests/ask/", {"category": "other", "submission": token})
        assert f'value="{token}"' in page.content.decode()


class RecentCaseHintTests(BaseTestCase):
    def test_the_coordinator_sees_another_recent_open_case_on_the_case_and_the_dashboard(
        self,
    ) -> None:
        with time_machine.travel(timezone.now() - timedelta(days=40)):
            old = self.open_case()
        first = self.open_case(event_date=timezone.localdate() - timedelta(days=3))
        second = self.open_case(event_date=timezone.localdate() - timedelta(days=2))
        other_employee = self.open_case(employee=self.olga)
        assert self.client.login(username="alice", password=PASSWORD)
        page = self.client.get(f"/cases/{second.pk}/").content.decode()
        assert "Another open case in the last 30 days" in page
        assert f'href="/cases/{first.pk}/"' in page
        assert f'href="/cases/{old.pk}/"' not in page
        assert (
            "Another open case"
            not in self.client.get(f"/cases/{other_employee.pk}/").content.decode()
        )
        dashboard = self.client.get("/cases/dashboard/")
        rows = {case.pk: case.other_recent for case, _state in dashboard.context["waiting"]}
        assert rows == {old.pk: True, first.pk: True, second.pk: True, other_employee.pk: False}
        assert "Another open case in the last 30 days" in dashboard.content.decode()

    def test_the_supporter_is_not_shown_the_employees_other_cases(self) -> None:
        first = self.open_case()
        second = self.open_case(event_date=timezone.localdate() - timedelta(days=2))
        second.assign(self.bob_supporter, by=self.alice_user)
        assert self.client.login(username="bob", password=PASSWORD)
        page = self.client.get(f"/cases/{second.pk}/").content.decode()
        assert "Another open case" not in page and f"/cases/{first.pk}/" not in page


STALE = "Nothing was recorded: the case changed after this page was loaded"


def seen_on(page: str, action: str) -> str:
    """The page token of one step form on a case page, as the browser would send it."""
    form = re.search(rf'action="/cases/\d+/steps/{action}/"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, f"no {action} form on the page"
    found = re.search(r'name="seen" value="(\d+)"', form.group(1))
    assert found is not None
    return found.group(1)


class StepTwiceTests(BaseTestCase):
    """A case step sent twice from one page load (a double click, the page in two tabs)
    is recorded once; the second sending is told why nothing happened."""

    def setUp(self) -> None:
        self.case = self.open_case(event_date=timezone.localdate() - timedelta(days=1))
        self.case.assign(self.bob_supporter, by=self.alice_user)
        assert self.client.login(username="bob", password=PASSWORD)

    def page(self) -> str:
        return self.client.get(f"/cases/{self.case.pk}/").content.decode()

    def test_a_double_click_on_a_step_counts_it_once(self) -> None:
        url = f"/cases/{self.case.pk}/steps/contact_attempt/"
        seen = seen_on(self.page(), "contact_attempt")
        first = self.client.post(url, {"seen": seen}, follow=True)
        second = self.client.post(url, {"seen": seen}, follow=True)
        assert first.status_code == second.status_code == 200
        assert "Recorded: Contact attempt." in first.content.decode()
        assert STALE in second.content.decode()
        self.case.refresh_from_db()
        assert self.case.contact_attempts == 1
        assert self.case.history.filter(action=Action.CONTACT_ATTEMPT).count() == 1
        # A fresh page load records the next call as usual.
        self.client.post(url, {"seen": seen_on(self.page(), "contact_attempt")})
        self.case.refresh_from_db()
        assert self.case.contact_attempts == 2

    def test_undo_sent_twice_takes_back_one_step_not_two(self) -> None:
        self.case.record_contact_attempt(by=self.bob_user)
        self.case.record_offer(mode="phone", by=self.bob_user)
        url = f"/cases/{self.case.pk}/steps/undo/"
        seen = seen_on(self.page(), "undo")
        self.client.post(url, {"seen": seen})
        second = self.client.post(url, {"seen": seen}, follow=True)
        assert STALE in second.content.decode()
        self.case.refresh_from_db()
        assert self.case.offered_at is None and self.case.contact_attempts == 1
        assert self.case.history.filter(action=Action.UNDO).count() == 1

    def test_a_form_from_a_second_tab_loaded_earlier_is_refused_and_saves_nothing(self) -> None:
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.case.accept(by=self.erin_user)
        old_tab = self.page()
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        plan = {"plan_conversation-day": tomorrow, "plan_conversation-time": "10:00"}
        plan |= {"plan_conversation-number": "1", "plan_conversation-mode": "phone"}
        url = f"/cases/{self.case.pk}/steps/plan_conversation/"
        self.client.post(url, {**plan, "seen": seen_on(self.page(), "plan_conversation")})
        again = self.client.post(
            url,
            {
                **plan,
                "plan_conversation-time": "11:00",
                "seen": seen_on(old_tab, "plan_conversation"),
            },
            follow=True,
        )
        assert STALE in again.content.decode()
        conversation = self.case.conversations.get()
        assert timezone.localtime(conversation.planned_at).hour == 10
        assert self.case.history.filter(action=Action.PLAN_CONVERSATION).count() == 1

    def test_every_step_form_on_the_case_page_carries_the_page_token(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        page = self.page()
        forms = re.findall(
            r'<form method="post" action="/cases/\d+/steps/[a-z_]+/".*?</form>', page, re.S
        )
        assert forms
        assert all('name="seen"' in form for form in forms)


@pytest.mark.postgresql
class ConcurrentStepTests(TransactionTestCase):
    """The same step form sent twice at the same moment in one session, on PostgreSQL
    with real threads and connections: one is recorded, the other is told, no 500."""

    def setUp(self) -> None:
        ward = Department.objects.create(code="CAR", name="Cardiologie")
        nurse = Function.objects.create(code="VPK", name="Verpleegkundige")
        user = User.objects.create_user("bob", password=PASSWORD)
        user.roles.create(role=Role.SUPPORTER)
        bob = Employee.objects.create(
            staff_number="bob", name="Bob", department=ward, function=nurse, user=user
        )
        supporter = Supporter.objects.create(employee=bob, trained_on=date(2025, 1, 1))
        erin = Employee.objects.create(
            staff_number="erin", name="Erin", department=ward, function=nurse
        )
        event = Event.objects.create(
            category="incident", event_date=timezone.localdate(), department=ward
        )
        self.case = Case.open_for(
            request=SupportRequest.objects.create(event=event, channel="manager"), employee=erin
        )
        self.case.assign(supporter, by=None)

    def test_two_sendings_at_once_record_the_step_once(self) -> None:
        browser = Client()
        assert browser.login(username="bob", password=PASSWORD)
        page = browser.get(f"/cases/{self.case.pk}/").content.decode()
        seen = seen_on(page, "contact_attempt")
        barrier = threading.Barrier(2)
        answers: list[tuple[int, str]] = []

        def send() -> None:
            try:
                tab = Client()
                tab.cookies = browser.cookies  # the same session: two tabs, one browser
                barrier.wait()
                response = tab.post(
                    f"/cases/{self.case.pk}/steps/contact_attempt/", {"seen": seen}, follow=True
                )
                answers.append((response.status_code, response.content.decode()))
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert [status for status, _page in answers] == [200, 200]
        self.case.refresh_from_db()
        assert self.case.contact_attempts == 1
        assert self.case.history.filter(action=Action.CONTACT_ATTEMPT).count() == 1
        assert sum(STALE in page for _status, page in answers) == 1
        assert sum("Recorded: Contact attempt." in page for _status, page in answers) == 1
