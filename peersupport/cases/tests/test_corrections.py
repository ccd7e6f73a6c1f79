"""Mistakes can be corrected (R-10, R-12, R-29): the supporter undoes their own last
step soon after, the coordinator takes back any last step with a reason. History is
only added to; the report's facts and the deadline follow the correction."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peersupport.cases.constants import (
    Action,
    ConversationMode,
    CorrectionReason,
    DeadlineKind,
    DeadlineState,
    Reason,
    Status,
)
from peersupport.cases.models import Case, CaseTransition, DeadlinePolicy
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.reports.models import Fact, FactKind
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)


class CorrectionTests(BaseTestCase):
    def setUp(self) -> None:
        self.traveller = time_machine.travel(T0, tick=False)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        self.case = self.open_case(event_date=date(2026, 3, 1))
        self.case.assign(self.bob_supporter, by=self.alice_user)
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.case.accept(by=self.erin_user)

    def later(self, **delta: float) -> None:
        self.traveller.stop()
        self.traveller = time_machine.travel(T0 + timedelta(**delta), tick=False)
        self.traveller.start()

    def count(self, kind: FactKind) -> int:
        return Fact.objects.filter(kind=kind).count()

    def test_a_held_step_taken_back_leaves_the_plan_as_it_was_mode_included(self) -> None:
        """Found from outside: planned by phone, held in person, taken back by the
        coordinator: the case said "in person, planned for …"."""
        planned = T0 + timedelta(days=2)
        self.case.plan_conversation(1, planned, ConversationMode.PHONE, by=self.bob_user)
        self.later(days=2, hours=1)
        self.case.hold_conversation(1, planned, ConversationMode.IN_PERSON, by=self.bob_user)
        self.case.correct_last(CorrectionReason.values[0], by=self.alice_user)
        conversation = self.case.conversations.get(number=1)
        assert conversation.held_at is None and conversation.planned_at == planned
        assert conversation.mode == ConversationMode.PHONE

    def test_the_supporter_undoes_a_conversation_held_with_the_wrong_date(self) -> None:
        self.later(hours=30)
        wrong = T0 + timedelta(hours=2)
        self.case.hold_conversation(1, wrong, ConversationMode.PHONE, by=self.bob_user)
        self.case.refresh_from_db()
        assert self.case.next_deadline_kind == DeadlineKind.SECOND_CONVERSATION
        with pytest.raises(TransitionNotAllowed, match="already recorded as held"):
            self.case.hold_conversation(1, wrong, ConversationMode.PHONE, by=self.bob_user)
        rows_before = list(CaseTransition.objects.values_list("pk", "action"))

        self.case.undo_last(by=self.bob_user)
        assert self.case.status == Status.ACCEPTED
        assert self.case.next_deadline_kind == DeadlineKind.FIRST_CONVERSATION
        assert self.count(FactKind.CONVERSATION) == 0
        assert not self.case.conversations.exists()
        right = T0 + timedelta(hours=26)
        self.case.hold_conversation(1, right, ConversationMode.PHONE, by=self.bob_user)
        assert self.case.conversations.get().held_at == right
        assert self.count(FactKind.CONVERSATION) == 1
        # The mistaken row is still there, followed by the undo and the right one.
        rows = list(CaseTransition.objects.order_by("at", "pk").values_list("pk", "action"))
        assert rows[: len(rows_before)] == rows_before
        assert [a for _pk, a in rows[-3:]] == ["hold_conversation", "undo", "hold_conversation"]
        undo = CaseTransition.objects.get(action=Action.UNDO)
        assert undo.corrects_id == rows_before[-1][0] and undo.by == self.bob_user

    def test_the_undo_period_comes_from_the_policy_and_is_only_for_ones_own_step(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="own last step"):
            self.case.undo_last(by=self.bob_user)  # the last step is erin's acceptance
        self.later(hours=1)
        self.case.plan_conversation(
            1, T0 + timedelta(days=1), ConversationMode.PHONE, by=self.bob_user
        )
        with pytest.raises(TransitionNotAllowed):
            self.case.undo_last(by=self.charlie_user)
        self.later(hours=26)
        with pytest.raises(TransitionNotAllowed, match="24 hours"):
            self.case.undo_last(by=self.bob_user)
        DeadlinePolicy.objects.filter(pk=1).update(undo_hours=48)
        self.case.undo_last(by=self.bob_user)
        assert not self.case.conversations.exists()

    def test_the_coordinator_takes_back_a_closure_and_the_report_counts_one(self) -> None:
        self.later(hours=3)
        self.case.close(Reason.RECOVERED, by=self.bob_user)
        assert self.count(FactKind.CLOSURE) == 1
        with pytest.raises(Exception, match="reason"):
            self.case.correct_last("", by=self.alice_user)
        self.later(days=10)  # long after: the coordinator is not bound by the undo period
        self.case.correct_last(CorrectionReason.WRONG_STEP, by=self.alice_user)
        assert self.case.status == Status.ACCEPTED and self.case.closed_at is None
        assert self.count(FactKind.CLOSURE) == 0
        assert self.case.next_deadline_kind == DeadlineKind.FIRST_CONVERSATION
        # Walking back further takes back the acceptance, then the offer.
        self.case.correct_last(CorrectionReason.WRONG_CASE, by=self.alice_user)
        self.case.correct_last(CorrectionReason.WRONG_CASE, by=self.alice_user)
        assert self.case.status == Status.ASSIGNED and self.case.offered_at is None
        assert self.count(FactKind.OFFER) == 0 and self.count(FactKind.FIRST_CONTACT) == 0
        assert self.count(FactKind.ACCEPTED) == 0
        assert self.count(FactKind.REQUEST) == 1
        reasons = list(
            CaseTransition.objects.filter(action=Action.CORRECT).values_list(
                "correction_reason", flat=True
            )
        )
        assert reasons == ["wrong_step", "wrong_case", "wrong_case"]
        with pytest.raises(TransitionNotAllowed):
            self.case.correct_last(CorrectionReason.WRONG_CASE, by=self.alice_user)

    def test_through_the_pages_undo_and_correct_show_in_the_history(self) -> None:
        self.later(hours=1)
        self.case.plan_conversation(
            1, T0 + timedelta(days=1), ConversationMode.PHONE, by=self.bob_user
        )
        assert self.client.login(username="bob", password=PASSWORD)
        page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "Undo my last step (Plan a conversation)" in page
        assert "Correct the last step" not in page
        response = self.client.post(f"/cases/{self.case.pk}/steps/undo/")
        assert response.status_code == 302
        page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "Undone: conversation 1 planned" in page
        assert self.client.post(f"/cases/{self.case.pk}/steps/correct/").status_code == 404

        assert self.client.login(username="alice", password=PASSWORD)
        missing = self.client.post(f"/cases/{self.case.pk}/steps/correct/", {})
        assert missing.status_code == 400
        done = self.client.post(
            f"/cases/{self.case.pk}/steps/correct/", {"correct-reason": "wrong_case"}
        )
        assert done.status_code == 302
        page = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "Corrected: support accepted" in page and "Recorded in the wrong case" in page
        assert Case.objects.get(pk=self.case.pk).status == Status.OFFERED

    def test_undoing_a_re_plan_restores_the_earlier_plan_and_its_deadline_state(self) -> None:
        """Found from outside: undoing a re-plan removed the plan altogether."""
        planned = T0 + timedelta(days=2)  # within the 72 hours of the first conversation
        self.case.plan_conversation(1, planned, ConversationMode.PHONE, by=self.bob_user)
        assert self.case.deadline_state() == DeadlineState.ON_TIME
        late_plan = T0 + timedelta(days=5)  # after its deadline: at risk by that plan
        self.case.plan_conversation(1, late_plan, ConversationMode.VIDEO, by=self.bob_user)
        assert self.case.deadline_state() == DeadlineState.AT_RISK
        sequence = self.case.conversations.get().plan_sequence

        self.case.undo_last(by=self.bob_user)
        conversation = self.case.conversations.get(number=1)
        assert conversation.planned_at == planned
        assert conversation.mode == conversation.planned_mode == ConversationMode.PHONE
        assert conversation.plan_sequence > sequence  # calendars take the restored time
        self.case.refresh_from_db()
        assert self.case.deadline_state() == DeadlineState.ON_TIME
        assert self.case.status == Status.IN_PROGRESS
        # Undone once more, the first plan goes too: the case is as before any plan.
        self.case.undo_last(by=self.bob_user)
        assert not self.case.conversations.exists()
        assert self.case.status == Status.ACCEPTED

    def test_the_history_names_the_step_taken_back_in_dutch_and_english(self) -> None:
        self.later(hours=30)
        self.case.hold_conversation(
            1, T0 + timedelta(hours=2), ConversationMode.PHONE, by=self.bob_user
        )
        self.case.undo_last(by=self.bob_user)
        self.case.plan_conversation(
            1, T0 + timedelta(hours=40), ConversationMode.VIDEO, by=self.bob_user
        )
        self.case.correct_last(CorrectionReason.DUPLICATE, by=self.alice_user)
        assert self.client.login(username="alice", password=PASSWORD)
        pages = {}
        for language in ("nl", "en"):
            self.client.cookies["django_language"] = language
            pages[language] = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "Teruggedraaid: gesprek 1 gevoerd" in pages["nl"]
        assert "Gecorrigeerd: gesprek 1 gepland" in pages["nl"]
        assert "Undone: conversation 1 held" in pages["en"]
        assert "Corrected: conversation 1 planned" in pages["en"]
