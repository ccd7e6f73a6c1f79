"""When a case's next step is due, and whether it is on time, at risk or late (R-9, R-12).

Deadlines are computed and stored in UTC, but counted on the organisation's clock:
a request on Friday 17:00 is due 72 hours later on Monday 17:00 local time, also
in the week the clocks change (when 72 hours on the clock are 71 or 73 real ones).
Day-based deadlines count calendar days and fall due at 23:59:59 local time on
the last day. zoneinfo handles daylight saving.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from peersupport.cases.constants import Anchor, DeadlineKind, DeadlineState, Status
from peersupport.cases.workflow import BEFORE_FIRST_CONTACT, CONVERSATIONS_DUE

if TYPE_CHECKING:
    from peersupport.cases.models import DeadlinePolicy

UTC = ZoneInfo("UTC")
LAST_SECOND = time(23, 59, 59)


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_at: datetime
    risk_at: datetime


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def end_of_local_day(day: date) -> datetime:
    """The last second of ``day`` in the organisation's time zone, in UTC. (Not the next
    midnight, which would read as the following day on every screen.)"""
    return datetime.combine(day, LAST_SECOND, tzinfo=local_zone()).astimezone(UTC)


def on_the_clock(start: datetime, hours: int) -> datetime:
    """``hours`` after ``start`` as the organisation's wall clock counts them, in UTC."""
    local = start.astimezone(local_zone()).replace(tzinfo=None) + timedelta(hours=hours)
    return local.replace(tzinfo=local_zone()).astimezone(UTC)


def state(
    risk_at: datetime | None, due_at: datetime | None, now: datetime | None = None
) -> DeadlineState:
    if due_at is None:
        return DeadlineState.NONE
    now = now or timezone.now()
    if now >= due_at:
        return DeadlineState.LATE
    if risk_at is not None and now >= risk_at:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME


def next_deadline(
    policy: "DeadlinePolicy",
    *,
    status: Status,
    clock_started_at: datetime,
    event_date: date,
    held: dict[int, datetime],
    third_planned: bool,
) -> Deadline | None:
    """The next deadline of a case in ``status``, given which conversations were held."""

    def anchor_moment(anchor: str) -> datetime:
        if anchor == Anchor.EVENT:
            return datetime.combine(event_date, time.min, tzinfo=local_zone()).astimezone(UTC)
        if anchor == Anchor.FIRST_CONVERSATION and 1 in held:
            return held[1]
        return clock_started_at

    def by_hours(kind: DeadlineKind, anchor: str, hours: int, risk_hours: int) -> Deadline:
        start = anchor_moment(anchor)
        return Deadline(kind, on_the_clock(start, hours), on_the_clock(start, risk_hours))

    def by_days(kind: DeadlineKind, anchor: str, days: int, risk_after_days: int) -> Deadline:
        start_day = anchor_moment(anchor).astimezone(local_zone()).date()
        return Deadline(
            kind,
            end_of_local_day(start_day + timedelta(days=days)),
            end_of_local_day(start_day + timedelta(days=risk_after_days)),
        )

    if status in BEFORE_FIRST_CONTACT:
        return by_hours(
            DeadlineKind.FIRST_CONTACT,
            policy.first_contact_anchor,
            policy.first_contact_hours,
            policy.first_contact_risk_hours,
        )
    if status not in CONVERSATIONS_DUE:
        return None
    if 1 not in held:
        return by_hours(
            DeadlineKind.FIRST_CONVERSATION,
            policy.first_conversation_anchor,
            policy.first_conversation_hours,
            policy.first_conversation_risk_hours,
        )
    if 2 not in held:
        days = policy.second_conversation_days
        return by_days(
            DeadlineKind.SECOND_CONVERSATION,
            policy.second_conversation_anchor,
            days,
            days - policy.conversation_risk_days,
        )
    if 3 not in held and (third_planned or policy.standard_conversations >= 3):
        # The aim (six weeks) passing makes it at risk; the window (three months) closing, late.
        return by_days(
            DeadlineKind.THIRD_CONVERSATION,
            policy.third_conversation_anchor,
            policy.third_conversation_window_days,
            policy.third_conversation_days,
        )
    return None
