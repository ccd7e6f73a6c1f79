"""The sweep: reminders and warnings found from the deadline columns (R-18), on the
organisation's clock across weekends and daylight-saving changes, each stored once.
(Moved here from notices/tests: the sweep is the cases' own.)"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from peersupport.cases.constants import ConversationMode
from peersupport.cases.models import OnCallShift
from peersupport.cases.reminders import sweep
from peersupport.notices.models import Kind, Message
from peersupport.people.models import Role, User
from peersupport.test import BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")


class SweepTests(BaseTestCase):
    """Friday 17:00: the supporter's reminder on Saturday 17:00, the on-call
    coordinator's warnings on Sunday 17:00 (at risk) and Monday 17:00 (late)."""

    def kinds_for(self, user: User) -> list[str]:
        about_cases = Message.objects.filter(recipient=user).exclude(kind=Kind.INTERVISION_DUE)
        return list(about_cases.order_by("pk").values_list("kind", flat=True))

    def walk(self, friday: datetime) -> None:
        OnCallShift.objects.create(
            coordinator=self.alice_user,
            starts_at=friday - timedelta(days=1),
            ends_at=friday + timedelta(days=5),
        )
        with time_machine.travel(friday, tick=False):
            case = self.open_case()
            case.assign(self.bob_supporter, by=self.alice_user)
        Message.objects.all().delete()
        steps = [
            (friday + timedelta(hours=23, minutes=59), [], []),
            (friday.replace(day=friday.day + 1), ["first_contact_reminder"], []),
            (
                friday.replace(day=friday.day + 2) - timedelta(minutes=1),
                ["first_contact_reminder"],
                [],
            ),
            (
                friday.replace(day=friday.day + 2),
                ["first_contact_reminder"],
                ["first_contact_at_risk"],
            ),
            (
                friday.replace(day=friday.day + 3),
                ["first_contact_reminder"],
                ["first_contact_at_risk", "first_contact_late"],
            ),
        ]
        for moment, to_supporter, to_coordinator in steps:
            with time_machine.travel(moment, tick=False):
                sweep()
                sweep()  # a second sweep adds nothing
            assert self.kinds_for(self.bob_user) == to_supporter, moment
            assert self.kinds_for(self.alice_user) == to_coordinator, moment

    def test_a_friday_request_in_an_ordinary_week(self) -> None:
        self.walk(datetime(2026, 11, 20, 17, 0, tzinfo=AMS))

    def test_a_friday_request_in_the_week_the_clocks_go_back(self) -> None:
        self.walk(datetime(2026, 10, 23, 17, 0, tzinfo=AMS))

    def test_a_friday_request_in_the_week_the_clocks_go_forward(self) -> None:
        self.walk(datetime(2026, 3, 27, 17, 0, tzinfo=AMS))

    def test_with_nobody_on_call_every_coordinator_is_warned(self) -> None:
        anna = User.objects.create_user("anna")
        anna.roles.create(role=Role.COORDINATOR)
        with time_machine.travel(timezone.now() - timedelta(hours=50), tick=False):
            self.open_case()
        sweep()
        warned = set(
            Message.objects.filter(kind=Kind.FIRST_CONTACT_AT_RISK).values_list(
                "recipient__username", flat=True
            )
        )
        assert warned == {"alice", "anna"}

    def test_conversation_and_intervision_reminders(self) -> None:
        with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
            case = self.open_case(event_date=timezone.localdate() - timedelta(days=20))
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.accept(by=self.erin_user)
            case.hold_conversation(1, timezone.now(), ConversationMode.PHONE, by=self.bob_user)
        sweep()
        assert (
            Message.objects.filter(kind=Kind.CONVERSATION_REMINDER, recipient=self.bob_user).count()
            == 1
        )
        assert (
            Message.objects.filter(kind=Kind.INTERVISION_DUE, recipient=self.charlie_user).count()
            == 1
        )
        assert sweep() == 0
