from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from peersupport.cases.constants import DeadlineState, Status
from peersupport.cases.models import Case, CaseTransition
from peersupport.people.models import Department, Employee, Function, Role, User
from peersupport.supporters.models import Supporter


class DemoTests(TestCase):
    def test_the_demo_is_a_believable_hospital_with_cases_in_every_status_and_state(self) -> None:
        out = StringIO()
        call_command("loaddemo", "--if-empty", stdout=out)
        assert (Department.objects.count(), Function.objects.count()) == (12, 15)
        assert Employee.objects.count() == 300
        assert Supporter.objects.count() == 30
        cases = list(Case.objects.all())
        assert len(cases) == 60
        assert {c.status for c in cases} == set(Status)
        assert {c.deadline_state() for c in cases} == set(DeadlineState)
        # Every case's history was written by the workflow, starting with its request.
        assert CaseTransition.objects.filter(action="open").count() == 60
        for role in Role:
            assert User.objects.filter(roles__role=role).exists(), role
        assert "coordinator" in out.getvalue() and "peer-support-demo" in out.getvalue()
        assert self.client.login(username="coordinator", password="peer-support-demo")
        assert self.client.get("/cases/dashboard/").status_code == 200
        # Open cases respect each supporter's capacity.
        from peersupport.cases.matching import with_load

        assert all(s.load <= s.capacity for s in with_load(Supporter.objects.all()))  # type: ignore[attr-defined]

    def test_if_empty_leaves_an_existing_database_alone(self) -> None:
        call_command("loaddemo", "--if-empty", stdout=StringIO())
        out = StringIO()
        call_command("loaddemo", "--if-empty", stdout=out)
        assert Case.objects.count() == 60
        assert "already has data" in out.getvalue()
