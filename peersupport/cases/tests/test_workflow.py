"""Every action from every status: allowed ones move the case and write one history
row; refused ones raise TransitionNotAllowed and change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from peersupport.cases.constants import (
    Action,
    ConversationMode,
    EventCategory,
    Reason,
    ReferralRoute,
    ReferralType,
    Status,
)
from peersupport.cases.models import Case, CaseTransition, Conversation, DeadlinePolicy
from peersupport.cases.workflow import TRANSITIONS, TransitionNotAllowed, allowed_actions
from peersupport.reports.models import Fact, FactKind
from peersupport.supporters.models import Supporter
from peersupport.test import BaseTestCase

EXPECTED = {
    # (action, from status): to status. Everything not listed is refused.
    (Action.ASSIGN, Status.NEW): Status.ASSIGNED,
    **{
        (Action.REASSIGN, s): s
        for s in (Status.ASSIGNED, Status.OFFERED, Status.ACCEPTED, Status.IN_PROGRESS)
    },
    (Action.CONTACT_ATTEMPT, Status.ASSIGNED): Status.ASSIGNED,
    (Action.OFFER, Status.ASSIGNED): Status.OFFERED,
    (Action.OFFER, Status.NO_ANSWER): Status.OFFERED,
    (Action.ACCEPT, Status.OFFERED): Status.ACCEPTED,
    **{
        (Action.DECLINE, s): Status.DECLINED
        for s in (Status.OFFERED, Status.ACCEPTED, Status.IN_PROGRESS)
    },
    (Action.NO_ANSWER, Status.ASSIGNED): Status.NO_ANSWER,
    **{
        (Action.PLAN_CONVERSATION, s): Status.IN_PROGRESS
        for s in (Status.ACCEPTED, Status.IN_PROGRESS)
    },
    **{
        (Action.HOLD_CONVERSATION, s): Status.IN_PROGRESS
        for s in (Status.ACCEPTED, Status.IN_PROGRESS)
    },
    **{(Action.REFER, s): Status.IN_PROGRESS for s in (Status.ACCEPTED, Status.IN_PROGRESS)},
    **{(Action.CLOSE, s): Status.CLOSED for s in Status if s != Status.CLOSED},
    **{(Action.REOPEN, s): Status.NEW for s in (Status.DECLINED, Status.NO_ANSWER, Status.CLOSED)},
    # "Someone else, please": back to matching, support goes on.
    **{
        (Action.ASK_OTHER, s): Status.NEW
        for s in (Status.ASSIGNED, Status.OFFERED, Status.ACCEPTED, Status.IN_PROGRESS)
    },
}

# Opening starts a case; undo and correct lead back to where the last step came from.
VERB_ACTIONS = [a for a in Action if a not in (Action.OPEN, Action.UNDO, Action.CORRECT)]


class TransitionTableTests(BaseTestCase):
    def prepared_case(self, status: Status) -> Case:
        """A case in ``status`` that meets every rule except the workflow map itself:
        a supporter assigned, enough contact attempts, an offer on record."""
        case = self.open_case(received_at=timezone.now() - timedelta(days=1))
        Case.objects.filter(pk=case.pk).update(
            status=status,
            supporter=self.bob_supporter,
            contact_attempts=3,
            offered_at=timezone.now(),
        )
        case.refresh_from_db()
        return case

    def perform(self, case: Case, action: Action) -> None:
        by = self.alice_user
        now = timezone.now()
        calls = {
            Action.ASSIGN: lambda: case.assign(self.charlie_supporter, by=by),
            Action.REASSIGN: lambda: case.reassign(
                self.charlie_supporter, reason=Reason.SUPPORTER_UNAVAILABLE, by=by
            ),
            Action.CONTACT_ATTEMPT: lambda: case.record_contact_attempt(by=by),
            Action.OFFER: lambda: case.record_offer(mode="phone", by=by),
            Action.ACCEPT: lambda: case.accept(by=by),
            Action.DECLINE: lambda: case.decline(by=by),
            Action.NO_ANSWER: lambda: case.record_no_answer(by=by),
            Action.PLAN_CONVERSATION: lambda: case.plan_conversation(
                1, now + timedelta(days=1), ConversationMode.PHONE, by=by
            ),
            Action.HOLD_CONVERSATION: lambda: case.hold_conversation(
                1, now - timedelta(hours=1), ConversationMode.IN_PERSON, by=by
            ),
            Action.REFER: lambda: case.refer(
                ReferralType.PSYCHOLOGIST, route=ReferralRoute.HR, consent=True, by=by
            ),
            Action.CLOSE: lambda: case.close(Reason.OTHER, by=by),
            Action.REOPEN: lambda: case.reopen(by=by),
            Action.ASK_OTHER: lambda: case.ask_for_another(by=by),
        }
        calls[action]()

    def test_every_action_from_every_status(self) -> None:
        checked = 0
        for action in VERB_ACTIONS:
            for status in Status:
                with self.subTest(action=action.value, status=status.value):
                    case = self.prepared_case(status)
                    history_before = case.history.count()
                    expected = EXPECTED.get((action, status))
                    if expected is None:
                        with pytest.raises(TransitionNotAllowed):
                            self.perform(case, action)
                        case.refresh_from_db()
                        assert case.status == status
                        assert case.history.count() == history_before
                    else:
                        self.perform(case, action)
                        case.refresh_from_db()
                        assert case.status == expected
                        last = case.history.last()
                        assert last is not None
                        assert (last.action, last.from_status, last.to_status, last.by) == (
                            action,
                            status,
                            expected,
                            self.alice_user,
                        )
                        assert case.history.count() == history_before + 1
                    checked += 1
        assert checked == len(VERB_ACTIONS) * len(Status)

    def test_the_map_is_exactly_the_expected_table(self) -> None:
        actual = {(a, s): t for a, moves in TRANSITIONS.items() for s, t in moves.items()}
        assert actual == EXPECTED

    def test_allowed_actions_lists_what_a_status_permits(self) -> None:
        assert set(allowed_actions(Status.OFFERED)) == {
            Action.REASSIGN,
            Action.ASK_OTHER,
            Action.ACCEPT,
            Action.DECLINE,
            Action.CLOSE,
        }
        assert allowed_actions(Status.CLOSED) == [Action.REOPEN]


class WorkflowRuleTests(BaseTestCase):
    def test_a_new_case_starts_waiting_with_one_history_row(self) -> None:
        case = self.open_case()
        assert case.status == Status.NEW
        assert list(case.history.values_list("action", "to_status")) == [(Action.OPEN, Status.NEW)]

    def test_mandatory_offer_blocks_closing_until_an_offer_is_recorded(self) -> None:
        case = self.open_case(category=EventCategory.CALAMITY)
        assert case.event.offer_mandatory
        case.assign(self.bob_supporter, by=self.alice_user)
        with pytest.raises(TransitionNotAllowed, match="must be offered"):
            case.close(Reason.OTHER, by=self.alice_user)
        case.refresh_from_db()
        assert case.status == Status.ASSIGNED
        case.record_offer(mode="phone", by=self.bob_user)
        case.close(Reason.OTHER, by=self.alice_user)
        assert case.status == Status.CLOSED

    def test_serious_incident_and_inspectorate_report_make_the_offer_mandatory(self) -> None:
        for flag in ("serious_incident", "reported_to_inspectorate"):
            case = self.open_case(employee=self.olga if flag == "serious_incident" else self.erin)
            event = case.event
            setattr(event, flag, True)
            event.save()
            assert event.offer_mandatory, flag

    def test_a_complaint_does_not_make_the_offer_mandatory(self) -> None:
        case = self.open_case(category=EventCategory.COMPLAINT)
        assert not case.event.offer_mandatory
        case.close(Reason.OTHER, by=self.alice_user)
        assert case.status == Status.CLOSED

    def test_declining_needs_an_offer_first_so_a_mandatory_offer_cannot_be_skipped(self) -> None:
        case = self.open_case(category=EventCategory.CALAMITY)
        with pytest.raises(TransitionNotAllowed):
            case.decline(by=self.alice_user)
        with pytest.raises(TransitionNotAllowed, match="mandatory"):
            case.close(Reason.DECLINED, by=self.alice_user)
        assert case.status == Status.NEW
        assert not Fact.objects.filter(kind=FactKind.OFFER).exists()

    def test_a_real_offer_has_a_moment_and_a_mode_and_then_the_mandatory_case_can_close(
        self,
    ) -> None:
        case = self.open_case(
            category=EventCategory.CALAMITY, received_at=timezone.now() - timedelta(days=1)
        )
        case.assign(self.bob_supporter, by=self.alice_user)
        with pytest.raises(ValidationError):
            case.record_offer(mode="", by=self.bob_user)
        with pytest.raises(ValidationError, match="future"):
            case.record_offer(
                mode="phone", at=timezone.now() + timedelta(hours=1), by=self.bob_user
            )
        reached = timezone.now() - timedelta(hours=2)
        case.record_offer(mode="video", at=reached, by=self.bob_user)
        assert (case.offered_at, case.offer_mode) == (reached, "video")
        case.decline(by=self.erin_user)
        case.close(Reason.DECLINED, by=self.alice_user)
        assert case.closure_reason == Reason.DECLINED
        assert Fact.objects.filter(kind=FactKind.OFFER).count() == 1

    def test_a_declined_case_can_be_reopened_and_goes_back_to_matching(self) -> None:
        case = self.open_case()
        case.assign(self.bob_supporter, by=self.alice_user)
        case.record_offer(mode="phone", by=self.bob_user)
        case.decline(by=self.erin_user)
        case.reopen(by=self.erin_user)
        assert case.status == Status.NEW
        assert case.supporter is None
        assert case.history.last().supporter is None  # type: ignore[union-attr]
        assert case.history.filter(action=Action.DECLINE, supporter=self.bob_supporter).exists()

    def test_no_answer_needs_the_policy_number_of_attempts(self) -> None:
        case = self.open_case()
        case.assign(self.bob_supporter, by=self.alice_user)
        case.record_contact_attempt(by=self.bob_user)
        case.record_contact_attempt(by=self.bob_user)
        with pytest.raises(TransitionNotAllowed, match="3 contact attempts; 2 are recorded"):
            case.record_no_answer(by=self.bob_user)
        case.record_contact_attempt(by=self.bob_user)
        case.record_no_answer(by=self.bob_user)
        assert case.status == Status.NO_ANSWER

    def test_an_untrained_supporter_cannot_be_assigned(self) -> None:
        untrained = Supporter.objects.create(employee=self.olga, trained_on=None)
        case = self.open_case()
        with pytest.raises(TransitionNotAllowed, match="completed the training"):
            case.assign(untrained, by=self.alice_user)
        case.refresh_from_db()
        assert case.supporter is None
        assert case.status == Status.NEW

    def test_an_employee_cannot_support_themself(self) -> None:
        case = self.open_case(employee=self.bob)
        with pytest.raises(TransitionNotAllowed, match="own supporter"):
            case.assign(self.bob_supporter, by=self.alice_user)

    def test_reassign_needs_a_structured_reason_and_another_supporter(self) -> None:
        case = self.open_case()
        case.assign(self.bob_supporter, by=self.alice_user)
        with pytest.raises(ValidationError) as error:
            case.reassign(self.charlie_supporter, reason=Reason.RECOVERED, by=self.alice_user)
        assert "reason" in error.value.message_dict
        with pytest.raises(TransitionNotAllowed, match="already assigned"):
            case.reassign(self.bob_supporter, reason=Reason.OTHER, by=self.alice_user)
        case.reassign(self.charlie_supporter, reason=Reason.EMPLOYEE_PREFERENCE, by=self.alice_user)
        assert case.supporter == self.charlie_supporter
        assert case.history.last().reason == Reason.EMPLOYEE_PREFERENCE  # type: ignore[union-attr]

    def test_close_needs_a_closure_reason(self) -> None:
        case = self.open_case()
        with pytest.raises(ValidationError) as error:
            case.close(Reason.CONFLICT_OF_INTEREST, by=self.alice_user)
        assert "reason" in error.value.message_dict

    def accepted_case(self) -> Case:
        case = self.open_case(received_at=timezone.now() - timedelta(days=1))
        case.assign(self.bob_supporter, by=self.alice_user)
        case.record_offer(mode="phone", by=self.bob_user)
        case.accept(by=self.erin_user)
        return case

    def test_conversations_are_held_in_order_one_to_three(self) -> None:
        case = self.accepted_case()
        past = timezone.now() - timedelta(hours=2)
        with pytest.raises(ValidationError, match="Conversation 1 has not been held"):
            case.hold_conversation(2, past, ConversationMode.PHONE, by=self.bob_user)
        case.hold_conversation(1, past, ConversationMode.PHONE, by=self.bob_user)
        with pytest.raises(TransitionNotAllowed, match="already recorded as held"):
            case.hold_conversation(1, past, ConversationMode.PHONE, by=self.bob_user)
        with pytest.raises(ValidationError) as error:
            case.plan_conversation(
                4, past + timedelta(days=9), ConversationMode.PHONE, by=self.bob_user
            )
        assert "number" in error.value.message_dict
        assert case.conversations.count() == 1

    def test_planned_must_be_future_and_held_must_be_past(self) -> None:
        case = self.accepted_case()
        with pytest.raises(ValidationError) as error:
            case.plan_conversation(
                1, timezone.now() - timedelta(minutes=1), ConversationMode.PHONE, by=None
            )
        assert "at" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            case.hold_conversation(
                1, timezone.now() + timedelta(hours=1), ConversationMode.PHONE, by=None
            )
        assert "at" in error.value.message_dict
        assert case.history.count() == 4  # open, assign, offer, accept: the refusals wrote nothing

    def test_planning_then_holding_fills_the_same_conversation(self) -> None:
        case = self.accepted_case()
        planned = timezone.now() + timedelta(days=1)
        case.plan_conversation(1, planned, ConversationMode.VIDEO, by=self.bob_user)
        with time_machine.travel(planned + timedelta(hours=1)):
            case.hold_conversation(1, planned, ConversationMode.IN_PERSON, by=self.bob_user)
        conversation = Conversation.objects.get(case=case, number=1)
        assert (conversation.planned_at, conversation.held_at) == (planned, planned)
        assert conversation.mode == ConversationMode.IN_PERSON

    def test_a_referral_records_type_route_and_consent(self) -> None:
        case = self.accepted_case()
        referral = case.refer(
            ReferralType.COMPANY_DOCTOR,
            route=ReferralRoute.COORDINATOR,
            consent=False,
            by=self.bob_user,
        )
        assert (referral.kind, referral.route, referral.consent) == (
            ReferralType.COMPANY_DOCTOR,
            ReferralRoute.COORDINATOR,
            False,
        )
        assert case.status == Status.IN_PROGRESS

    def test_history_rows_cannot_be_changed_or_deleted(self) -> None:
        row = self.open_case().history.get()
        row.to_status = Status.CLOSED
        with pytest.raises(TransitionNotAllowed):
            row.save()
        with pytest.raises(TransitionNotAllowed):
            row.delete()
        assert CaseTransition.objects.get(pk=row.pk).to_status == Status.NEW


class MandatoryCaseAfterNoAnswerTests(BaseTestCase):
    def test_an_employee_reached_after_no_answer_can_still_be_offered_and_the_case_closed(
        self,
    ) -> None:
        """Found from outside: a calamity case with no answer could neither close (no
        offer) nor go on. The offer can still be made; the report then counts it once,
        and no longer as "no answer"."""
        case = self.open_case(category=EventCategory.CALAMITY)
        case.assign(self.bob_supporter, by=self.alice_user)
        for _ in range(DeadlinePolicy.current().no_answer_after_attempts):
            case.record_contact_attempt(by=self.bob_user)
        case.record_no_answer(by=self.bob_user)
        with pytest.raises(TransitionNotAllowed):
            case.close(Reason.NO_CONTACT, by=self.bob_user)
        case.record_offer(mode="phone", by=self.bob_user)
        assert case.status == Status.OFFERED
        assert not Fact.objects.filter(kind=FactKind.NO_ANSWER).exists()
        assert Fact.objects.filter(kind=FactKind.OFFER).count() == 1
        case.decline(by=self.erin_user)
        case.close(Reason.DECLINED, by=self.bob_user)
        assert case.status == Status.CLOSED
