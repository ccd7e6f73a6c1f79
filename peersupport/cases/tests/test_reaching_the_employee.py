"""Issue 18 point 2: the supporter and the coordinator can reach the employee (work
phone and e-mail from the HR import, the employee's own preferred number and time);
nobody else sees them."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from peersupport.cases.models import Case
from peersupport.people.models import CallTime, Employee
from peersupport.test import PASSWORD, BaseTestCase

WORK_PHONE = "+31302001234"
PREFERRED = "+31612345678"


class ReachingTheEmployeeTests(BaseTestCase):
    def setUp(self) -> None:
        Employee.objects.filter(pk=self.erin.pk).update(phone=WORK_PHONE)
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)

    def as_user(self, username: str) -> None:
        self.client.logout()
        assert self.client.login(username=username, password=PASSWORD)

    def test_the_assigned_supporter_and_the_coordinator_get_tel_and_mailto_links(self) -> None:
        for username in ("bob", "alice"):
            with self.subTest(username=username):
                self.as_user(username)
                page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
                assert f'href="tel:{WORK_PHONE}"' in page
                assert 'href="mailto:erin@hospital.test"' in page

    def test_the_supporters_list_has_the_number_to_call(self) -> None:
        self.as_user("bob")
        page = self.client.get("/cases/").content.decode()
        assert f'href="tel:{WORK_PHONE}"' in page

    def test_the_employee_and_every_other_role_never_see_the_contact_details(self) -> None:
        self.as_user("erin")  # may view the case, but is not the one who calls
        page = self.client.get(f"/cases/{self.case.pk}/")
        assert page.status_code == 200
        assert WORK_PHONE not in page.content.decode()
        assert "mailto:erin@" not in page.content.decode()
        for username in ("charlie", "mark", "olga", "hanna", "boris"):
            with self.subTest(username=username):
                self.as_user(username)
                response = self.client.get(f"/cases/{self.case.pk}/")
                assert response.status_code == 404
                assert WORK_PHONE not in response.content.decode()
        self.as_user("charlie")
        assert WORK_PHONE not in self.client.get("/cases/").content.decode()

    def test_a_previous_supporter_loses_the_details_on_reassignment(self) -> None:
        self.case.reassign(self.charlie_supporter, reason="other", by=self.alice_user)
        self.as_user("bob")
        assert self.client.get(f"/cases/{self.case.pk}/").status_code == 404
        self.as_user("charlie")
        assert (
            f'href="tel:{WORK_PHONE}"'
            in self.client.get(f"/cases/{self.case.pk}/").content.decode()
        )

    def test_the_employee_gives_a_preferred_number_and_time_on_me(self) -> None:
        self.as_user("erin")
        response = self.client.post(
            "/me/call/",
            {"call-preferred_phone": "06 1234 5678", "call-preferred_call_time": "morning"},
        )
        assert response.status_code == 302
        self.erin.refresh_from_db()
        assert self.erin.preferred_phone == PREFERRED
        assert self.erin.preferred_call_time == CallTime.MORNING
        self.as_user("bob")
        page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert f'href="tel:{PREFERRED}"' in page
        assert "in the morning" in page
        assert f'href="tel:{PREFERRED}"' in self.client.get("/cases/").content.decode()

    def test_a_bad_number_is_named_and_nothing_is_saved(self) -> None:
        self.as_user("erin")
        response = self.client.post(
            "/me/call/",
            {"call-preferred_phone": "call after lunch", "call-preferred_call_time": "morning"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Number to call me on" in page and "Not a phone number" in page
        self.erin.refresh_from_db()
        assert (self.erin.preferred_phone, self.erin.preferred_call_time) == ("", "")

    def test_a_time_outside_the_choices_is_refused(self) -> None:
        self.as_user("erin")
        response = self.client.post(
            "/me/call/", {"call-preferred_phone": "", "call-preferred_call_time": "after lunch"}
        )
        assert response.status_code == 400
        assert "Best time to call me" in response.content.decode()
        self.erin.refresh_from_db()
        assert self.erin.preferred_call_time == ""

    def test_only_the_employee_themself_changes_it_and_only_by_post(self) -> None:
        self.as_user("erin")
        assert self.client.get("/me/call/").status_code == 405
        self.client.logout()
        assert (
            self.client.post("/me/call/", {"call-preferred_phone": "0612345678"}).status_code == 302
        )
        self.erin.refresh_from_db()
        assert self.erin.preferred_phone == ""

    def test_the_preference_is_in_the_personal_data_download(self) -> None:
        Employee.objects.filter(pk=self.erin.pk).update(
            preferred_phone=PREFERRED, preferred_call_time=CallTime.AFTERNOON
        )
        self.as_user("erin")
        data = json.loads(self.client.get("/me/data/?format=json").content)
        assert data["employee"]["phone"] == WORK_PHONE
        assert data["employee"]["preferred_phone"] == PREFERRED
        assert data["employee"]["preferred_call_time"] == "afternoon"


class DemoTests(TestCase):
    def test_the_demo_shows_a_phone_and_the_time_to_call_on_the_employees_case(self) -> None:
        call_command("loaddemo", stdout=StringIO())
        case = Case.objects.filter(
            employee__user__username="employee", supporter__isnull=False
        ).first()
        assert case is not None
        assert self.client.login(username="coordinator", password="peer-support-demo")
        page = self.client.get(f"/cases/{case.pk}/").content.decode()
        assert f'href="tel:{case.employee.phone}"' in page
        assert "in the morning" in page
