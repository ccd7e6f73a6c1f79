"""Builds the demo hospital: departments, functions, 300 employees, 30 supporters,
60 cases over the last 14 months in every status, and one sign-in per role.

Each case's history is replayed through the same workflow verbs that users call,
each at the moment it happened, so the demo's history and deadlines are real.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from peersupport.cases.constants import (
    Channel,
    ConversationMode,
    EventCategory,
    Reason,
    ReferralRoute,
    ReferralType,
    Status,
)
from peersupport.cases.matching import with_load
from peersupport.cases.models import Case, Event, OnCallShift, SupportRequest
from peersupport.demo.data import (
    DEMO_PASSWORD,
    DEPARTMENTS,
    DOMAIN,
    FIRST,
    FUNCTIONS,
    LARGE_EVENT,
    LAST,
    RECENT,
    ascii_address,
)
from peersupport.handovers import models as handovers
from peersupport.handovers.models import Status as HandOverStatus
from peersupport.people.models import (
    CallTime,
    Department,
    Employee,
    Function,
    Role,
    User,
)
from peersupport.supporters.models import IntervisionMeeting, MeetingPlace, Supporter
from peersupport.vocabulary import Approach, Language


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Make the workflow believe it is ``at`` (the demo replays the past)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


class Demo:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.password_hash = make_password(DEMO_PASSWORD)

    def load(self) -> None:
        self.departments = [Department.objects.create(code=c, name=n) for c, n in DEPARTMENTS]
        self.functions = [Function.objects.create(code=c, name=n, group=g) for c, n, g in FUNCTIONS]
        self.employees = self._employees(300)
        self.supporters = self._supporters(30)
        self.coordinator_user = self._accounts()
        self._intervision()
        self._cases()

    def _employees(self, count: int) -> list[Employee]:
        people = []
        for i in range(count):
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            people.append(
                Employee(
                    staff_number=f"{100001 + i}",
                    name=f"{first} {last}",
                    email=ascii_address(f"{first}.{last.replace(' ', '')}.{i}@{DOMAIN}"),
                    phone=f"+3130{2000000 + i * 37:07d}",
                    department=self.departments[i % len(self.departments)],
                    function=self.rng.choice(self.functions[:-1]),
                )
            )
        Employee.objects.bulk_create(people)
        people = list(Employee.objects.order_by("staff_number"))
        # The first twelve are team leaders, one per department, and everyone's manager.
        leader = self.functions[-1]
        managers = {}
        for person in people[: len(self.departments)]:
            person.function = leader
            person.save(update_fields=["function"])
            managers[person.department_id] = person
        for person in people[len(self.departments) :]:
            person.manager = managers[person.department_id]
        Employee.objects.bulk_update(people[len(self.departments) :], ["manager"])
        return people

    def _supporters(self, count: int) -> list[Supporter]:
        chosen = self.rng.sample(self.employees[len(self.departments) :], count)
        supporters = []
        today = timezone.localdate(self.now)
        for i, person in enumerate(chosen):
            trained = i < count - 2  # two are waiting for their training
            supporter = Supporter.objects.create(
                employee=person,
                # The demo's own supporter gets every fourth case, so has room for them.
                capacity=6 if i == 0 else self.rng.choice([2, 3, 3, 4]),
                trained_on=(self.now - timedelta(days=self.rng.randint(60, 1500))).date()
                if trained
                else None,
            )
            supporter.departments_known.set(
                self.rng.sample(self.departments, self.rng.randint(0, 2))
            )
            for category in self.rng.sample(list(EventCategory), self.rng.randint(1, 3)):
                supporter.experiences.create(category=category)
            for approach in self.rng.sample(list(Approach), 2):
                supporter.approaches.create(approach=approach)
            for language in [
                Language.DUTCH,
                *self.rng.sample(list(Language)[1:], self.rng.randint(0, 2)),
            ]:
                supporter.languages.create(language=language)
            if i % 10 == 3:  # a few are on leave now or soon
                start = today + timedelta(days=self.rng.randint(-3, 2))
                supporter.absences.create(starts_on=start, ends_on=start + timedelta(days=7))
            # Every supporter signs in to record their work; the first is the demo's.
            if i > 0:
                self._user(f"supporter{i:02d}", person, Role.SUPPORTER, Role.EMPLOYEE)
            supporters.append(supporter)
        return supporters

    def _user(self, username: str, employee: Employee | None, *roles: Role) -> User:
        first, _sep, last = (employee.name if employee else username.title()).partition(" ")
        user = User.objects.create(
            username=username,
            email=employee.email if employee else "",
            password=self.password_hash,  # hashed once: forty slow hashes would slow `make run`
            first_name=first,
            last_name=last,
        )
        for role in roles:
            user.roles.create(role=role)
        if employee:
            employee.user = user
            employee.save(update_fields=["user"])
        return user

    def _accounts(self) -> User:
        taken = {s.employee_id for s in self.supporters}
        free = [e for e in self.employees[len(self.departments) :] if e.pk not in taken]
        coordinator = self._user("coordinator", free[0], Role.COORDINATOR, Role.EMPLOYEE)
        deputy = self._user("coordinator2", free[5], Role.COORDINATOR, Role.EMPLOYEE)
        self._rota(coordinator, deputy)
        self._user("supporter", self.supporters[0].employee, Role.SUPPORTER, Role.EMPLOYEE)
        self.demo_employee = free[1]
        # How the demo employee would like to be called (issue 18), shown on their case.
        free[1].preferred_call_time = CallTime.MORNING
        free[1].save(update_fields=["preferred_call_time"])
        self._user("employee", free[1], Role.EMPLOYEE)
        self._user("manager", free[1].manager, Role.EMPLOYEE)
        self._user("hr", free[2], Role.HR, Role.EMPLOYEE)
        self._user("board", free[3], Role.BOARD, Role.EMPLOYEE)
        self._user("cag", free[4], Role.CALAMITY_GROUP, Role.EMPLOYEE)
        admin = self._user("admin", None, Role.ADMINISTRATOR)
        admin.is_staff = admin.is_superuser = True
        admin.save()
        self.free_employees = free[6:]
        return coordinator

    def _intervision(self) -> None:
        """Two meetings in the last year and one planned; a few supporters missed both."""
        today = timezone.localdate(self.now)
        for days, place in ((-300, "Vergaderzaal 2"), (-90, "Auditorium"), (30, "Vergaderzaal 2")):
            meeting = IntervisionMeeting.objects.create(
                held_on=today + timedelta(days=days),
                place=MeetingPlace.objects.get_or_create(label=place)[0],
            )
            if days < 0:
                for supporter in self.rng.sample(self.supporters[:-2], 12):
                    meeting.attendances.create(supporter=supporter)

    def _rota(self, *coordinators: User) -> None:
        """Alternating weeks on call from last Monday 8:00, the next four weeks covered."""
        today = timezone.localdate(self.now)
        monday = today - timedelta(days=today.weekday())
        start = timezone.make_aware(datetime(monday.year, monday.month, monday.day, 8))
        for week in range(4):
            OnCallShift.objects.create(
                coordinator=coordinators[week % len(coordinators)],
                starts_at=start + timedelta(weeks=week),
                ends_at=start + timedelta(weeks=week + 1),
            )

    def _cases(self) -> None:
        self.demo_supporter = self.supporters[0]
        plans: list[tuple[Status, int]] = list(RECENT)
        # The rest: older cases, mostly closed, spread over the last 14 months.
        while len(plans) < 60 - len(LARGE_EVENT):
            plans.append(
                (
                    self.rng.choice([Status.CLOSED] * 6 + [Status.DECLINED]),
                    self.rng.randint(24 * 70, 24 * 425),
                )
            )
        employees = iter(self.rng.sample(self.free_employees, len(plans)))
        for index, (status, hours_ago) in enumerate(plans):
            employee = self.demo_employee if index == 7 else next(employees)
            received = self.now - timedelta(hours=hours_ago)
            category = self.rng.choice(list(EventCategory))
            event = Event.objects.create(
                category=category,
                event_date=timezone.localdate(received - timedelta(days=self.rng.randint(0, 3))),
                department=employee.department,
                created_at=received,
            )
            request = SupportRequest.objects.create(
                event=event,
                channel=Channel.CALAMITY_GROUP
                if category == EventCategory.CALAMITY
                else self.rng.choice(list(Channel)),
                received_at=received,
            )
            case = Case.open_for(request=request, employee=employee)
            # The demo supporter gets every fourth case so that their list is not empty.
            supporter = self.demo_supporter if index % 4 == 1 else self._free_supporter(employee)
            self._replay(case, status, received, supporter)
        self._large_event()

    def _free_supporter(self, employee: Employee) -> Supporter:
        """A trained supporter, not the employee, below capacity with their open cases."""
        loads: dict[int, int] = dict(
            with_load(Supporter.objects.all()).values_list("pk", "load")  # type: ignore[misc]
        )
        pool = [
            s
            for s in self.supporters
            if s.is_trained and s.employee_id != employee.pk and loads[s.pk] < s.capacity
        ]
        return self.rng.choice(pool)

    def _large_event(self) -> None:
        """A calamity on the ICU ten days ago: three employees, one group session."""
        received = self.now - timedelta(days=10)
        department = self.departments[1]
        event = Event.objects.create(
            category=EventCategory.CALAMITY,
            event_date=timezone.localdate(received),
            department=department,
            reported_to_inspectorate=True,
            created_at=received,
        )
        request = SupportRequest.objects.create(
            event=event, channel=Channel.CALAMITY_GROUP, received_at=received
        )
        staff = [e for e in self.free_employees if e.department_id == department.pk][
            -len(LARGE_EVENT) :
        ]
        for employee, status in zip(staff, LARGE_EVENT, strict=True):
            case = Case.open_for(request=request, employee=employee)
            self._replay(case, status, received, self._free_supporter(employee))
        event.group_sessions.create(
            held_on=timezone.localdate(received + timedelta(days=2)),
            attendees=14,
            duration_minutes=90,
        )

    def _replay(self, case: Case, status: Status, start: datetime, supporter: Supporter) -> None:
        """Walk ``case`` to ``status`` through the real verbs, each at a plausible moment."""
        by = self.coordinator_user
        moments = iter(start + timedelta(hours=h) for h in (2, 5, 9, 20, 26, 30))

        def at() -> datetime:
            return min(next(moments), self.now - timedelta(minutes=5))

        if status == Status.NEW:
            return
        with clock(at()):
            case.assign(supporter, by=by)
        if status == Status.ASSIGNED:
            for _i in range(self.rng.randint(0, 2)):
                with clock(at()):
                    case.record_contact_attempt(by=by)
            return
        closable_without_offer = not case.event.offer_mandatory
        if status == Status.NO_ANSWER or (
            status == Status.CLOSED and closable_without_offer and self.rng.random() < 0.1
        ):
            for _i in range(3):
                with clock(at()):
                    case.record_contact_attempt(by=by)
            with clock(at()):
                case.record_no_answer(by=by)
            if status == Status.CLOSED:  # only events whose offer is not mandatory
                with clock(at()):
                    case.close(Reason.NO_CONTACT, by=by)
            return
        with clock(at()):
            case.record_offer(mode="phone", by=by)
        if status == Status.OFFERED:
            return
        if status == Status.DECLINED or (status == Status.CLOSED and self.rng.random() < 0.25):
            with clock(at()):
                case.decline(by=by)
            if status == Status.CLOSED:
                with clock(at()):
                    case.close(Reason.DECLINED, by=by)
            return
        with clock(at()):
            case.accept(by=by)
        if status == Status.ACCEPTED:
            return
        self._conversations(case, status, start, by)

    def _working_hours(self, moment: datetime) -> datetime:
        """A time between 8:00 and 16:30 on ``moment``'s local day."""
        day = timezone.localdate(moment)
        hour, minute = self.rng.randint(8, 16), self.rng.choice([0, 30])
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))

    def _conversations(self, case: Case, status: Status, start: datetime, by: User) -> None:
        modes = list(ConversationMode)
        days_since = (self.now - start).days
        # Conversation 1 a day in, 2 two weeks in, 3 six weeks in, in working hours, if that
        # moment has passed.
        schedule = [(1, timedelta(days=1)), (2, timedelta(days=14)), (3, timedelta(days=42))]
        held = 0
        last = case.history.order_by("-at").values_list("at", flat=True).first() or start
        for number, offset in schedule:
            moment = self._working_hours(start + offset)
            while moment <= last:  # never before the step that came last (the acceptance)
                moment = self._working_hours(moment + timedelta(days=1))
            if moment >= self.now - timedelta(hours=1):
                break
            if number == 3 and self.rng.random() < 0.5:
                break
            with clock(moment):
                case.hold_conversation(number, moment, self.rng.choice(modes), by=by)
            held, last = number, moment
        if status == Status.IN_PROGRESS:
            if held and held < 3 and days_since < 60:
                future = self._working_hours(self.now + timedelta(days=self.rng.randint(1, 6)))
                case.plan_conversation(held + 1, future, self.rng.choice(modes), by=by)
            return
        end = start + timedelta(days=min(days_since - 1, 50))
        if self.rng.random() < 0.2:
            with clock(end - timedelta(hours=1)):
                referral = handovers.refer(
                    case, ReferralType.HR, route=ReferralRoute.HR, consent=True, by=by
                )
            # HR's page shows both: hand-overs still to follow up, and help arranged.
            if case.pk % 2:
                with clock(end):
                    referral.hand_over.record(
                        HandOverStatus.HELP_ARRANGED, on=timezone.localdate(end), by=None
                    )
            reason = Reason.REFERRED
        else:
            reason = Reason.RECOVERED
        with clock(end):
            case.close(reason, by=by)
