"""Personas shared by the test suite: a small hospital with one of each role."""

import re
from datetime import date, datetime
from typing import Any

from django.test import Client, TestCase
from django.utils import timezone

from peersupport.cases.constants import Channel, EventCategory
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.people.models import Department, Employee, Function, ProfessionGroup, Role, User
from peersupport.supporters.models import Supporter

PASSWORD = "persona-password"
INTAKE_PAGES = ("/requests/refer/", "/requests/manager/", "/requests/proactive/", "/requests/ask/")


class PageClient(Client):
    """Sends an intake form as a browser does: from a page it loaded, with that page's
    single-use token (unless the test passes one itself)."""

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if path in INTAKE_PAGES and isinstance(data, dict) and "submission" not in data:
            page = self.get(path).content.decode()
            token = re.search(r'name="submission" value="([^"]+)"', page)
            if token:
                data = {**data, "submission": token.group(1)}
        return super().post(path, data, *args, **kwargs)


class BaseTestCase(TestCase):
    """alice coordinates; bob and charlie support; erin is affected; mark is erin's
    manager; olga is an outsider; hanna is HR; boris is on the board."""

    client_class = PageClient

    ward: Department
    icu: Department
    nurse: Function
    doctor: Function
    alice: Employee
    bob: Employee
    charlie: Employee
    erin: Employee
    mark: Employee
    olga: Employee
    hanna: Employee
    boris: Employee
    alice_user: User
    bob_user: User
    charlie_user: User
    erin_user: User
    mark_user: User
    olga_user: User
    hanna_user: User
    boris_user: User
    bob_supporter: Supporter
    charlie_supporter: Supporter

    @classmethod
    def setUpTestData(cls) -> None:
        cls.ward = Department.objects.create(code="CAR", name="Cardiologie")
        cls.icu = Department.objects.create(code="IC", name="Intensive Care")
        cls.nurse = Function.objects.create(
            code="VPK", name="Verpleegkundige", group=ProfessionGroup.NURSING
        )
        cls.doctor = Function.objects.create(
            code="MS", name="Medisch specialist", group=ProfessionGroup.MEDICAL
        )

        cls.mark, cls.mark_user = cls.persona("mark", "Mark Manager", Role.EMPLOYEE)
        cls.alice, cls.alice_user = cls.persona(
            "alice", "Alice Coördinator", Role.COORDINATOR, Role.EMPLOYEE
        )
        cls.bob, cls.bob_user = cls.persona("bob", "Bob Supporter", Role.SUPPORTER, Role.EMPLOYEE)
        cls.charlie, cls.charlie_user = cls.persona(
            "charlie", "Charlie Supporter", Role.SUPPORTER, Role.EMPLOYEE
        )
        cls.erin, cls.erin_user = cls.persona(
            "erin", "Erin Employee", Role.EMPLOYEE, manager=cls.mark
        )
        cls.olga, cls.olga_user = cls.persona("olga", "Olga Outsider", Role.EMPLOYEE)
        cls.hanna, cls.hanna_user = cls.persona("hanna", "Hanna HR", Role.HR, Role.EMPLOYEE)
        cls.boris, cls.boris_user = cls.persona("boris", "Boris Board", Role.BOARD, Role.EMPLOYEE)

        cls.bob_supporter = Supporter.objects.create(employee=cls.bob, trained_on=date(2024, 5, 1))
        cls.charlie_supporter = Supporter.objects.create(
            employee=cls.charlie, trained_on=date(2023, 9, 1)
        )

    @classmethod
    def persona(
        cls, username: str, name: str, *roles: Role, manager: Employee | None = None
    ) -> tuple[Employee, User]:
        user = User.objects.create_user(username, password=PASSWORD)
        for role in roles:
            user.roles.create(role=role)
        employee = Employee.objects.create(
            staff_number=f"S-{username}",
            name=name,
            email=f"{username}@hospital.test",
            department=cls.ward,
            function=cls.nurse,
            manager=manager,
            user=user,
        )
        return employee, user

    def open_case(
        self,
        employee: Employee | None = None,
        category: EventCategory = EventCategory.INCIDENT,
        event_date: date = date(2026, 3, 1),
        channel: Channel = Channel.MANAGER,
        received_at: datetime | None = None,
    ) -> Case:
        event = Event.objects.create(category=category, event_date=event_date, department=self.ward)
        request = SupportRequest.objects.create(
            event=event,
            channel=channel,
            referred_by=self.mark_user,
            received_at=received_at or timezone.now(),
        )
        return Case.open_for(request=request, employee=employee or self.erin, by=self.mark_user)
