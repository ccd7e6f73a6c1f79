"""The dashboard, matching, assignment, the rota and the event page, for every role."""

import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peersupport.cases.constants import Reason, Status
from peersupport.cases.models import Case, Event, GroupSession, OnCallShift, SupportRequest
from peersupport.notices.models import Kind, Message
from peersupport.people.models import Employee, User
from peersupport.supporters.models import Supporter
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
OTHERS = ("bob", "erin", "mark", "hanna", "boris")


class CoordinatorTestCase(BaseTestCase):
    def as_user(self, username: str) -> None:
        assert self.client.login(username=username, password=PASSWORD)


class DashboardTests(CoordinatorTestCase):
    def test_waiting_requests_oldest_first_with_hours_left(self) -> None:
        with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=AMS), tick=False):
            older = self.open_case()
        with time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=AMS), tick=False):
            newer = self.open_case(employee=self.olga)
        with time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=AMS), tick=False):
            self.as_user("alice")
            page = self.client.get("/cases/dashboard/")
        assert [c for c, _s in page.context["waiting"]] == [older, newer]
        html = page.content.decode()
        assert "47 h left" in html and "71 h left" in html
        assert html.index("47 h left") < html.index("71 h left")

    def test_cases_at_risk_and_late_are_listed_and_those_on_time_are_not(self) -> None:
        with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=AMS), tick=False):
            late = self.open_case()
            late.assign(self.bob_supporter, by=self.alice_user)
        with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=AMS), tick=False):
            at_risk = self.open_case(employee=self.olga)
            at_risk.assign(self.charlie_supporter, by=self.alice_user)
        with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=AMS), tick=False):
            fine = self.open_case(employee=self.hanna)
            fine.assign(self.charlie_supporter, by=self.alice_user)
            self.as_user("alice")
            page = self.client.get("/cases/dashboard/")
        assert page.context["urgent"] == [(late, "late"), (at_risk, "at_risk")]

    def test_each_supporters_load_and_availability(self) -> None:
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        today = timezone.localdate()
        self.charlie_supporter.absences.create(starts_on=today, ends_on=today + timedelta(days=3))
        self.as_user("alice")
        page = self.client.get("/cases/dashboard/")
        rows = {s.employee.name: s for s in page.context["supporters"]}
        assert rows["Bob Supporter"].load == 1
        html = page.content.decode()
        assert "1 / 3" in html and "Absent" in html and "Available" in html

    def test_long_lists_show_the_most_pressing_rows_and_count_them_all(self) -> None:
        with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=AMS), tick=False):
            oldest = self.open_case()
        with time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=AMS), tick=False):
            self.open_case(employee=self.olga)
            self.open_case(employee=self.hanna)
        self.charlie_supporter.capacity = 0  # full
        self.charlie_supporter.save()
        with (
            mock.patch("peersupport.workspace.views.DASHBOARD_ROWS", 1),
            time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=AMS), tick=False),
        ):
            self.as_user("alice")
            page = self.client.get("/cases/dashboard/")
        assert [c for c, _s in page.context["waiting"]] == [oldest]
        assert [s.employee.name for s in page.context["supporters"]] == ["Bob Supporter"]
        html = page.content.decode()
        assert "Waiting for a supporter (3)" in html
        assert "The 1 waiting longest are shown." in html
        assert "1 of 2 supporters can take a case now" in html
        assert "everyone is on the pool overview" in html

    def test_the_on_call_coordinator_and_gaps_in_the_rota(self) -> None:
        now = timezone.now()
        OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=2),
        )
        self.as_user("alice")
        page = self.client.get("/cases/dashboard/")
        assert page.context["on_call"] == [self.alice_user]
        assert len(page.context["gaps"]) == 1
        assert "Not covered in the coming 7 days" in page.content.decode()

    def test_nobody_on_call_is_said_loudly(self) -> None:
        self.as_user("alice")
        assert (
            "Nobody is on call right now." in self.client.get("/cases/dashboard/").content.decode()
        )

    def test_other_roles_are_refused_the_dashboard(self) -> None:
        for username in OTHERS:
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get("/cases/dashboard/").status_code == 403


