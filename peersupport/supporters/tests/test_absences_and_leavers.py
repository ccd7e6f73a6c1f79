"""Issue 18 point 3: the coordinator records and ends a supporter's absence; cases of
an absent or departed supporter are flagged on the dashboard with "reassign"; a leaver
from the HR import is out of matching, the directory, the pool counts and "available"
at once."""

from datetime import timedelta

from django.utils import timezone

from peersupport.cases.matching import available_supporters
from peersupport.people.hr_import import import_csv
from peersupport.people.models import Employee
from peersupport.supporters.models import Absence, Supporter
from peersupport.test import PASSWORD, BaseTestCase


class CoordinatorAbsenceTests(BaseTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.url = f"/supporters/{self.bob_supporter.pk}/absences/"

    def as_user(self, username: str) -> None:
        self.client.logout()
        assert self.client.login(username=username, password=PASSWORD)

    def test_the_coordinator_records_an_absence_and_the_supporter_is_out_of_matching(self) -> None:
        self.as_user("alice")
        assert self.client.get(self.url).status_code == 200
        response = self.client.post(
            self.url,
            {
                "starts_on": self.today.isoformat(),
                "ends_on": (self.today + timedelta(days=5)).isoformat(),
            },
        )
        assert response.status_code == 302
        assert self.bob_supporter.absences.count() == 1
        assert self.bob_supporter not in available_supporters()
        assert self.bob_supporter not in Supporter.objects.in_directory()
        page = self.client.get("/cases/dashboard/").content.decode()
        assert "Absent" in page

    def test_an_end_before_the_start_is_named_and_nothing_is_saved(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            self.url,
            {
                "starts_on": self.today.isoformat(),
                "ends_on": (self.today - timedelta(days=1)).isoformat(),
            },
        )
        assert response.status_code == 400
        assert "The end cannot be before the start." in response.content.decode()
        assert not Absence.objects.exists()

    def test_the_coordinator_ends_a_running_absence_after_confirming(self) -> None:
        absence = self.bob_supporter.absences.create(
            starts_on=self.today - timedelta(days=3), ends_on=self.today + timedelta(days=10)
        )
        self.as_user("alice")
        url = f"{self.url}{absence.pk}/end/"
        asked = self.client.post(url)
        assert asked.status_code == 200 and "End this absence?" in asked.content.decode()
        absence.refresh_from_db()
        assert absence.ends_on == self.today + timedelta(days=10)
        assert self.client.post(url, {"confirm": "yes"}).status_code == 302
        absence.refresh_from_db()
        assert absence.ends_on == self.today - timedelta(days=1)  # the days away stay recorded
        assert self.bob_supporter in available_supporters()

    def test_ending_an_absence_that_has_not_begun_removes_it(self) -> None:
        absence = self.bob_supporter.absences.create(
            starts_on=self.today + timedelta(days=3), ends_on=self.today + timedelta(days=10)
        )
        self.as_user("alice")
        self.client.post(f"{self.url}{absence.pk}/end/", {"confirm": "yes"})
        assert not Absence.objects.filter(pk=absence.pk).exists()

    def test_no_other_role_records_or_ends_anothers_absence(self) -> None:
        absence = self.bob_supporter.absences.create(
            starts_on=self.today, ends_on=self.today + timedelta(days=2)
        )
        day = {"starts_on": self.today.isoformat(), "ends_on": self.today.isoformat()}
        for username in ("bob", "charlie", "erin", "hanna", "boris"):
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get(self.url).status_code == 403
                assert self.client.post(self.url, day).status_code == 403
                assert (
                    self.client.post(f"{self.url}{absence.pk}/end/", {"confirm": "yes"}).status_code
                    == 403
                )
        assert Absence.objects.get().ends_on == self.today + timedelta(days=2)

    def test_an_absence_of_another_supporter_cannot_be_ended_through_this_one(self) -> None:
        other = self.charlie_supporter.absences.create(
            starts_on=self.today, ends_on=self.today + timedelta(days=2)
        )
        self.as_user("alice")
        assert self.client.post(f"{self.url}{other.pk}/end/", {"confirm": "yes"}).status_code == 404


class StrandedCaseTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        assert self.client.login(username="alice", password=PASSWORD)

    def stranded(self) -> list:
        return [case for case, _state in self.client.get("/cases/dashboard/").context["stranded"]]

    def test_nothing_is_flagged_while_the_supporter_is_there(self) -> None:
        assert self.stranded() == []
        assert "Supporter away or gone" not in self.client.get("/cases/dashboard/").content.decode()

    def test_a_case_of_an_absent_supporter_is_flagged_with_a_reassign_link(self) -> None:
        today = timezone.localdate()
        self.bob_supporter.absences.create(starts_on=today, ends_on=today + timedelta(days=7))
        assert self.stranded() == [self.case]
        page = self.client.get("/cases/dashboard/").content.decode()
        assert f'href="/cases/{self.case.pk}/match/?reason=supporter_unavailable"' in page
        match = self.client.get(f"/cases/{self.case.pk}/match/?reason=supporter_unavailable")
        assert 'value="supporter_unavailable" selected' in match.content.decode()

    def test_a_case_of_a_supporter_who_left_is_flagged(self) -> None:
        Employee.objects.filter(pk=self.bob.pk).update(is_active=False)
        assert self.stranded() == [self.case]

    def test_reassigning_clears_the_flag(self) -> None:
        Employee.objects.filter(pk=self.bob.pk).update(is_active=False)
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {
                "supporter": self.charlie_supporter.pk,
                "expected": self.bob_supporter.pk,
                "reason": "supporter_unavailable",
            },
        )
        assert response.status_code == 302
        assert self.stranded() == []


class LeaverTests(BaseTestCase):
    def test_a_leaver_from_the_hr_import_is_unavailable_at_once(self) -> None:
        assert self.client.login(username="alice", password=PASSWORD)
        before = self.client.get("/cases/dashboard/").context["pool"]
        assert (before["total"], before["free"]) == (2, 2)
        # Everyone but Bob is in the new file: Bob left.
        header = "staff_number,name,department_code,function_code\n"
        rows = "".join(
            f"{e.staff_number},{e.name},CAR,VPK\n" for e in Employee.objects.exclude(pk=self.bob.pk)
        )
        report = import_csv((header + rows).encode())
        assert report.ok and report.deactivated == [self.bob.staff_number]

        assert self.bob_supporter not in available_supporters()
        assert self.bob_supporter not in Supporter.objects.in_directory()
        dashboard = self.client.get("/cases/dashboard/")
        assert (dashboard.context["pool"]["total"], dashboard.context["pool"]["free"]) == (1, 1)
        assert [s.pk for s in dashboard.context["supporters"]] == [self.charlie_supporter.pk]
        assert "Bob Supporter" not in dashboard.content.decode()
        pool = self.client.get("/cases/pool/")
        assert pool.context["total"] == 1 and "Bob Supporter" not in pool.content.decode()
        self.client.logout()
        assert self.client.login(username="erin", password=PASSWORD)
        assert "Bob Supporter" not in self.client.get("/directory/").content.decode()
