"""Every case page for every role, including the forbidden paths (R-14, R-15)."""

from peersupport.audit.models import AccessLogEntry, Outcome
from peersupport.cases.models import Case
from peersupport.test import PASSWORD, BaseTestCase


class CaseViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.other = self.open_case(employee=self.olga)  # not bob's, not erin's
        self.other.assign(self.charlie_supporter, by=self.alice_user)

    def as_user(self, username: str) -> None:
        assert self.client.login(username=username, password=PASSWORD)

    def detail(self, case: Case) -> int:
        return self.client.get(f"/cases/{case.pk}/").status_code

    # -- the list ---------------------------------------------------------------

    def test_the_coordinator_sees_every_open_case_with_its_deadline(self) -> None:
        self.as_user("alice")
        page = self.client.get("/cases/")
        assert page.status_code == 200
        assert list(page.context["rows"]) == [(self.case, "on_time"), (self.other, "on_time")]
        assert "Erin Employee" in page.content.decode() and "Olga Outsider" in page.content.decode()

    def test_closed_cases_appear_under_all_not_under_open(self) -> None:
        self.other.record_offer(mode="phone", by=self.charlie_user)
        self.other.decline(by=self.olga_user)
        self.as_user("alice")
        assert [c for c, _s in self.client.get("/cases/").context["rows"]] == [self.case]
        assert {c for c, _s in self.client.get("/cases/?show=all").context["rows"]} == {
            self.case,
            self.other,
        }

    def test_a_supporter_sees_only_their_own_cases(self) -> None:
        self.as_user("bob")
        page = self.client.get("/cases/")
        assert [c for c, _s in page.context["rows"]] == [self.case]
        assert "Olga Outsider" not in page.content.decode()

    def test_roles_without_cases_are_refused_the_list(self) -> None:
        for username in ("erin", "mark", "hanna", "boris", "olga"):
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get("/cases/").status_code == 403
        refusals = AccessLogEntry.objects.filter(action="list", outcome=Outcome.DENIED)
        assert refusals.count() == 5

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for url in ("/cases/", f"/cases/{self.case.pk}/", "/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                assert response.status_code == 302
                assert response["Location"].startswith("/login/")

    def test_the_list_refuses_other_methods(self) -> None:
        self.as_user("alice")
        assert self.client.post("/cases/").status_code == 405
        assert self.client.post(f"/cases/{self.case.pk}/").status_code == 405

    # -- one case ---------------------------------------------------------------

    def test_the_coordinator_and_the_assigned_supporter_see_the_case_and_its_history(self) -> None:
        for username in ("alice", "bob"):
            with self.subTest(username=username):
                self.as_user(username)
                page = self.client.get(f"/cases/{self.case.pk}/")
                assert page.status_code == 200
                assert [h.action for h in page.context["history"]] == ["open", "assign"]

    def test_the_affected_employee_sees_their_own_case(self) -> None:
        self.as_user("erin")
        assert self.detail(self.case) == 200

    def test_everyone_else_gets_not_found(self) -> None:
        forbidden = [
            ("bob", self.other),  # another supporter's case
            ("charlie", self.case),
            ("erin", self.other),  # someone else's case
            ("mark", self.case),  # the manager sees nothing after referring
            ("hanna", self.case),
            ("boris", self.case),
            ("olga", self.case),
        ]
        for username, case in forbidden:
            with self.subTest(username=username, case=case.pk):
                self.as_user(username)
                assert self.detail(case) == 404

    def test_a_case_that_does_not_exist_is_not_found_and_logged(self) -> None:
        self.as_user("alice")
        assert self.client.get("/cases/999999/").status_code == 404
        entry = AccessLogEntry.objects.get(object_id=999999)
        assert entry.outcome == Outcome.DENIED

    def test_every_view_writes_one_access_log_row(self) -> None:
        self.as_user("bob")
        self.client.get(f"/cases/{self.case.pk}/")
        self.as_user("charlie")
        self.client.get(f"/cases/{self.case.pk}/")
        rows = AccessLogEntry.objects.filter(object_type="case", object_id=self.case.pk).order_by(
            "pk"
        )
        assert [(r.user_id, r.role, r.action, r.outcome) for r in rows] == [
            (self.bob_user.pk, "supporter", "view", Outcome.ALLOWED),
            (self.charlie_user.pk, "", "view", Outcome.DENIED),
        ]

    def test_the_page_title_names_no_person_and_no_event(self) -> None:
        self.as_user("alice")
        html = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        title = html.split("<title>")[1].split("</title>")[0]
        assert "Erin" not in title and "incident" not in title.lower()
        assert f"Case {self.case.pk}" in title

    def test_the_case_page_never_names_the_referrer(self) -> None:
        self.mark_user.first_name, self.mark_user.last_name = "Mark", "Manager"
        self.mark_user.save()
        for username in ("alice", "bob", "erin"):
            with self.subTest(username=username):
                self.as_user(username)
                html = self.client.get(f"/cases/{self.case.pk}/").content.decode()
                assert "Mark" not in html

    def test_a_case_opened_by_an_integration_renders(self) -> None:
        from peersupport.cases.models import SupportRequest

        request = SupportRequest.objects.create(event=self.case.event, channel="incident_report")
        case = Case.open_for(request=request, employee=self.charlie, by=None)
        self.as_user("alice")
        assert self.detail(case) == 200

    def test_a_deactivated_account_loses_its_roles(self) -> None:
        self.alice_user.is_active = False
        self.alice_user.save()
        assert self.alice_user.role_set == frozenset()
