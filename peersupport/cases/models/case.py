"""Events, requests, cases and what happens in a case.

Case records are structured choices and dates only: no field here can hold what
was said in a conversation or what happened beyond the event's category
(`tests/test_no_free_text.py` keeps it that way).
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases import dates
from peersupport.cases.constants import (
    CLOSURE_REASONS,
    REASSIGN_REASONS,
    Action,
    ConversationMode,
    Reason,
    ReferralRoute,
    ReferralType,
    Status,
)

# StaleStep and the validator are re-exported: views import StaleStep from here and
# existing migrations name the validator by this module's path.
from peersupport.cases.models.case_record import StaleStep as StaleStep
from peersupport.cases.models.corrections import CaseCorrections
from peersupport.cases.models.history import CaseTransition, Conversation, Referral
from peersupport.cases.models.policy import DeadlinePolicy
from peersupport.cases.models.request import (
    ExternalReferenceValidator as ExternalReferenceValidator,
)
from peersupport.cases.models.request import SupportRequest
from peersupport.cases.workflow import OPEN_STATUSES, TransitionNotAllowed
from peersupport.notices import models as notices
from peersupport.people.models import Employee, User
from peersupport.reports.models import FactKind
from peersupport.supporters.models import Supporter

# A request for an employee who already has an open case this recent may be the same
# event sent twice (or a second event): the coordinator is shown both.
RECENT_DAYS = 30


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def recent_open_for(self, employee_id: int, now: datetime) -> "CaseQuerySet":
        """The employee's open cases whose request came in the last RECENT_DAYS days."""
        since = now - timedelta(days=RECENT_DAYS)
        return self.open().filter(employee_id=employee_id, request__received_at__gte=since)

    def with_other_recent(self, now: datetime) -> "CaseQuerySet":
        """Annotates ``other_recent``: the same employee has another recent open case."""
        since = now - timedelta(days=RECENT_DAYS)
        others = (
            Case.objects.open()
            .filter(employee_id=OuterRef("employee_id"), request__received_at__gte=since)
            .exclude(pk=OuterRef("pk"))
        )
        return self.annotate(other_recent=Exists(others))


