"""Two coordinators assign the same case at the same moment (R-7), on PostgreSQL
with real threads and connections."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client, TransactionTestCase

from peersupport.cases.constants import Action
from peersupport.cases.models import Case, CaseTransition, Event, SupportRequest
from peersupport.notices.models import Message
from peersupport.people.models import Department, Employee, Function, Role, User
from peersupport.supporters.models import Supporter

PASSWORD = "persona-password"


@pytest.mark.postgresql
class ConcurrentAssignTests(TransactionTestCase):
    def setUp(self) -> None:
        ward = Department.objects.create(code="CAR", name="Cardiologie")
        nurse = Function.objects.create(code="VPK", name="Verpleegkundige")
        self.supporters = []
        for name in ("bob", "charlie"):
            user = User.objects.create_user(name, password=PASSWORD)
            user.roles.create(role=Role.SUPPORTER)
            person = Employee.objects.create(
                staff_number=name, name=name, department=ward, function=nurse, user=user
            )
            self.supporters.append(
                Supporter.objects.create(employee=person, trained_on=date(2025, 1, 1))
            )
        for name in ("alice", "anna"):
            User.objects.create_user(name, password=PASSWORD).roles.create(role=Role.COORDINATOR)
        erin = Employee.objects.create(
            staff_number="erin", name="Erin", department=ward, function=nurse
        )
        event = Event.objects.create(
            category="incident", event_date=date(2026, 11, 1), department=ward
        )
        self.case = Case.open_for(
            request=SupportRequest.objects.create(event=event, channel="manager"), employee=erin
        )

    def test_exactly_one_assignment_stands_and_the_other_coordinator_is_told(self) -> None:
        barrier = threading.Barrier(2)
        pages: dict[str, str] = {}

        def assign(username: str, supporter: Supporter) -> None:
            try:
                client = Client()
                client.login(username=username, password=PASSWORD)
                barrier.wait()
                response = client.post(
                    f"/cases/{self.case.pk}/assign/",
                    {"supporter": supporter.pk, "expected": ""},
                    follow=True,
                )
                pages[username] = response.content.decode()
            finally:
                connection.close()

        threads = [
            threading.Thread(target=assign, args=("alice", self.supporters[0])),
            threading.Thread(target=assign, args=("anna", self.supporters[1])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.case.refresh_from_db()
        winner = self.case.supporter
        assert winner in self.supporters
        assert CaseTransition.objects.filter(case=self.case, action=Action.ASSIGN).count() == 1
        # One notice, to the winner; nothing half-written for the loser.
        assert list(Message.objects.values_list("recipient", flat=True)) == [
            winner.employee.user_id
        ]
        told = [page for page in pages.values() if "a moment ago" in page]
        assert len(told) == 1 and winner.employee.name in told[0]
        assert sum("is now the supporter" in page for page in pages.values()) == 1
