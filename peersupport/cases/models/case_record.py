"""The case's record: its fields and what every step of it shares."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Self, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

from peersupport.cases import deadlines
from peersupport.cases.constants import (
    Action,
    ConversationMode,
    DeadlineKind,
    DeadlineState,
    Reason,
    Status,
)
from peersupport.cases.models.history import CaseTransition, Conversation, Referral
from peersupport.cases.models.policy import MAX_CONVERSATIONS, DeadlinePolicy
from peersupport.cases.models.request import Event, SupportRequest
from peersupport.cases.workflow import OPEN_STATUSES, TransitionNotAllowed, target_status
from peersupport.notices import models as notices
from peersupport.people.models import Employee, Role, User
from peersupport.reports import facts
from peersupport.reports.models import FactKind
from peersupport.supporters.models import Supporter


class StaleStep(TransitionNotAllowed):
    """A step sent from a page older than the case's latest step."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Nothing was recorded: the case changed after this page was loaded (the "
                "step was sent twice, or from another window). Check the case and record "
                "the step again if it is still needed."
            )
        )

    @staticmethod
    def check(case: "CaseRecord") -> None:
        """Raises when the sender's page is older than ``case``'s newest history row."""
        if case.seen_history is not None and case.seen_history != case.newest_history():
            raise StaleStep()


CONVERSATION_DEADLINES = {
    DeadlineKind.FIRST_CONVERSATION: 1,
    DeadlineKind.SECOND_CONVERSATION: 2,
    DeadlineKind.THIRD_CONVERSATION: 3,
}


