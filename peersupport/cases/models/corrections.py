"""Corrections: a case's last step taken back, its fields, facts and deadline with it."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from peersupport.cases.constants import (
    Action,
    CorrectionReason,
    Status,
)
from peersupport.cases.models.case_record import CaseRecord
from peersupport.cases.models.history import CaseTransition
from peersupport.cases.models.policy import DeadlinePolicy
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.people.models import User
from peersupport.reports.models import FactKind

# The steps a correction can take back (the coordinator's own verbs have their own
# remedies: reassign, reopen), and the fact each answer wrote.
UNDOABLE = frozenset(
    {
        Action.CONTACT_ATTEMPT,
        Action.OFFER,
        Action.ACCEPT,
        Action.DECLINE,
        Action.NO_ANSWER,
        Action.PLAN_CONVERSATION,
        Action.HOLD_CONVERSATION,
        Action.REFER,
        Action.CLOSE,
    }
)
ANSWERS = {
    Action.ACCEPT: FactKind.ACCEPTED,
    Action.DECLINE: FactKind.DECLINED,
    Action.NO_ANSWER: FactKind.NO_ANSWER,
}


class CaseCorrections(CaseRecord):
    """Taking a step back: the supporter's undo, the coordinator's correction."""

    class Meta:
        abstract = True

    def last_step(self) -> "CaseTransition | None":
        """The latest step that has not been taken back, if it is one that can be."""
        history = list(self.history.order_by("-at", "-pk"))
        undone = {row.corrects_id for row in history if row.corrects_id}
        for row in history:
            if row.action in (Action.UNDO, Action.CORRECT) or row.pk in undone:
                continue
            return row if row.action in UNDOABLE else None
        return None

    def can_undo(self, user: User, now: datetime | None = None) -> bool:
        """The supporter's own last step, within the policy's undo period."""
        step = self.last_step()
        if step is None or step.by_id != user.pk:
            return False
        period = timedelta(hours=DeadlinePolicy.current().undo_hours)
        return (now or timezone.now()) - step.at <= period

    def undo_last(self, *, by: User) -> None:
        """The supporter takes back their own last step (a mistake, noticed soon)."""
        if not self.can_undo(by):
            raise TransitionNotAllowed(
                gettext("Only your own last step can be undone, within %(hours)s hours.")
                % {"hours": DeadlinePolicy.current().undo_hours}
            )
        self._take_back(Action.UNDO, by=by)

    def correct_last(self, reason: CorrectionReason | str, *, by: User | None) -> None:
        """The coordinator takes back the last step, whoever recorded it and whenever,
        with a reason; repeated, it walks back as far as needed. The right steps are
        then recorded as usual."""
        if reason not in CorrectionReason.values:
            raise ValidationError({"reason": gettext("Choose a reason for the correction.")})
        if self.last_step() is None:
            raise TransitionNotAllowed(gettext("There is no step to correct."))
        self._take_back(Action.CORRECT, by=by, correction_reason=reason)

    def _take_back(self, action: Action, *, by: User | None, **history: object) -> None:
        """Reverse the last step: the case's fields, its facts, its deadline. The
        history keeps both the step and this row; nothing in it is rewritten."""
        step = self.last_step()
        assert step is not None
        with self._transition(
            action,
            by,
            to=Status(step.from_status),
            corrects=step,
            conversation_number=step.conversation_number,
            **history,
        ) as case:
            case._reverse(step)

    def _reverse(self, step: "CaseTransition") -> None:
        kind = Action(step.action)
        if kind == Action.CONTACT_ATTEMPT:
            self.contact_attempts = max(self.contact_attempts - 1, 0)
        elif kind == Action.OFFER and self.offered_at is not None:
            hours = int((self.offered_at - self.clock_started_at).total_seconds() // 3600)
            self._withdraw(FactKind.OFFER, self.offered_at)
            self._withdraw(
                FactKind.FIRST_CONTACT, self.offered_at, hours_to_first_contact=max(hours, 0)
            )
            if self.first_contact_at == self.offered_at:
                self.first_contact_at = None
            self.offered_at, self.offer_mode = None, ""
        elif kind in ANSWERS and self.answered_at is not None:
            self._withdraw(ANSWERS[kind], self.answered_at)
            self.answered_at = None
        elif kind in (Action.PLAN_CONVERSATION, Action.HOLD_CONVERSATION):
            number = step.conversation_number or 0
            conversation = self.conversations.filter(number=number).first()
            if conversation is not None:
                if kind == Action.HOLD_CONVERSATION and conversation.held_at is not None:
                    self._withdraw(
                        FactKind.CONVERSATION,
                        conversation.held_at,
                        conversation_number=conversation.number,
                    )
                    conversation.held_at = None
                    conversation.mode = conversation.planned_mode or conversation.mode
                elif step.previous_planned_at is not None:
                    # An undone re-plan: the plan it replaced comes back, and the
                    # calendar file replaces the event again.
                    conversation.planned_at = step.previous_planned_at
                    conversation.mode = conversation.planned_mode = step.previous_mode
                    conversation.plan_sequence += 1
                else:
                    conversation.planned_at = None
                if conversation.held_at is None and conversation.planned_at is None:
                    conversation.delete()
                else:
                    conversation.save()
        elif kind == Action.REFER:
            referral = self.referrals.order_by("-referred_at", "-pk").first()
            if referral is not None:
                self._withdraw(FactKind.REFERRAL, referral.referred_at, referral_type=referral.kind)
                referral.delete()
        elif kind == Action.CLOSE and self.closed_at is not None:
            self._withdraw(FactKind.CLOSURE, self.closed_at, closure_reason=self.closure_reason)
            self.closed_at, self.closure_reason = None, ""
