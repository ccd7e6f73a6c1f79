"""Events, requests, cases and what happens in a case.

Case records are structured choices and dates only: no field here can hold what
was said in a conversation or what happened beyond the event's category
(`tests/test_no_free_text.py` keeps it that way).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases import dates, deadlines
from peersupport.cases.constants import (
    CLOSURE_REASONS,
    DONE,
    MANDATORY_OFFER_CATEGORIES,
    REASSIGN_REASONS,
    Action,
    Channel,
    ConversationMode,
    CorrectionReason,
    DeadlineKind,
    DeadlineState,
    EventCategory,
    Reason,
    ReferralRoute,
    ReferralType,
    Status,
)
from peersupport.cases.models.policy import MAX_CONVERSATIONS, DeadlinePolicy
from peersupport.cases.workflow import OPEN_STATUSES, TransitionNotAllowed, target_status
from peersupport.notices import models as notices
from peersupport.people.models import ApiToken, Department, Employee, Role, User
from peersupport.reports import facts
from peersupport.reports.models import FactKind
from peersupport.supporters.models import Supporter


@deconstructible(path="peersupport.cases.models.case.ExternalReferenceValidator")
class ExternalReferenceValidator(RegexValidator):
    """An incident number as the hospital's system writes it, by the pattern in the
    settings (EXTERNAL_REFERENCE_PATTERN): an identifier can then never carry a
    sentence, not even one written with underscores and dots."""

    message = _("Not an incident number as this installation expects it (e.g. VIM-2026-00123).")

    def __init__(self) -> None:
        super().__init__()

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(settings.EXTERNAL_REFERENCE_PATTERN)

    @regex.setter
    def regex(self, value: object) -> None:
        pass  # always the settings' pattern


EXTERNAL_REFERENCE_VALIDATOR = ExternalReferenceValidator()
FINGERPRINT_VALIDATOR = RegexValidator(r"^[0-9a-f]{64}$")


class Event(models.Model):
    """What happened, by category only. One event can affect several employees."""

    category = models.CharField(_("category"), max_length=30, choices=EventCategory)
    event_date = models.DateField(_("date of the event"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="events", verbose_name=_("department")
    )
    serious_incident = models.BooleanField(_("serious incident report"), default=False)
    reported_to_inspectorate = models.BooleanField(_("reported to the inspectorate"), default=False)
    offer_mandatory = models.BooleanField(
        _("offer mandatory"),
        default=False,
        help_text=_("Every affected employee must be offered support before the case can close."),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["-event_date"]
        verbose_name = _("impactful event")
        verbose_name_plural = _("impactful events")

    def __str__(self) -> str:
        return gettext("Event %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs) -> None:
        # Procedure §7: these make the offer proactive and mandatory, whoever registers them.
        if (
            self.category in MANDATORY_OFFER_CATEGORIES
            or self.serious_incident
            or self.reported_to_inspectorate
        ):
            self.offer_mandatory = True
        super().save(*args, **kwargs)


class SupportRequest(models.Model):
    """The notice that one or more employees may need support after an event."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="requests", verbose_name=_("event")
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel)
    # Who referred is kept for the access log only; it is never shown with the case.
    referred_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # The manager's answer to "did you discuss this with the employee?" (procedure §8 step 2).
    discussed_with_employee = models.BooleanField(
        _("discussed with the employee"), null=True, blank=True
    )
    # A self-request naming a supporter from the directory.
    requested_supporter = models.ForeignKey(
        Supporter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supporter asked for"),
    )
    # Requests from an integration are idempotent on (integration, external_reference).
    integration = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        validators=[EXTERNAL_REFERENCE_VALIDATOR],
        help_text=_("The incident report's id in the incident-reporting system."),
    )
    # SHA-256 of the submitted content, to tell a repeat from a conflicting resubmission.
    fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, validators=[FINGERPRINT_VALIDATOR]
    )

    class Meta:
        # The table keeps the name it had when the model was called Request.
        db_table = "cases_request"
        ordering = ["-received_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="one_request_per_external_reference",
            )
        ]

    def __str__(self) -> str:
        return gettext("Request %(number)s") % {"number": self.pk}


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
    def check(case: "Case") -> None:
        """Raises when the sender's page is older than ``case``'s newest history row."""
        if case.seen_history is not None and case.seen_history != case.newest_history():
            raise StaleStep()


