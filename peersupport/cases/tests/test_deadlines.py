"""Deadlines with frozen time: weekends and both daylight-saving changes (R-9, R-12)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from peersupport.cases.constants import ConversationMode, DeadlineKind, DeadlineState
from peersupport.cases.models import Case, DeadlinePolicy, recompute_open_deadlines
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=AMS)


class FirstContactDeadlineTests(BaseTestCase):
    def test_a_friday_afternoon_request_is_at_risk_on_sunday_and_late_on_monday(self) -> None:
        with time_machine.travel(local(2026, 11, 20, 16, 0), tick=False):  # Friday
            case = self.open_case()
        assert case.next_deadline_kind == DeadlineKind.FIRST_CONTACT
        assert case.next_deadline_at == local(2026, 11, 23, 16, 0)  # Monday
        assert case.next_deadline_risk_at == local(2026, 11, 22, 16, 0)  # Sunday
        assert case.deadline_state(local(2026, 11, 21, 12, 0)) == DeadlineState.ON_TIME
        assert case.deadline_state(local(2026, 11, 22, 15, 59)) == DeadlineState.ON_TIME
        assert case.deadline_state(local(2026, 11, 22, 16, 0)) == DeadlineState.AT_RISK
        assert case.deadline_state(local(2026, 11, 23, 15, 59)) == DeadlineState.AT_RISK
        assert case.deadline_state(local(2026, 11, 23, 16, 0)) == DeadlineState.LATE

    def test_72_hours_across_the_spring_change_are_counted_on_the_clock(self) -> None:
        # Sunday 29 March 2026 02:00 the clocks go forward: Saturday 12:00 is due
        # Tuesday 12:00 local time, which is 71 real hours.
        with time_machine.travel(local(2026, 3, 28, 12, 0), tick=False):
            case = self.open_case(event_date=date(2026, 3, 27))
        assert case.next_deadline_at is not None
        assert case.next_deadline_at.astimezone(AMS) == local(2026, 3, 31, 12, 0)
        assert case.next_deadline_at - local(2026, 3, 28, 12, 0) == timedelta(hours=71)
        assert case.next_deadline_risk_at is not None
        assert case.next_deadline_risk_at.astimezone(AMS) == local(2026, 3, 30, 12, 0)

    def test_72_hours_across_the_autumn_change_are_counted_on_the_clock(self) -> None:
        # Sunday 25 October 2026 03:00 the clocks go back: Saturday 12:00 is due
        # Tuesday 12:00 local time (11:00 UTC), which is 73 real hours.
        with time_machine.travel(local(2026, 10, 24, 12, 0), tick=False):
            case = self.open_case(event_date=date(2026, 10, 24))
        assert case.next_deadline_at is not None
        assert case.next_deadline_at.astimezone(AMS) == local(2026, 10, 27, 12, 0)
        assert case.next_deadline_at.astimezone(UTC) == datetime(2026, 10, 27, 11, 0, tzinfo=UTC)
        assert case.next_deadline_at - local(2026, 10, 24, 12, 0) == timedelta(hours=73)

    def test_the_case_page_shows_the_deadline_in_amsterdam_time(self) -> None:
        with time_machine.travel(local(2026, 3, 28, 12, 0), tick=False):
            case = self.open_case(event_date=date(2026, 3, 27))
            self.client.login(username="alice", password=PASSWORD)
            page = self.client.get(f"/cases/{case.pk}/").content.decode()
        assert "Tuesday 31 March 2026 12:00" in page
        assert "71 h left" in page  # 71 real hours remain on a 72-hour clock

    def test_reopening_restarts_the_clock(self) -> None:
        with time_machine.travel(local(2026, 6, 1, 9, 0), tick=False):
            case = self.open_case(event_date=date(2026, 5, 31))
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.decline(by=self.erin_user)
        assert case.next_deadline_at is None
        with time_machine.travel(local(2026, 6, 20, 10, 0), tick=False):
            case.reopen(by=self.erin_user)
        assert case.next_deadline_at == local(2026, 6, 23, 10, 0)
        assert case.deadline_state(local(2026, 6, 21, 10, 0)) == DeadlineState.ON_TIME


class ConversationDeadlineTests(BaseTestCase):
    def accepted(self, at: datetime, event_date: date) -> Case:
        with time_machine.travel(at, tick=False):
            case = self.open_case(event_date=event_date)
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.accept(by=self.erin_user)
        return case

    def test_after_the_offer_the_first_conversation_is_due_72_hours_after_the_request(self) -> None:
        case = self.accepted(local(2026, 5, 4, 9, 0), date(2026, 5, 3))
        assert case.next_deadline_kind == DeadlineKind.FIRST_CONVERSATION
        assert case.next_deadline_at == local(2026, 5, 7, 9, 0)
        assert case.next_deadline_risk_at == local(2026, 5, 6, 9, 0)

    def test_the_second_conversation_is_due_at_the_end_of_day_14_after_the_event_across_dst(
        self,
    ) -> None:
        case = self.accepted(local(2026, 3, 21, 9, 0), date(2026, 3, 20))
        with time_machine.travel(local(2026, 3, 22, 10, 0), tick=False):
            case.hold_conversation(
                1, local(2026, 3, 22, 9, 0), ConversationMode.IN_PERSON, by=self.bob_user
            )
        assert case.next_deadline_kind == DeadlineKind.SECOND_CONVERSATION
        # 20 March + 14 days = 3 April, due when that day ends in Amsterdam (now summer time).
        assert case.next_deadline_at == local(2026, 4, 3, 23, 59, 59)
        assert case.next_deadline_at.astimezone(UTC) == datetime(2026, 4, 3, 21, 59, 59, tzinfo=UTC)
        assert case.next_deadline_risk_at == local(2026, 4, 1, 23, 59, 59)

    def test_with_two_standard_conversations_there_is_no_third_deadline_unless_planned(
        self,
    ) -> None:
        case = self.accepted(local(2026, 1, 5, 9, 0), date(2026, 1, 4))
        with time_machine.travel(local(2026, 1, 20, 12, 0), tick=False):
            case.hold_conversation(
                1, local(2026, 1, 6, 9, 0), ConversationMode.PHONE, by=self.bob_user
            )
            case.hold_conversation(
                2, local(2026, 1, 18, 9, 0), ConversationMode.PHONE, by=self.bob_user
            )
        assert case.next_deadline_at is None
        assert case.deadline_state() == DeadlineState.NONE
        with time_machine.travel(local(2026, 1, 20, 12, 0), tick=False):
            case.plan_conversation(
                3, local(2026, 2, 10, 14, 0), ConversationMode.VIDEO, by=self.bob_user
            )
        assert case.next_deadline_kind == DeadlineKind.THIRD_CONVERSATION
        # Aim: six weeks after the event (at risk once passed); window: three months (late).
        assert case.next_deadline_risk_at == local(2026, 2, 15, 23, 59, 59)
        assert case.next_deadline_at == local(2026, 4, 4, 23, 59, 59)

    def test_a_policy_of_three_conversations_always_sets_the_third_deadline(self) -> None:
        DeadlinePolicy.objects.update_or_create(pk=1, defaults={"standard_conversations": 3})
        case = self.accepted(local(2026, 1, 5, 9, 0), date(2026, 1, 4))
        with time_machine.travel(local(2026, 1, 20, 12, 0), tick=False):
            case.hold_conversation(
                1, local(2026, 1, 6, 9, 0), ConversationMode.PHONE, by=self.bob_user
            )
            case.hold_conversation(
                2, local(2026, 1, 18, 9, 0), ConversationMode.PHONE, by=self.bob_user
            )
        assert case.next_deadline_kind == DeadlineKind.THIRD_CONVERSATION

    def test_a_closed_case_has_no_deadline(self) -> None:
        case = self.accepted(local(2026, 1, 5, 9, 0), date(2026, 1, 4))
        case.decline(by=self.erin_user)
        assert case.next_deadline_at is None


class PolicyTests(BaseTestCase):
    def test_the_default_policy_follows_the_procedure(self) -> None:
        policy = DeadlinePolicy.current()
        assert (policy.first_contact_hours, policy.first_contact_risk_hours) == (72, 48)
        assert (policy.second_conversation_days, policy.third_conversation_days) == (14, 42)
        assert policy.third_conversation_window_days == 90
        assert policy.standard_conversations == 2
        assert policy.retention_months == 6

    def test_changing_the_policy_moves_the_deadlines_of_open_cases(self) -> None:
        with time_machine.travel(local(2026, 11, 20, 16, 0), tick=False):
            case = self.open_case()
            closed = self.open_case(employee=self.olga)
            closed.close("other", by=self.alice_user)  # type: ignore[arg-type]
        DeadlinePolicy.objects.update_or_create(
            pk=1, defaults={"first_contact_hours": 48, "first_contact_risk_hours": 24}
        )
        assert recompute_open_deadlines() == 1
        case.refresh_from_db()
        assert case.next_deadline_at == local(2026, 11, 22, 16, 0)

    def test_a_risk_moment_after_the_deadline_is_refused_with_the_field_named(self) -> None:
        policy = DeadlinePolicy(first_contact_hours=48, first_contact_risk_hours=60)
        try:
            policy.full_clean()
        except Exception as error:
            assert "first_contact_risk_hours" in error.message_dict  # type: ignore[attr-defined]
        else:
            raise AssertionError("an impossible policy was accepted")

    def test_the_administrator_edits_the_policy_and_open_cases_follow(self) -> None:
        from django.forms.models import model_to_dict

        from peersupport.people.models import User

        with time_machine.travel(local(2026, 11, 20, 16, 0), tick=False):
            case = self.open_case()
        User.objects.create_superuser("root", password=PASSWORD)
        self.client.login(username="root", password=PASSWORD)
        policy = DeadlinePolicy.current()
        data = {k: v for k, v in model_to_dict(policy).items() if k != "id"}
        data.update(first_contact_hours=96, first_contact_risk_hours=60)
        response = self.client.post(f"/admin/cases/deadlinepolicy/{policy.pk}/change/", data)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.next_deadline_at == local(2026, 11, 24, 16, 0)
