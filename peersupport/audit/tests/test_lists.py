"""Every page that shows a case names it in the access log, in one INSERT per page,
and the employee sees it: "seen in a list by the coordinator" (R-15)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from peersupport.audit.models import AccessLogEntry, head
from peersupport.test import PASSWORD, BaseTestCase


def log_inserts(queries: CaptureQueriesContext) -> int:
    return sum('INSERT INTO "audit_accesslogentry"' in q["sql"] for q in queries.captured_queries)


class ListsAreLoggedTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.other = self.open_case(employee=self.olga)
        self.third = self.open_case(employee=self.mark)

    def listed(self, user_id: int) -> set[int | None]:
        rows = AccessLogEntry.objects.filter(
            user_id=user_id, action="list", outcome="allowed", position__gt=self.before
        )
        return set(rows.values_list("object_id", flat=True))

    def look(self, username: str, url: str) -> int:
        self.client.login(username=username, password=PASSWORD)
        self.before = head()[0]
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(url).status_code == 200, url
        return log_inserts(queries)

    def test_each_list_names_every_case_it_shows_in_one_insert(self) -> None:
        everyone = {self.case.pk, self.other.pk, self.third.pk}
        waiting = {self.other.pk, self.third.pk}  # the assigned case is not on the dashboard
        # (who, page, cases shown, inserts: the event page also logs the event's own row)
        pages = [
            ("alice", "/cases/", everyone, 1),
            ("alice", "/cases/dashboard/", waiting, 1),
            ("alice", f"/cases/events/{self.case.event_id}/", {self.case.pk}, 2),
            ("bob", "/cases/", {self.case.pk}, 1),
            ("erin", "/me/", {self.case.pk}, 1),
        ]
        for username, url, cases, inserts in pages:
            with self.subTest(url=url, username=username):
                assert self.look(username, url) == inserts
                user = getattr(self, f"{username}_user")
                assert self.listed(user.pk) == cases

    def test_the_employee_sees_their_case_was_seen_in_a_list(self) -> None:
        self.client.login(username="alice", password=PASSWORD)
        self.client.get("/cases/")
        self.client.login(username="erin", password=PASSWORD)
        page = self.client.get("/me/log/")
        entries = list(page.context["entries"])
        assert [(e.action, e.role) for e in entries if e.user_id == self.alice_user.pk] == [
            ("list", "coordinator")
        ]
        assert "seen in a list" in page.content.decode()
        assert all(e.object_id == self.case.pk for e in entries)
