"""The watchdog: is the application's own clock running? Read by the coordinator's
dashboard, the administrator's index and the monitoring endpoint.

Three things are watched: the scheduler has swept within three of its intervals, at
least one delivery worker has beaten within three of its intervals, and no due
message has waited more than five minutes since it was stored. Counts and times only: nothing here
names anyone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peersupport.notices.models import Delivery, Message
from peersupport.operations.models import Heartbeat, ProcessKind

STALE_AFTER_INTERVALS = 3
DUE_TOO_LONG = timedelta(minutes=5)


@dataclass(frozen=True)
class Problem:
    code: str  # for the monitoring endpoint and logs: scheduler, workers, outbox
    what: Promise  # in plain words
    todo: Promise  # what to do about it


SCHEDULER = Problem(
    "scheduler",
    _("Reminders and warnings are not being prepared: the scheduler has stopped."),
    _(
        "Deadlines are not being watched. Ask IT to start the scheduler "
        "(manage.py schedule --loop); until then, check the open cases yourself."
    ),
)
WORKERS = Problem(
    "workers",
    _("E-mail is not being sent: no delivery worker is running."),
    _(
        "Supporters are not told of new cases or reminded. Ask IT to start a worker "
        "(manage.py deliver --loop); until then, tell supporters yourself."
    ),
)
OUTBOX = Problem(
    "outbox",
    _("E-mail is waiting longer than it should: a message has waited over five minutes."),
    _(
        "The mail server or the workers may be failing. Ask IT to look at the workers "
        "and the mail server; until then, tell supporters yourself."
    ),
)


def due(now: datetime) -> "Q":
    return Q(status=Delivery.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.SENDING, claimed_until__lt=now
    )


def oldest_due(now: datetime) -> datetime | None:
    """When the longest-waiting message not yet sent was stored. Counted from its
    creation, not from its next attempt: a message that keeps failing is still waiting."""
    found: datetime | None = Message.objects.filter(
        status__in=[Delivery.PENDING, Delivery.SENDING], created_at__lte=now
    ).aggregate(oldest=Min("created_at"))["oldest"]
    return found


def _fresh(beats: list[Heartbeat], at: str, now: datetime) -> bool:
    return any(
        (moment := getattr(b, at)) is not None
        and now - moment <= timedelta(seconds=b.interval_seconds * STALE_AFTER_INTERVALS)
        for b in beats
    )


def problems(now: datetime | None = None) -> list[Problem]:
    """What is wrong with the application's clock now; empty when all is well."""
    now = now or timezone.now()
    beats = list(Heartbeat.objects.filter(kind__in=[ProcessKind.SCHEDULER, ProcessKind.WORKER]))
    found = []
    if not _fresh([b for b in beats if b.kind == ProcessKind.SCHEDULER], "swept_at", now):
        found.append(SCHEDULER)
    if not _fresh([b for b in beats if b.kind == ProcessKind.WORKER], "beat_at", now):
        found.append(WORKERS)
    oldest = oldest_due(now)
    if oldest is not None and now - oldest > DUE_TOO_LONG:
        found.append(OUTBOX)
    return found
