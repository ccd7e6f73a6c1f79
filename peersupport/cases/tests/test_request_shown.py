"""The coordinator and the supporter see how a request came in, and a manager's
answer "not yet discussed with the employee", on the dashboard and the case page."""

from peersupport.cases.constants import Channel
from peersupport.test import PASSWORD, BaseTestCase

NOT_DISCUSSED = "ot yet discussed with the employee"


class RequestShownTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case(channel=Channel.MANAGER)
        self.case.request.discussed_with_employee = False
        self.case.request.save()
        self.other = self.open_case(employee=self.olga, channel=Channel.COLLEAGUE)

    def test_the_dashboard_shows_the_channel_and_not_yet_discussed(self) -> None:
        assert self.client.login(username="alice", password=PASSWORD)
        page = self.client.get("/cases/dashboard/").content.decode()
        assert "Via: Manager" in page and "Via: Colleague" in page
        assert page.count(NOT_DISCUSSED) == 1

    def test_the_case_page_shows_them_to_the_coordinator_and_the_supporter(self) -> None:
        self.case.assign(self.bob_supporter, by=self.alice_user)
        for username in ("alice", "bob"):
            assert self.client.login(username=username, password=PASSWORD)
            page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
            assert "Request via" in page and "Manager" in page, username
            assert "The manager has not yet discussed this with the employee." in page
        assert self.client.login(username="alice", password=PASSWORD)
        page = self.client.get(f"/cases/{self.other.pk}/").content.decode()
        assert NOT_DISCUSSED not in page

    def test_discussed_or_unknown_says_nothing(self) -> None:
        self.case.request.discussed_with_employee = True
        self.case.request.save()
        assert self.client.login(username="alice", password=PASSWORD)
        assert NOT_DISCUSSED not in self.client.get("/cases/dashboard/").content.decode()