class CaseRecord(models.Model):
    """A case's fields and the machinery its steps share: the locked transition with
    its history row, the deadline, the anonymous facts and the notices. Abstract: the
    model is `Case` (case.py), which adds the steps."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="cases", verbose_name=_("event")
    )
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="cases", verbose_name=_("request")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="cases", verbose_name=_("employee")
    )
    supporter = models.ForeignKey(
        Supporter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("supporter"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    # When the first-contact clock started: the request, or the moment of reopening.
    clock_started_at = models.DateTimeField(_("clock started at"), default=timezone.now)
    contact_attempts = models.PositiveSmallIntegerField(_("contact attempts"), default=0)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offer recorded at"), null=True, blank=True)
    # How the supporter reached the employee with the offer: it was a real contact.
    offer_mode = models.CharField(
        _("offer made by"), max_length=20, choices=ConversationMode, blank=True
    )
    answered_at = models.DateTimeField(_("answer recorded at"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=Reason, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The next deadline, kept up to date by every transition so lists can sort and filter on it.
    next_deadline_kind = models.CharField(
        _("next deadline"), max_length=30, choices=DeadlineKind, blank=True
    )
    next_deadline_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    next_deadline_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)

    # Set inside a transition: what the step adds to its history row.
    _history: dict[str, object]
    # The newest history row the sender's page showed, when a page sent the step: a
    # step sent twice (a double click, a second tab) finds a newer row and is refused.
    seen_history: int | None = None
    if TYPE_CHECKING:  # the reverse relations of history.py's models, for the type checker
        history: RelatedManager[CaseTransition]
        conversations: RelatedManager[Conversation]
        referrals: RelatedManager[Referral]

    class Meta:
        abstract = True

    # -- reading ---------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def newest_history(self) -> int | None:
        """The id of the case's newest history row (what a page showed last)."""
        return self.history.order_by("-pk").values_list("pk", flat=True).first()

    def deadline_state(self, now: datetime | None = None) -> DeadlineState:
        return deadlines.state(self.next_deadline_risk_at, self.next_deadline_at, now)

    @contextmanager
    def _transition(
        self, action: Action, by: User | None, to: Status | None = None, **history: object
    ) -> Iterator[Self]:
        """Lock the row, check the map, let the caller change the locked copy, then
        save it with its new status, its next deadline and one history row.

        An exception inside the block rolls everything back.
        """
        with transaction.atomic():
            # Lock the case row only; what facts need about it comes in the same query.
            case = (
                type(self)
                ._default_manager.select_related("event", "request", "employee__function")
                .select_for_update(of=("self",))
                .get(pk=self.pk)
            )
            case.seen_history = self.seen_history
            StaleStep.check(case)  # under the row's lock: of two sendings, one passes
            from_status, from_supporter_id = case.status, case.supporter_id
            to_status = to or target_status(from_status, action)
            case._history = {}  # what the step adds to its history row from inside
            yield case
            case.status = to_status
            case._refresh_deadline(DeadlinePolicy.current())
            case.save()
            history.update(case._history)
            CaseTransition.objects.create(
                case_id=case.pk,
                action=action,
                from_status=from_status,
                to_status=to_status,
                by=by,
                at=timezone.now(),
                from_supporter_id=from_supporter_id,
                supporter=case.supporter,
                **history,
            )
        self.refresh_from_db()

    def _fact_details(self, **step: Unpack[facts.Details]) -> facts.Details:
        """The case's own details of a fact, with the step's (a number, a reason)."""
        case: facts.Details = {
            "channel": self.request.channel,
            "category": self.event.category,
            "function_group": self.employee.function.group,
            "mandatory": self.event.offer_mandatory,
        }
        return case | step

    def _withdraw(self, kind: FactKind, at: datetime, **step: Unpack[facts.Details]) -> None:
        facts.withdraw(kind, at, **self._fact_details(**step))

    def _fact(
        self, kind: FactKind, *, at: datetime | None = None, **step: Unpack[facts.Details]
    ) -> None:
        """Count what happened in the anonymous facts: codes only, no link back (R-26)."""
        facts.record(kind, at or timezone.now(), **self._fact_details(**step))

    # -- rules -------------------------------------------------------------------

    def _check_assignable(self, supporter: Supporter) -> None:
        if not Supporter.objects.assignable().filter(pk=supporter.pk).exists():
            raise TransitionNotAllowed(
                gettext(
                    "Only an active supporter with an account who completed the training "
                    "can be assigned."
                )
            )
        if supporter.employee_id == self.employee_id:
            raise TransitionNotAllowed(gettext("An employee cannot be their own supporter."))

    def _tell_supporter(self) -> None:
        """The new supporter hears at once (R-18), in this same transaction (R-19)."""
        assert self.supporter is not None
        notices.enqueue(
            recipient_id=self.supporter.employee.user_id,  # assignable() has one
            kind=notices.Kind.NEW_CASE,
            path=reverse("cases:detail", args=[self.pk]),
        )

    def _tell_coordinators(self, kind: notices.Kind) -> None:
        """The coordinators on call now, or every coordinator when nobody is."""
        from peersupport.cases.models.rota import OnCallShift  # rota imports this module

        recipients = {u.pk for u in OnCallShift.on_call_at(timezone.now())} or set(
            User.objects.filter(roles__role=Role.COORDINATOR, is_active=True).values_list(
                "pk", flat=True
            )
        )
        for user_id in sorted(recipients):
            notices.enqueue(
                recipient_id=user_id, kind=kind, path=reverse("cases:detail", args=[self.pk])
            )

    def _tell_employee(self) -> None:
        """The employee hears that a supporter was found (and who, on /me/)."""
        if self.employee.user_id is not None:
            notices.enqueue(
                recipient_id=self.employee.user_id,
                kind=notices.Kind.SUPPORTER_ASSIGNED,
                path=reverse("support:mine"),
            )

    def _check_conversation_number(self, number: int) -> None:
        if not 1 <= number <= MAX_CONVERSATIONS:
            raise ValidationError(
                {
                    "number": gettext("A case has conversations 1 to %(max)s.")
                    % {"max": MAX_CONVERSATIONS}
                }
            )
        if (
            number > 1
            and not self.conversations.filter(number=number - 1, held_at__isnull=False).exists()
        ):
            raise ValidationError(
                {
                    "number": gettext("Conversation %(previous)s has not been held yet.")
                    % {"previous": number - 1}
                }
            )

    def _refresh_deadline(self, policy: DeadlinePolicy) -> None:
        conversations = [] if self.pk is None else list(self.conversations.all())
        deadline = deadlines.next_deadline(
            policy,
            status=Status(self.status),
            clock_started_at=self.clock_started_at,
            event_date=self.event.event_date,
            held={c.number: c.held_at for c in conversations if c.held_at is not None},
            third_planned=any(c.number == MAX_CONVERSATIONS for c in conversations),
        )
        if deadline is None:
            self.next_deadline_kind, self.next_deadline_at, self.next_deadline_risk_at = (
                "",
                None,
                None,
            )
        else:
            self.next_deadline_kind = deadline.kind
            self.next_deadline_at = deadline.due_at
            self.next_deadline_risk_at = deadline.risk_at
            # A conversation planned after its deadline puts the case at risk now, not
            # only when the deadline nears: the plan itself will miss it.
            planned = {c.number: c.planned_at for c in conversations if c.held_at is None}
            number = CONVERSATION_DEADLINES.get(DeadlineKind(deadline.kind))
            planned_at = planned.get(number) if number else None
            if planned_at is not None and planned_at > deadline.due_at:
                self.next_deadline_risk_at = min(deadline.risk_at, timezone.now())
