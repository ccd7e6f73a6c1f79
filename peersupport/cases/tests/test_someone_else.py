"""Issue 18 point 4 (R-6): "not this person, but yes to support". The employee asks
for someone else from their own page; the case goes back to the coordinator, who is
told content-free through the outbox, and that supporter is not suggested again for
this case, also after a later decline and reopen."""

import pytest

from peersupport.cases.constants import Action, Reason, Status
from peersupport.cases.models import Case
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.notices.delivery import render
from peersupport.notices.models import Kind, Message
from peersupport.test import PASSWORD, BaseTestCase
from peersupport.workspace.matching import candidates


class SomeoneElseTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.case.accept(by=self.erin_user)
        Message.objects.all().delete()

    def as_user(self, username: str) -> None:
        self.client.logout()
        assert self.client.login(username=username, password=PASSWORD)

    def ask(self) -> None:
        self.as_user("erin")
        url = f"/me/cases/{self.case.pk}/ask_other/"
        asked = self.client.post(url)
        assert asked.status_code == 200 and "Ask for another supporter?" in asked.content.decode()
        assert Case.objects.get(pk=self.case.pk).supporter == self.bob_supporter
        assert self.client.post(url, {"confirm": "yes"}).status_code == 302
        self.case.refresh_from_db()

    def test_the_employee_finds_the_button_on_their_own_page(self) -> None:
        self.as_user("erin")
        page = self.client.get("/me/").content.decode()
        assert f'action="/me/cases/{self.case.pk}/ask_other/"' in page
        assert "Someone else, please" in page

    def test_asking_sends_the_case_back_to_matching_with_a_history_row(self) -> None:
        self.ask()
        assert self.case.status == Status.NEW and self.case.supporter is None
        row = self.case.history.last()
        assert row is not None
        assert (row.action, row.by, row.from_supporter, row.reason) == (
            Action.ASK_OTHER,
            self.erin_user,
            self.bob_supporter,
            Reason.EMPLOYEE_PREFERENCE,
        )
        page = self.client.get("/me/").content.decode()
        assert "finding a supporter for you" in page
        self.as_user("alice")
        dashboard = self.client.get("/cases/dashboard/")
        assert [c for c, _s in dashboard.context["waiting"]] == [self.case]
        detail = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "The employee asked for another supporter" in detail

    def test_the_coordinator_is_told_content_free_through_the_outbox(self) -> None:
        self.ask()
        messages = list(Message.objects.order_by("pk"))
        # The supporter hears the case is no longer theirs (not why); the coordinator
        # that it waits for someone else.
        assert [(m.recipient_id, m.kind, m.path) for m in messages] == [
            (self.bob_user.pk, Kind.CASE_REASSIGNED, "/cases/"),
            (self.alice_user.pk, Kind.ANOTHER_SUPPORTER, f"/cases/{self.case.pk}/"),
        ]
        told = render(messages[0], "bob@hospital.test")
        assert "Erin" not in f"{told.subject} {told.body}"
        email = render(messages[1], "alice@hospital.test")
        text = f"{email.subject} {email.body}"
        assert "iemand anders" in text  # alice reads Dutch
        for secret in ("Erin", "Bob", "incident", "Incident"):
            assert secret not in text

    def test_that_supporter_is_not_suggested_again_and_the_coordinator_sees_why(self) -> None:
        self.ask()
        assert self.bob_supporter not in candidates(self.case)
        assert self.charlie_supporter in candidates(self.case)
        self.as_user("alice")
        page = self.client.get(f"/cases/{self.case.pk}/match/")
        assert [s.supporter for s in page.context["suggestions"]] == [self.charlie_supporter]
        assert (
            "Bob Supporter</strong> (the employee asked for someone else)" in page.content.decode()
        )
        refused = self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        assert refused.status_code == 302
        self.case.refresh_from_db()
        assert self.case.supporter is None

    def test_the_exclusion_survives_a_later_decline_and_reopen(self) -> None:
        self.ask()
        self.case.assign(self.charlie_supporter, by=self.alice_user)
        self.case.record_offer(mode="phone", by=self.charlie_user)
        self.case.decline(by=self.erin_user)
        self.case.reopen(by=self.erin_user)
        assert self.bob_supporter not in candidates(self.case)
        assert self.charlie_supporter in candidates(self.case)

    def test_only_the_employee_of_the_case_can_ask_and_only_while_a_supporter_is_there(
        self,
    ) -> None:
        for username in ("bob", "charlie", "mark", "olga", "alice"):
            with self.subTest(username=username):
                self.as_user(username)
                response = self.client.post(
                    f"/me/cases/{self.case.pk}/ask_other/", {"confirm": "yes"}
                )
                assert response.status_code == 404
        assert Case.objects.get(pk=self.case.pk).supporter == self.bob_supporter
        self.ask()
        with pytest.raises(TransitionNotAllowed):
            self.case.ask_for_another(by=self.erin_user)