class QueryCountTests(CoordinatorTestCase):
    """The dashboard and the matching page cost the same number of queries at any size."""

    def grow(self, cases: int, supporters: int) -> Case:
        department, function = self.ward, self.nurse
        start = Employee.objects.count()
        people = Employee.objects.bulk_create(
            Employee(
                staff_number=f"N{start + i}",
                name=f"Person {start + i}",
                department=department,
                function=function,
            )
            for i in range(cases + supporters)
        )
        users = User.objects.bulk_create(User(username=f"u{start + i}") for i in range(supporters))
        for person, user in zip(people[cases:], users, strict=True):
            person.user = user
        Employee.objects.bulk_update(people[cases:], ["user"])
        made = Supporter.objects.bulk_create(
            Supporter(employee=p, trained_on=date(2025, 1, 1), capacity=5) for p in people[cases:]
        )
        for supporter in made[:3]:
            supporter.experiences.create(category="incident")
            supporter.absences.create(starts_on=timezone.localdate(), ends_on=timezone.localdate())
        event = Event.objects.create(
            category="incident", event_date=date(2026, 11, 1), department=department
        )
        request = SupportRequest.objects.create(event=event, channel="manager")
        Case.objects.bulk_create(
            Case(
                event=event,
                request=request,
                employee=p,
                status=Status.ASSIGNED if i % 2 else Status.NEW,
                supporter=made[i % len(made)] if i % 2 else None,
                next_deadline_at=timezone.now() + timedelta(hours=i % 80 - 10),
                next_deadline_risk_at=timezone.now() + timedelta(hours=i % 80 - 30),
            )
            for i, p in enumerate(people[:cases])
        )
        return Case.objects.filter(status=Status.NEW).first()  # type: ignore[return-value]

    def count(self, url: str) -> int:
        self.as_user("alice")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200
        return len(queries)

    def test_the_dashboard_costs_the_same_at_10_and_1000(self) -> None:
        self.grow(10, 10)
        small = self.count("/cases/dashboard/")
        self.grow(990, 990)
        assert Case.objects.count() >= 1000 and Supporter.objects.count() >= 1000
        assert self.count("/cases/dashboard/") == small

    def test_the_matching_page_costs_the_same_at_10_and_1000(self) -> None:
        case = self.grow(10, 10)
        small = self.count(f"/cases/{case.pk}/match/")
        self.grow(990, 990)
        assert self.count(f"/cases/{case.pk}/match/") == small


class AssignTests(CoordinatorTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()

    def test_the_matching_page_lists_candidates_with_reasons(self) -> None:
        self.as_user("alice")
        page = self.client.get(f"/cases/{self.case.pk}/match/")
        html = page.content.decode()
        assert "Bob Supporter" in html and "Charlie Supporter" in html
        assert "Same function: Verpleegkundige" in html and "Current load: 0 of 3" in html
        assert 'value="pap"' in html  # every language can be asked for

    def test_assigning_sets_the_supporter_and_stores_their_notice_together(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        assert response["Location"] == f"/cases/{self.case.pk}/"
        self.case.refresh_from_db()
        assert (self.case.supporter, self.case.status) == (self.bob_supporter, Status.ASSIGNED)
        message = Message.objects.exclude(kind=Kind.SUPPORTER_ASSIGNED).get()
        assert (message.recipient, message.kind, message.path) == (
            self.bob_user,
            Kind.NEW_CASE,
            f"/cases/{self.case.pk}/",
        )
        assert (
            Message.objects.filter(kind=Kind.SUPPORTER_ASSIGNED, recipient=self.erin_user).count()
            == 1
        )

    def test_a_failed_assignment_stores_no_notice(self) -> None:
        Supporter.objects.filter(pk=self.bob_supporter.pk).update(trained_on=None)
        self.as_user("alice")
        self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        self.case.refresh_from_db()
        assert self.case.supporter is None and not Message.objects.exists()

    def test_a_tampered_supporter_or_page_stamp_is_refused_never_a_500(self) -> None:
        """Found from outside: supporter=abc gave a 500; expected=zz said someone had
        assigned "—" meanwhile."""
        self.as_user("alice")
        for value in ("abc", "-1", "1e3", "9" * 30):
            with self.subTest(supporter=value):
                answer = self.client.post(
                    f"/cases/{self.case.pk}/assign/",
                    {"supporter": value, "expected": ""},
                    follow=True,
                )
                assert answer.status_code == 200
                assert "cannot take this case" in answer.content.decode()
        answer = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {"supporter": self.bob_supporter.pk, "expected": "zz"},
            follow=True,
        )
        assert "changed after the page was loaded" in answer.content.decode()
        self.case.refresh_from_db()
        assert self.case.supporter is None and not Message.objects.exists()

    def test_reassigning_needs_a_reason_and_tells_the_new_supporter(self) -> None:
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.as_user("alice")
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {"supporter": self.charlie_supporter.pk, "expected": self.bob_supporter.pk},
            follow=True,
        )
        assert "Choose a reason for the reassignment." in response.content.decode()
        self.case.refresh_from_db()
        assert self.case.supporter == self.bob_supporter
        self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {
                "supporter": self.charlie_supporter.pk,
                "reason": Reason.SUPPORTER_UNAVAILABLE,
                "expected": self.bob_supporter.pk,
            },
        )
        self.case.refresh_from_db()
        assert self.case.supporter == self.charlie_supporter
        assert list(
            Message.objects.filter(kind=Kind.NEW_CASE).values_list("recipient__username", flat=True)
        ) == ["bob", "charlie"]
        row = self.case.history.last()
        assert row is not None and (row.from_supporter, row.supporter, row.reason) == (
            self.bob_supporter,
            self.charlie_supporter,
            Reason.SUPPORTER_UNAVAILABLE,
        )

    def test_a_supporter_who_may_not_be_suggested_cannot_be_forced_by_post(self) -> None:
        self.erin.manager = self.bob
        self.erin.save()
        self.as_user("alice")
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk}, follow=True
        )
        assert "cannot take this case" in response.content.decode()
        self.case.refresh_from_db()
        assert self.case.supporter is None

    def test_a_page_that_went_stale_says_who_was_assigned_meanwhile(self) -> None:
        self.as_user("alice")
        self.case.assign(self.charlie_supporter, by=self.alice_user)  # by someone else, meanwhile
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {"supporter": self.bob_supporter.pk, "expected": ""},
            follow=True,
        )
        assert (
            "Someone else assigned Charlie Supporter to this case a moment ago."
            in response.content.decode()
        )
        self.case.refresh_from_db()
        assert self.case.supporter == self.charlie_supporter
        assert Message.objects.filter(kind=Kind.NEW_CASE).count() == 1

    def test_other_roles_get_404_on_matching_and_assignment(self) -> None:
        self.case.assign(self.bob_supporter, by=self.alice_user)
        for username in OTHERS:
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get(f"/cases/{self.case.pk}/match/").status_code == 404
                response = self.client.post(
                    f"/cases/{self.case.pk}/assign/",
                    {"supporter": self.charlie_supporter.pk, "reason": "other"},
                )
                assert response.status_code == 404
        self.case.refresh_from_db()
        assert self.case.supporter == self.bob_supporter

    def test_assignment_needs_a_post(self) -> None:
        self.as_user("alice")
        assert self.client.get(f"/cases/{self.case.pk}/assign/").status_code == 405


