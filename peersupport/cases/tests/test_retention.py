"""Retention with frozen time: ended cases lose their identifying data after the
policy's period, the anonymous facts and the year's report stay (R-16)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from peersupport.audit.models import AccessLogEntry, record
from peersupport.cases.constants import ConversationMode, Reason
from peersupport.cases.models import (
    Case,
    CaseTransition,
    Conversation,
    Event,
    Referral,
    SupportRequest,
)
from peersupport.cases.retention import months_before, purge
from peersupport.people.models import DeletionRequest
from peersupport.reports.annual import running
from peersupport.reports.models import Fact
from peersupport.test import BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=AMS)


class RetentionTests(BaseTestCase):
    def ended_case(self) -> Case:
        with time_machine.travel(T0, tick=False):
            case = self.open_case(event_date=date(2025, 3, 2))
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.accept(by=self.erin_user)
            case.hold_conversation(1, T0, ConversationMode.PHONE, by=self.bob_user)
            case.refer("hr", route="hr", consent=True, by=self.bob_user)  # type: ignore[arg-type]
            case.close(Reason.REFERRED, by=self.bob_user)
        return case

    def identifying_rows(self) -> int:
        return sum(
            model.objects.count()
            for model in (Case, CaseTransition, Conversation, Referral, SupportRequest, Event)
        )

    def test_after_the_period_nothing_identifying_remains_and_the_report_is_unchanged(self) -> None:
        self.ended_case()
        with time_machine.travel(T0 + timedelta(days=30), tick=False):
            open_case = self.open_case(employee=self.olga)
        facts_before, report_before = Fact.objects.count(), running(2025)
        with time_machine.travel(T0 + timedelta(days=170), tick=False):  # not yet six months
            assert purge().cases == 0
        from peersupport.notices.models import Delivery, Message

        Message.objects.update(status=Delivery.SENT, sent_at=T0)
        with time_machine.travel(T0 + timedelta(days=190), tick=False):
            assert purge().cases == 1
            assert purge().cases == 0  # idempotent
        assert list(Case.objects.all()) == [open_case]
        assert self.identifying_rows() == 4  # the open case: itself, its history, request, event
        assert Fact.objects.count() == facts_before
        assert running(2025) == report_before
        from peersupport.notices.models import Message

        assert not Message.objects.filter(sent_at__isnull=False).exists()

    def test_a_declined_case_ends_too(self) -> None:
        with time_machine.travel(T0, tick=False):
            case = self.open_case()
            case.assign(self.bob_supporter, by=self.alice_user)
            case.record_offer(mode="phone", by=self.bob_user)
            case.decline(by=self.erin_user)
        with time_machine.travel(T0 + timedelta(days=200), tick=False):
            assert purge().cases == 1

    def test_a_deletion_request_waits_for_open_support_and_then_is_carried_out(self) -> None:
        with time_machine.travel(T0, tick=False):
            case = self.open_case()
        DeletionRequest.objects.create(employee=self.erin)
        assert purge().requests_carried_out == 0 and Case.objects.filter(pk=case.pk).exists()
        case.assign(self.bob_supporter, by=self.alice_user)
        case.record_offer(mode="phone", by=self.bob_user)
        case.decline(by=self.erin_user)
        result = purge()
        assert (result.requests_carried_out, result.cases) == (1, 1)
        assert not Case.objects.filter(employee=self.erin).exists()
        assert DeletionRequest.objects.get().carried_out_at is not None
        assert purge().requests_carried_out == 0

    def test_the_access_log_keeps_at_least_two_years(self) -> None:
        # Truly older than two years: PostgreSQL's trigger checks with the database clock.
        written = timezone.now() - timedelta(days=800)
        with time_machine.travel(written, tick=False):
            record(
                user_id=1,
                role="coordinator",
                action="view",
                object_type="case",
                object_id=1,
                allowed=True,
            )
        with time_machine.travel(written + timedelta(days=700), tick=False):
            assert purge().log_rows == 0
        with time_machine.travel(written + timedelta(days=740), tick=False):
            assert purge().log_rows == 1
        assert not AccessLogEntry.objects.exists()

    def test_months_are_calendar_months(self) -> None:
        assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
        assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)
