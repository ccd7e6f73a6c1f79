"""The status groups, defined once in workflow.py, and what each means to the people
who meet it: the first-contact clock, the conversation clock and its reminders, and
the steps only an accepted offer allows."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from peersupport.cases.constants import ConversationMode, DeadlineKind, Status
from peersupport.cases.reminders import sweep
from peersupport.cases.workflow import (
    BEFORE_FIRST_CONTACT,
    CONVERSATIONS_DUE,
    OPEN_STATUSES,
    SUPPORT_ACCEPTED,
    TransitionNotAllowed,
)
from peersupport.notices.models import Kind, Message
from peersupport.test import BaseTestCase


def test_an_open_case_is_either_before_first_contact_or_has_conversations_due() -> None:
    assert set(BEFORE_FIRST_CONTACT) | set(CONVERSATIONS_DUE) == OPEN_STATUSES
    assert not set(BEFORE_FIRST_CONTACT) & set(CONVERSATIONS_DUE)
    assert set(SUPPORT_ACCEPTED) < set(CONVERSATIONS_DUE)


class StatusGroupTests(BaseTestCase):
    def test_an_offer_not_yet_answered_runs_the_conversation_clock_and_its_reminder(
        self,
    ) -> None:
        with time_machine.travel(timezone.now() - timedelta(hours=70), tick=False):
            case = self.open_case()
            case.assign(self.bob_supporter, by=self.alice_user)
            assert case.next_deadline_kind == DeadlineKind.FIRST_CONTACT
            case.record_offer(mode="phone", by=self.bob_user)
        case.refresh_from_db()
        assert case.status == Status.OFFERED
        assert case.next_deadline_kind == DeadlineKind.FIRST_CONVERSATION
        sweep()
        reminded = Message.objects.filter(kind=Kind.CONVERSATION_REMINDER, recipient=self.bob_user)
        assert reminded.count() == 1
        # ... but the conversation itself waits for the employee's yes.
        with pytest.raises(TransitionNotAllowed):
            case.plan_conversation(
                1, timezone.now() + timedelta(days=1), ConversationMode.PHONE, by=self.bob_user
            )
        case.accept(by=self.erin_user)
        case.plan_conversation(
            1, timezone.now() + timedelta(days=1), ConversationMode.PHONE, by=self.bob_user
        )
        assert case.status == Status.IN_PROGRESS