# How the history names a step taken back.
TAKEN_BACK = {Action.UNDO: _("Undone: %(step)s"), Action.CORRECT: _("Corrected: %(step)s")}

CONVERSATION_DEADLINES = {
    DeadlineKind.FIRST_CONVERSATION: 1,
    DeadlineKind.SECOND_CONVERSATION: 2,
    DeadlineKind.THIRD_CONVERSATION: 3,
}


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


class Case(models.Model):
    """One employee's support after one event, from request to closure."""

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

    objects = CaseQuerySet.as_manager()
    # Set inside a transition: what the step adds to its history row.
    _history: dict[str, object]
    # The newest history row the sender's page showed, when a page sent the step: a
    # step sent twice (a double click, a second tab) finds a newer row and is refused.
    seen_history: int | None = None

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

    # -- reading ---------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def newest_history(self) -> int | None:
        """The id of the case's newest history row (what a page showed last)."""
        return self.history.order_by("-pk").values_list("pk", flat=True).first()

    def deadline_state(self, now: datetime | None = None) -> DeadlineState:
        return deadlines.state(self.next_deadline_risk_at, self.next_deadline_at, now)

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

    @contextmanager
    def _transition(
        self, action: Action, by: User | None, to: Status | None = None, **history: object
    ) -> Iterator["Case"]:
        """Lock the row, check the map, let the caller change the locked copy, then
        save it with its new status, its next deadline and one history row.

        An exception inside the block rolls everything back.
        """
        with transaction.atomic():
            # Lock the case row only; what facts need about it comes in the same query.
            case = (
                type(self)
                .objects.select_related("event", "request", "employee__function")
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
                case=case,
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
            case.supporter = None
            case.contact_attempts = 0
            case.answered_at = None
            case.clock_started_at = timezone.now()
            case._tell_coordinators(notices.Kind.ANOTHER_SUPPORTER)

    # -- corrections -------------------------------------------------------------

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


class Conversation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conversations")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CONVERSATIONS)]
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_at = models.DateTimeField(_("held on"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=ConversationMode)
    # The mode it was planned in, so that taking back "held" restores the plan as it was.
    planned_mode = models.CharField(
        _("planned mode"), max_length=20, choices=ConversationMode, blank=True
    )
    # How often the plan was changed: the calendar file's SEQUENCE.
    plan_sequence = models.PositiveSmallIntegerField(_("plan changed"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_conversation_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_CONVERSATIONS),
                name="conversation_number_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Conversation %(number)s") % {"number": self.number}


class Referral(models.Model):
    """A hand-over to professional help. Recorded as choices; nothing about why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=20, choices=ReferralType)
    route = models.CharField(_("via"), max_length=20, choices=ReferralRoute)
    consent = models.BooleanField(_("the employee agreed"))
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)

    class Meta:
        ordering = ["referred_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class CaseTransition(models.Model):
    """One append-only row per transition: the case's history (who, when, from, to)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=30, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status)
    by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The supporter before and after the transition (they differ on assign, reassign, reopen).
    from_supporter = models.ForeignKey(
        Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason, blank=True)
    conversation_number = models.PositiveSmallIntegerField(_("conversation"), null=True, blank=True)
    # An undo or correction names the step it took back; that step's row stays.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("takes back"),
    )
    correction_reason = models.CharField(
        _("correction reason"), max_length=30, choices=CorrectionReason, blank=True
    )
    # A conversation planned again: the plan it replaced, so that undoing restores it.
    previous_planned_at = models.DateTimeField(_("previously planned for"), null=True, blank=True)
    previous_mode = models.CharField(
        _("previously planned mode"), max_length=20, choices=ConversationMode, blank=True
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TransitionNotAllowed("Case history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TransitionNotAllowed("Case history is append-only.")

    def describe(self) -> str:
        """The step as the history reads it, e.g. "Conversation 1 planned"; an undo or
        a correction names the step it took back ("Undone: conversation 1 held")."""
        text = str(DONE[Action(self.action)])
        text = text % {"number": self.conversation_number} if "%(number)" in text else text
        if self.action in TAKEN_BACK and self.corrects is not None:
            step = self.corrects.describe()
            return str(TAKEN_BACK[Action(self.action)]) % {"step": step[:1].lower() + step[1:]}
        return text