class RotaTests(CoordinatorTestCase):
    def test_gaps_are_the_periods_nobody_covers(self) -> None:
        t = datetime(2026, 12, 24, 8, 0, tzinfo=AMS)  # Christmas Eve
        OnCallShift.objects.create(
            coordinator=self.alice_user, starts_at=t, ends_at=t + timedelta(hours=12)
        )
        OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=t + timedelta(hours=10),
            ends_at=t + timedelta(days=1),
        )
        OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=t + timedelta(days=2),
            ends_at=t + timedelta(days=3),
        )
        assert OnCallShift.gaps(t - timedelta(hours=2), t + timedelta(days=4)) == [
            (t - timedelta(hours=2), t),
            (t + timedelta(days=1), t + timedelta(days=2)),
            (t + timedelta(days=3), t + timedelta(days=4)),
        ]
        assert OnCallShift.on_call_at(t + timedelta(hours=11)) == [self.alice_user, self.alice_user]
        assert OnCallShift.on_call_at(t + timedelta(days=1, hours=1)) == []

    @time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
    def test_the_coordinator_adds_and_removes_a_weekend_shift(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2026-11-28T08:00",
                "ends_at": "2026-11-30T08:00",
            },
        )
        assert response.status_code == 302
        shift = OnCallShift.objects.get()
        assert shift.starts_at == datetime(2026, 11, 28, 8, 0, tzinfo=AMS)
        asked = self.client.post(f"/cases/on-call/{shift.pk}/remove/")
        assert asked.status_code == 200 and "Remove this shift from the rota?" in asked.text
        assert OnCallShift.objects.exists()  # one click alone removes nothing
        self.client.post(f"/cases/on-call/{shift.pk}/remove/", {"confirm": "yes"})
        assert not OnCallShift.objects.exists()

    @time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
    def test_shifts_cannot_overlap_or_lie_in_the_past(self) -> None:
        OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=datetime(2026, 11, 28, 8, 0, tzinfo=AMS),
            ends_at=datetime(2026, 11, 30, 8, 0, tzinfo=AMS),
        )
        self.as_user("alice")
        overlap = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2026-11-29T20:00",
                "ends_at": "2026-12-01T08:00",
            },
        )
        assert overlap.status_code == 400
        assert "overlaps the shift" in overlap.content.decode()
        past = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2026-11-18T08:00",
                "ends_at": "2026-11-19T08:00",
            },
        )
        assert past.status_code == 400 and "ends_at" in past.context["form"].errors
        assert OnCallShift.objects.count() == 1
        after = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2026-11-30T08:00",
                "ends_at": "2026-12-01T08:00",
            },
        )
        assert after.status_code == 302 and OnCallShift.objects.count() == 2
        # Found from outside: a shift in 2099 was accepted and then never shown.
        far = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2099-01-01T08:00",
                "ends_at": "2099-01-02T08:00",
            },
        )
        assert far.status_code == 400 and "starts_at" in far.context["form"].errors
        ahead = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2027-06-01T08:00",
                "ends_at": "2027-06-02T08:00",
            },
        )
        assert ahead.status_code == 302
        self.alice_user.first_name, self.alice_user.last_name = "Alice", "de Vries"
        self.alice_user.save()
        page = self.client.get("/cases/on-call/").content.decode()
        assert f"/cases/on-call/{OnCallShift.objects.latest('pk').pk}/remove/" in page
        # The coordinator is chosen by name, as the rota's table shows them.
        assert f'<option value="{self.alice_user.pk}">Alice de Vries</option>' in page

    @time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
    def test_a_shift_must_end_after_it_starts_and_be_a_coordinators(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.alice_user.pk,
                "starts_at": "2026-11-28T08:00",
                "ends_at": "2026-11-28T07:00",
            },
        )
        assert response.status_code == 400 and "ends_at" in response.context["form"].errors
        response = self.client.post(
            "/cases/on-call/",
            {
                "coordinator": self.bob_user.pk,
                "starts_at": "2026-11-28T08:00",
                "ends_at": "2026-11-29T08:00",
            },
        )
        assert "coordinator" in response.context["form"].errors
        assert not OnCallShift.objects.exists()

    def test_other_roles_are_refused_the_rota(self) -> None:
        shift = OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(days=1),
        )
        for username in OTHERS:
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get("/cases/on-call/").status_code == 403
                assert self.client.post(f"/cases/on-call/{shift.pk}/remove/").status_code == 403
        assert OnCallShift.objects.exists()


