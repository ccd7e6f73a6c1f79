"""The date rules of cases.dates, seen through every door: the intake forms, the API,
the supporter's steps, the group sessions and the deadline policy's admin page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from peersupport.cases.constants import ConversationMode, DeadlineState, Status
from peersupport.cases.models import Case, DeadlinePolicy, Event, GroupSession
from peersupport.people.models import ApiToken, Role, Scope, User
from peersupport.reports.models import Fact, FactKind, ReportPolicy
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=AMS)


class EventDateTests(BaseTestCase):
    def setUp(self) -> None:
        self.traveller = time_machine.travel(NOW, tick=False)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def refer(self, event_date: str) -> int:
        assert self.client.login(username="mark", password=PASSWORD)
        return self.client.post(
            "/requests/manager/",
            {
                "category": "aggression",
                "event_date": event_date,
                "department": self.ward.pk,
                "employees": [self.erin.pk],
                "discussed_with_employee": "yes",
            },
        ).status_code

    def test_an_event_older_than_the_policy_allows_is_refused_by_the_forms(self) -> None:
        assert self.refer("1900-01-01") == 200
        assert self.refer("2016-06-09") == 200
        assert Event.objects.count() == 0
        assert self.refer("2016-06-10") == 302
        assert Event.objects.count() == 1

    def test_the_bound_follows_the_policy(self) -> None:
        DeadlinePolicy.objects.update_or_create(pk=1, defaults={"event_years_back": 1})
        assert self.refer("2025-06-09") == 200
        assert Event.objects.count() == 0

    def test_the_api_applies_the_same_rule(self) -> None:
        _token, secret = ApiToken.issue("incident-reporting", Scope.SUBMIT_REQUESTS)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        body = {
            "external_reference": "VIM-1",
            "category": "incident",
            "department": "CAR",
            "employees": [{"staff_number": "S-erin"}],
        }
        old = api.post("/api/v1/requests", {**body, "event_date": "1900-01-01"}, format="json")
        assert old.status_code == 400
        assert "10 years" in old.json()["event_date"][0]
        future = api.post("/api/v1/requests", {**body, "event_date": "2026-06-11"}, format="json")
        assert future.status_code == 400
        assert Event.objects.count() == 0

    def test_a_self_request_without_a_date_is_asked_for_one_not_dated_today(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        page = self.client.post("/requests/ask/", {"category": "other"})
        assert page.status_code == 200
        assert Case.objects.count() == 0
        old = self.client.post("/requests/ask/", {"category": "other", "event_date": "1900-01-01"})
        assert old.status_code == 200
        assert Case.objects.count() == 0

    def test_a_group_session_follows_its_event_and_says_so(self) -> None:
        case = self.open_case(event_date=date(2026, 6, 1))
        assert self.client.login(username="alice", password=PASSWORD)
        url = f"/cases/events/{case.event_id}/sessions/"
        fields = {"attendees": 5, "duration_minutes": 60}
        before = self.client.post(url, {**fields, "held_on": "2026-05-31"})
        assert before.status_code == 400
        assert "cannot be before the event" in before.content.decode()
        future = self.client.post(url, {**fields, "held_on": "2026-06-11"})
        assert future.status_code == 400
        page = future.content.decode()
        assert "A group session cannot be in the future" in page
        assert "The event cannot be in the future" not in page
        assert GroupSession.objects.count() == 0
        assert self.client.post(url, {**fields, "held_on": "2026-06-01"}).status_code == 302


class ConversationDateTests(BaseTestCase):
    def accepted_case(self) -> Case:
        with time_machine.travel(NOW - timedelta(days=3), tick=False):
            case = self.open_case(event_date=date(2026, 6, 5))
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.accept(by=self.erin_user)
        return case

    def test_a_conversation_cannot_be_held_before_the_request(self) -> None:
        case = self.accepted_case()
        with (
            time_machine.travel(NOW, tick=False),
            pytest.raises(ValidationError, match="before the request was received"),
        ):
            case.hold_conversation(
                1, NOW - timedelta(days=4), ConversationMode.PHONE, by=self.bob_user
            )
        assert case.conversations.count() == 0

    def test_an_offer_cannot_be_dated_before_the_request_nor_in_the_future(self) -> None:
        with time_machine.travel(NOW - timedelta(days=3), tick=False):
            case = self.open_case(event_date=date(2026, 6, 5))
            case.assign(self.bob_supporter, by=self.alice_user)
        assert self.client.login(username="bob", password=PASSWORD)
        early = timezone.localtime(NOW - timedelta(days=4))
        late = timezone.localtime(NOW + timedelta(hours=2))
        with time_machine.travel(NOW, tick=False):
            for moment, words in ((early, "before the request was received"), (late, "future")):
                page = self.client.post(
                    f"/cases/{case.pk}/steps/offer/",
                    {
                        "offer-day": moment.date().isoformat(),
                        "offer-time": moment.strftime("%H:%M"),
                        "offer-mode": "phone",
                    },
                )
                assert page.status_code == 400
                assert words in " ".join(page.context["forms"]["offer"].errors["day"])
        case.refresh_from_db()
        assert case.offered_at is None and case.status == Status.ASSIGNED
        assert not Fact.objects.filter(kind=FactKind.OFFER).exists()

    def test_conversations_are_held_in_order(self) -> None:
        case = self.accepted_case()
        with time_machine.travel(NOW, tick=False):
            case.hold_conversation(1, NOW - timedelta(hours=2), ConversationMode.PHONE, by=None)
            with pytest.raises(ValidationError, match="cannot be before conversation 1"):
                case.hold_conversation(2, NOW - timedelta(hours=3), ConversationMode.PHONE, by=None)
            case.hold_conversation(2, NOW - timedelta(hours=1), ConversationMode.PHONE, by=None)
        assert case.conversations.get(number=2).held_at == NOW - timedelta(hours=1)

    def test_a_conversation_cannot_be_planned_beyond_the_horizon(self) -> None:
        case = self.accepted_case()
        with time_machine.travel(NOW, tick=False):
            with pytest.raises(ValidationError, match="at most 120 days ahead"):
                case.plan_conversation(
                    1, datetime(2099, 1, 1, 10, tzinfo=AMS), ConversationMode.PHONE, by=None
                )
            case.plan_conversation(1, NOW + timedelta(days=1), ConversationMode.PHONE, by=None)

    def test_the_step_form_shows_the_rule_on_the_date_field(self) -> None:
        case = self.accepted_case()
        assert self.client.login(username="bob", password=PASSWORD)
        with time_machine.travel(NOW, tick=False):
            page = self.client.post(
                f"/cases/{case.pk}/steps/plan_conversation/",
                {
                    "plan_conversation-number": "1",
                    "plan_conversation-day": "2099-01-01",
                    "plan_conversation-time": "10:00",
                    "plan_conversation-mode": "phone",
                },
            )
        assert page.status_code == 400
        assert "at most 120 days ahead" in page.content.decode()

    def test_a_second_conversation_planned_after_its_deadline_shows_at_risk_at_once(self) -> None:
        case = self.accepted_case()
        with time_machine.travel(NOW, tick=False):
            case.hold_conversation(1, NOW - timedelta(hours=2), ConversationMode.PHONE, by=None)
            case.refresh_from_db()
            # Due 14 days after the event (5 June): 19 June, end of day.
            assert case.deadline_state() == DeadlineState.ON_TIME
            case.plan_conversation(
                2, datetime(2026, 6, 25, 10, tzinfo=AMS), ConversationMode.PHONE, by=None
            )
            case.refresh_from_db()
            assert case.status == Status.IN_PROGRESS
            assert case.deadline_state() == DeadlineState.AT_RISK


class PolicyAdminTests(BaseTestCase):
    def setUp(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        root.roles.create(role=Role.ADMINISTRATOR)
        assert self.client.login(username="root", password=PASSWORD)
        self.policy = DeadlinePolicy.current()
        self.fields = {
            field.name: getattr(self.policy, field.name)
            for field in DeadlinePolicy._meta.concrete_fields
            if field.name != "id"
        }

    def save(self, **changes: object) -> str:
        response = self.client.post(
            f"/admin/cases/deadlinepolicy/{self.policy.pk}/change/", {**self.fields, **changes}
        )
        assert response.status_code in (200, 302)
        return response.content.decode()

    def test_a_huge_number_of_hours_is_a_field_error_not_a_server_error(self) -> None:
        page = self.save(first_contact_hours=30000)
        assert "errorlist" in page
        assert DeadlinePolicy.current().first_contact_hours == 72
        self.save(first_contact_hours=99999999999)
        assert DeadlinePolicy.current().first_contact_hours == 72

    def test_every_number_of_the_policy_has_an_upper_bound(self) -> None:
        """Found from outside: a million contact attempts before "no answer" was saved."""
        numbers = [
            f.name
            for f in DeadlinePolicy._meta.concrete_fields
            if f.get_internal_type().endswith("IntegerField") and f.name != "id"
        ]
        assert "no_answer_after_attempts" in numbers
        for name in numbers:
            with self.subTest(field=name):
                field = DeadlinePolicy._meta.get_field(name)
                assert isinstance(field, models.Field)
                bounds = [
                    v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)
                ]
                assert bounds, f"{name} has no upper bound of its own"
                page = self.save(**{name: int(bounds[0]) + 1})
                assert "errorlist" in page
                assert getattr(DeadlinePolicy.current(), name) == self.fields[name]

    def test_the_second_conversation_cannot_be_later_than_the_third(self) -> None:
        page = self.save(second_conversation_days=60)
        assert "third conversation" in page
        assert DeadlinePolicy.current().second_conversation_days == 14

    def test_unchanged_it_saves(self) -> None:
        self.save()
        self.save(event_years_back=5)
        assert DeadlinePolicy.current().event_years_back == 5

    def test_the_report_policy_gives_field_errors_too(self) -> None:
        policy = ReportPolicy.current()
        response = self.client.post(
            f"/admin/reports/reportpolicy/{policy.pk}/change/", {"threshold": 99999999999}
        )
        assert response.status_code == 200
        assert ReportPolicy.current().threshold == 5


def test_the_event_age_bound_handles_a_leap_day() -> None:
    from peersupport.cases.dates import earliest_event_date

    with time_machine.travel(datetime(2028, 2, 29, 12, tzinfo=AMS), tick=False):
        policy = DeadlinePolicy(event_years_back=1)
        assert earliest_event_date(policy) == date(2027, 2, 28)
        assert timezone.localdate() == date(2028, 2, 29)