class Case(CaseCorrections):
    """One employee's support after one event, from request to closure."""

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_deadline_at", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "employee"], name="one_case_per_employee_per_event"
            )
        ]
        # Open cases are a few thousand among hundreds of thousands kept for the report
        # years: the dashboard, matching and the sweep read them through these.
        indexes = [
            models.Index(
                fields=["supporter"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="open_cases_by_supporter",
            ),
            models.Index(
                fields=["next_deadline_risk_at"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="open_cases_by_risk",
            ),
            models.Index(
                fields=["clock_started_at"],
                condition=models.Q(status="new"),
                name="cases_waiting",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Case %(number)s") % {"number": self.pk}

    # -- the workflow ----------------------------------------------------------

    @classmethod
    def open_for(
        cls, *, request: SupportRequest, employee: Employee, by: User | None = None
    ) -> "Case":
        """Create the case of one affected employee, with its first history row."""
        with transaction.atomic():
            case = cls(
                event=request.event,
                request=request,
                employee=employee,
                clock_started_at=request.received_at,
            )
            case._refresh_deadline(DeadlinePolicy.current())
            case.save()
            CaseTransition.objects.create(
                case=case,
                action=Action.OPEN,
                from_status="",
                to_status=case.status,
                by=by,
                at=request.received_at,
            )
            case._fact(FactKind.REQUEST, at=request.received_at)
        return case

    def assign(self, supporter: Supporter, *, by: User | None) -> None:
        with self._transition(Action.ASSIGN, by) as case:
            case._check_assignable(supporter)
            case.supporter = supporter
            case._tell_supporter()
            case._tell_employee()

    def reassign(self, supporter: Supporter, *, reason: Reason | str, by: User | None) -> None:
        if reason not in REASSIGN_REASONS:
            raise ValidationError({"reason": gettext("Choose a reason for the reassignment.")})
        with self._transition(Action.REASSIGN, by, reason=reason) as case:
            if case.supporter_id == supporter.pk:
                raise TransitionNotAllowed(gettext("This supporter is already assigned."))
            case._check_assignable(supporter)
            previous = case.supporter
            case.supporter = supporter
            case._tell_supporter()
            if previous is not None and previous.employee.user_id is not None:
                # The old supporter hears the case is no longer theirs; the link is their
                # list, since the case itself is now closed to them.
                notices.enqueue(
                    recipient_id=previous.employee.user_id,
                    kind=notices.Kind.CASE_REASSIGNED,
                    path=reverse("cases:list"),
                )
            case._tell_employee()

    def record_contact_attempt(self, *, by: User | None) -> None:
        with self._transition(Action.CONTACT_ATTEMPT, by) as case:
            case.contact_attempts += 1

    def record_offer(
        self, *, mode: ConversationMode | str, at: datetime | None = None, by: User | None
    ) -> None:
        """The supporter reached the employee (``at``, by ``mode``) and offered support.
        Only this counts as an offer: a mandatory case closes after it, and the
        report counts it."""
        if mode not in ConversationMode.values:
            raise ValidationError({"mode": gettext("Choose how the employee was reached.")})
        with self._transition(Action.OFFER, by) as case:
            at = at or timezone.now()
            dates.check_contact(case, at)
            if case.status == Status.NO_ANSWER and case.answered_at is not None:
                # Reached after all: "no answer" is no longer this case's answer.
                case._withdraw(FactKind.NO_ANSWER, case.answered_at)
                case.answered_at = None
            case.first_contact_at = case.first_contact_at or at
            case.offered_at = at
            case.offer_mode = mode
            case._fact(FactKind.OFFER, at=at)
            hours = int((at - case.clock_started_at).total_seconds() // 3600)
            case._fact(FactKind.FIRST_CONTACT, at=at, hours_to_first_contact=max(hours, 0))

    def accept(self, *, by: User | None) -> None:
        with self._transition(Action.ACCEPT, by) as case:
            case.answered_at = timezone.now()
            case._fact(FactKind.ACCEPTED)

    def decline(self, *, by: User | None) -> None:
        """One click, no reason asked (R-11). Declining answers an offer, so the
        workflow allows it only once one was made (and then at any moment)."""
        with self._transition(Action.DECLINE, by) as case:
            case.answered_at = timezone.now()
            case._fact(FactKind.DECLINED)

    def record_no_answer(self, *, by: User | None) -> None:
        with self._transition(Action.NO_ANSWER, by) as case:
            needed = DeadlinePolicy.current().no_answer_after_attempts
            if case.contact_attempts < needed:
                raise TransitionNotAllowed(
                    gettext("“No answer” needs %(needed)s contact attempts; %(done)s are recorded.")
                    % {"needed": needed, "done": case.contact_attempts}
                )
            case.answered_at = timezone.now()
            case._fact(FactKind.NO_ANSWER)

    def plan_conversation(
        self, number: int, at: datetime, mode: ConversationMode, *, by: User | None
    ) -> None:
        with self._transition(Action.PLAN_CONVERSATION, by, conversation_number=number) as case:
            case._check_conversation_number(number)
            dates.check_conversation(case, number, at, held=False)
            conversation, created = Conversation.objects.get_or_create(
                case=case,
                number=number,
                defaults={"planned_at": at, "mode": mode, "planned_mode": mode},
            )
            if not created:
                # A calendar replaces an event it knows (same UID) when the sequence rises.
                if conversation.planned_at is not None and conversation.planned_at != at:
                    conversation.plan_sequence += 1
                if conversation.planned_at is not None:
                    # A re-plan: its history row keeps the plan it replaced, for an undo.
                    case._history = {
                        "previous_planned_at": conversation.planned_at,
                        "previous_mode": conversation.planned_mode or conversation.mode,
                    }
                conversation.planned_at, conversation.mode = at, mode
                conversation.planned_mode = mode
                conversation.save()

    def hold_conversation(
        self, number: int, at: datetime, mode: ConversationMode, *, by: User | None
    ) -> None:
        with self._transition(Action.HOLD_CONVERSATION, by, conversation_number=number) as case:
            case._check_conversation_number(number)
            dates.check_conversation(case, number, at, held=True)
            conversation, _created = Conversation.objects.get_or_create(
                case=case, number=number, defaults={"mode": mode}
            )
            if conversation.held_at is not None:
                raise TransitionNotAllowed(
                    gettext("Conversation %(number)s is already recorded as held.")
                    % {"number": number}
                )
            conversation.held_at = at
            conversation.mode = mode
            conversation.save()
            case._fact(FactKind.CONVERSATION, at=at, conversation_number=number)

    def refer(
        self,
        kind: ReferralType,
        *,
        route: ReferralRoute,
        consent: bool,
        by: User | None,
    ) -> "Referral":
        with self._transition(Action.REFER, by) as case:
            referral = Referral.objects.create(
                case=case, kind=kind, route=route, consent=consent, referred_at=timezone.now()
            )
            case._fact(FactKind.REFERRAL, referral_type=kind)
        return referral

    def close(self, reason: Reason, *, by: User | None) -> None:
        if reason not in CLOSURE_REASONS:
            raise ValidationError({"reason": gettext("Choose a reason for closing.")})
        with self._transition(Action.CLOSE, by, reason=reason) as case:
            if case.event.offer_mandatory and case.offered_at is None:
                raise TransitionNotAllowed(
                    gettext(
                        "Support must be offered before this case can close: the offer is "
                        "mandatory for this kind of event."
                    )
                )
            case.closure_reason = reason
            case.closed_at = timezone.now()
            case._fact(FactKind.CLOSURE, closure_reason=reason)

    def reopen(self, *, by: User | None) -> None:
        """The employee comes back after declining (R-11): back to matching, clock restarted."""
        with self._transition(Action.REOPEN, by) as case:
            case.supporter = None
            case.contact_attempts = 0
            case.answered_at = None
            case.closure_reason = ""
            case.closed_at = None
            case.clock_started_at = timezone.now()

    def ask_for_another(self, *, by: User | None) -> None:
        """ "Not this person, but yes to support" (R-6): the case goes back to the
        coordinator to match, this supporter is never suggested again for it, and the
        coordinator hears so, content-free, in this same transaction."""
        with self._transition(Action.ASK_OTHER, by, reason=Reason.EMPLOYEE_PREFERENCE) as case:
            previous = case.supporter
            if previous is not None and previous.employee.user_id is not None:
                # The supporter hears the case is no longer theirs (not why).
                notices.enqueue(
                    recipient_id=previous.employee.user_id,
                    kind=notices.Kind.CASE_REASSIGNED,
                    path=reverse("cases:list"),
                )
            case.supporter = None
            case.contact_attempts = 0
            case.answered_at = None
            case.clock_started_at = timezone.now()
            case._tell_coordinators(notices.Kind.ANOTHER_SUPPORTER)


def recompute_open_deadlines() -> int:
    """Apply a changed policy to every open case. Returns how many were updated."""
    policy = DeadlinePolicy.current()
    cases = list(Case.objects.open().select_related("event").prefetch_related("conversations"))
    for case in cases:
        case._refresh_deadline(policy)
    Case.objects.bulk_update(
        cases, ["next_deadline_kind", "next_deadline_at", "next_deadline_risk_at"], batch_size=500
    )
    return len(cases)