class EventPageTests(CoordinatorTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        self.second = Case.open_for(request=self.case.request, employee=self.olga, by=None)

    def test_the_event_page_shows_all_its_cases(self) -> None:
        self.as_user("alice")
        page = self.client.get(f"/cases/events/{self.case.event_id}/")
        assert [c for c, _s in page.context["rows"]] == [self.case, self.second]
        assert "2 affected employees" in page.content.decode()

    def test_a_group_session_is_recorded_without_names(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            f"/cases/events/{self.case.event_id}/sessions/",
            {"held_on": "2026-11-02", "attendees": 12, "duration_minutes": 90},
        )
        assert response.status_code == 302
        session = GroupSession.objects.get()
        assert (session.attendees, session.duration_minutes) == (12, 90)

    def test_bad_group_session_input_names_the_field_and_saves_nothing(self) -> None:
        self.as_user("alice")
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        for field, data in {
            "attendees": {"held_on": "2026-11-02", "attendees": 0, "duration_minutes": 90},
            "held_on": {"held_on": tomorrow, "attendees": 3, "duration_minutes": 90},
            "duration_minutes": {"held_on": "2026-11-02", "attendees": 3},
        }.items():
            with self.subTest(field=field):
                response = self.client.post(f"/cases/events/{self.case.event_id}/sessions/", data)
                assert response.status_code == 400
                assert field in response.context["form"].errors
        assert not GroupSession.objects.exists()

    def test_the_attendee_count_s_bound_and_its_message_agree_in_both_languages(self) -> None:
        """Found from outside: 0 was refused with "at least 0" (the page's min was 0,
        the model's 1)."""
        self.as_user("alice")
        url = f"/cases/events/{self.case.event_id}/sessions/"
        page = self.client.get(f"/cases/events/{self.case.event_id}/").content.decode()
        assert re.search(r'<input type="number" name="attendees"[^>]* min="1" max="500"', page)
        assert re.search(r'<input type="number" name="duration_minutes"[^>]* min="1"', page)
        for language, words in (("nl", "minstens 1"), ("en", "greater than or equal to 1")):
            self.client.cookies["django_language"] = language
            for attendees in (0, -1):
                data = {"held_on": "2026-11-02", "attendees": attendees, "duration_minutes": 90}
                response = self.client.post(url, data)
                assert response.status_code == 400
                assert [words in e for e in response.context["form"].errors["attendees"]] == [
                    True
                ], response.context["form"].errors
        assert not GroupSession.objects.exists()

    def test_other_roles_get_404_on_the_event(self) -> None:
        self.case.assign(self.bob_supporter, by=self.alice_user)
        for username in OTHERS:
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get(f"/cases/events/{self.case.event_id}/").status_code == 404
                response = self.client.post(
                    f"/cases/events/{self.case.event_id}/sessions/",
                    {"held_on": "2026-11-02", "attendees": 3, "duration_minutes": 60},
                )
                assert response.status_code == 404
        assert not GroupSession.objects.exists()
