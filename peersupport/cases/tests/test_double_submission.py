"""Nothing is submitted twice: each intake page load sends once (R-3, R-4), and the
coordinator sees when an employee already has another recent open case."""

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from peersupport.cases.models import Case, Request
from peersupport.notices.models import Message
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
        assert Case.objects.count() == 1 and Request.objects.count() == 1
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
        assert Request.objects.count() == 1
        forged = self.client.post("/requests/manager/", {**fields, "submission": "made-up"})
        assert forged.status_code == 302 and Request.objects.count() == 1

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
