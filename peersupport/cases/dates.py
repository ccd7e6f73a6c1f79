"""The date rules of events and conversations, in one place: the intake forms, the
API, the group sessions and the case's verbs all ask these (R-3, R-10, R-12).

- An event is dated, not in the future, and at most the policy's years ago.
- No step of a case is dated before its request was received (nor before the event).
- A conversation held is not in the future; one planned is in the future and within
  the policy's planning horizon; conversations follow each other in order.
"""

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from peersupport.cases.models.policy import DeadlinePolicy

if TYPE_CHECKING:
    from peersupport.cases.models import Case, Event


def earliest_event_date(policy: DeadlinePolicy | None = None) -> date:
    policy = policy or DeadlinePolicy.current()
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - policy.event_years_back)
    except ValueError:  # 29 February
        return today.replace(year=today.year - policy.event_years_back, day=28)


def check_event_date(value: date | None) -> None:
    """Raises ValidationError with one message when ``value`` cannot be an event's date."""
    if value is None:
        raise ValidationError(gettext("Give the date of the event."), code="required")
    if value > timezone.localdate():
        raise ValidationError(gettext("The event cannot be in the future."), code="future")
    policy = DeadlinePolicy.current()
    if value < earliest_event_date(policy):
        raise ValidationError(
            gettext("The event can be at most %(years)s years ago.")
            % {"years": policy.event_years_back},
            code="too_old",
        )


def check_group_session_date(value: date, event: "Event") -> None:
    """A group session follows its event and has taken place."""
    if value > timezone.localdate():
        raise ValidationError(gettext("A group session cannot be in the future."))
    if value < event.event_date:
        raise ValidationError(
            gettext("A group session cannot be before the event (%(date)s).")
            % {"date": date_format(event.event_date, "SHORT_DATE_FORMAT")}
        )


def check_contact(case: "Case", at: datetime) -> None:
    """A contact with the employee took place, after the request was received."""
    if at > timezone.now():
        raise ValidationError({"at": gettext("A contact cannot be in the future.")})
    received = case.request.received_at
    if at < received:
        raise ValidationError(
            {
                "at": gettext("A contact cannot be before the request was received (%(at)s).")
                % {"at": date_format(timezone.localtime(received), "SHORT_DATETIME_FORMAT")}
            }
        )


def check_conversation(case: "Case", number: int, at: datetime, *, held: bool) -> None:
    """Raises ValidationError({"at": …}) when conversation ``number`` of ``case`` cannot be
    held (or planned, when ``held`` is false) at ``at``."""
    now = timezone.now()
    local = timezone.localtime
    received = case.request.received_at
    event_start = datetime.combine(case.event.event_date, datetime.min.time()).replace(
        tzinfo=timezone.get_current_timezone()
    )
    if at < received or at < event_start:
        raise ValidationError(
            {
                "at": gettext("A conversation cannot be before the request was received (%(at)s).")
                % {"at": date_format(local(received), "SHORT_DATETIME_FORMAT")}
            }
        )
    if held and at > now:
        raise ValidationError({"at": gettext("A conversation cannot be held in the future.")})
    if not held:
        if at <= now:
            raise ValidationError({"at": gettext("A planned conversation must be in the future.")})
        horizon = DeadlinePolicy.current().planning_horizon_days
        if at > now + timedelta(days=horizon):
            raise ValidationError(
                {
                    "at": gettext("A conversation can be planned at most %(days)s days ahead.")
                    % {"days": horizon}
                }
            )
    previous = case.conversations.filter(number=number - 1, held_at__isnull=False).first()
    if previous is not None and previous.held_at and at < previous.held_at:
        raise ValidationError(
            {
                "at": gettext("Conversation %(number)s cannot be before conversation %(previous)s.")
                % {"number": number, "previous": number - 1}
            }
        )
    following = case.conversations.filter(number=number + 1, held_at__isnull=False).first()
    if held and following is not None and following.held_at and at > following.held_at:
        raise ValidationError(
            {
                "at": gettext("Conversation %(number)s cannot be after conversation %(next)s.")
                % {"number": number, "next": number + 1}
            }
        )
