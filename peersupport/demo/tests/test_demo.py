from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from peersupport.cases.constants import DeadlineState, Status
from peersupport.cases.models import Case, CaseTransition, recompute_open_deadlines
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


class DemoDatesTests(TestCase):
    """The dates the demo makes are those its cases show: replayed in order, in the past,
    and each deadline the one the case's own history gives."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("loaddemo", stdout=StringIO())

    def test_each_case_s_history_runs_forward_from_its_request_and_ends_before_now(self) -> None:
        now = timezone.now()
        for case in Case.objects.select_related("request"):
            moments = list(case.history.order_by("pk").values_list("at", flat=True))
            assert moments[0] == case.request.received_at, case.pk
            assert moments == sorted(moments), case.pk
            assert moments[-1] <= now, case.pk

    def test_a_case_shown_late_is_late_by_the_deadline_its_history_gives(self) -> None:
        now = timezone.now()
        stored = {
            c.pk: (c.next_deadline_kind, c.next_deadline_at, c.deadline_state(now))
            for c in Case.objects.open()
        }
        late = [pk for pk, (_k, _at, state) in stored.items() if state == DeadlineState.LATE]
        assert late, "the demo shows late cases"
        assert all((due := stored[pk][1]) is not None and due < now for pk in late)
        # Recomputed from the policy and each case's history, no deadline moves.
        recompute_open_deadlines()
        again = {c.pk: (c.next_deadline_kind, c.next_deadline_at) for c in Case.objects.open()}
        assert again == {pk: (kind, at) for pk, (kind, at, _state) in stored.items()}
