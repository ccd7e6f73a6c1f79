"""Retention (R-16): the identifying data of ended cases is deleted after the policy's
period; an employee's deletion request is carried out the same way once their
support has ended. The anonymous facts and the pseudonymous access log remain (the
log has its own, longer retention). Idempotent: run it as often as you like.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from peersupport.audit.models import Seal, SealKind, purge_before
from peersupport.cases.constants import Status
from peersupport.cases.models import Case, DeadlinePolicy, Event, SupportRequest
from peersupport.cases.workflow import OPEN_STATUSES
from peersupport.notices.models import purge_sent
from peersupport.people.models import DeletionRequest

MINIMUM_LOG_DAYS = 730


@dataclass
class Purged:
    cases: int = 0
    requests_carried_out: int = 0
    messages: int = 0
    log_rows: int = 0


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def purge(now: datetime | None = None) -> Purged:
    now = now or timezone.now()
    done = Purged()
    policy = DeadlinePolicy.current()
    cutoff_day = months_before(timezone.localdate(now), policy.retention_months)
    cutoff = timezone.make_aware(datetime.combine(cutoff_day, datetime.min.time()))
    ended = Case.objects.filter(
        Q(status=Status.CLOSED, closed_at__lt=cutoff)
        | Q(status__in=[Status.DECLINED, Status.NO_ANSWER], answered_at__lt=cutoff)
    )
    done.cases += _delete(ended)
    for deletion in DeletionRequest.objects.filter(carried_out_at__isnull=True).select_related(
        "employee"
    ):
        cases = Case.objects.filter(employee=deletion.employee)
        if cases.filter(status__in=OPEN_STATUSES).exists():
            continue  # carried out once the support has ended
        done.cases += _delete(cases)
        deletion.carried_out_at = now
        deletion.save(update_fields=["carried_out_at"])
        done.requests_carried_out += 1
    # Delivered messages hold only a kind and a link; they go after the same period.
    done.messages = purge_sent(before=cutoff)
    log_days = max(settings.ACCESS_LOG_RETENTION_DAYS, MINIMUM_LOG_DAYS)
    # The oldest rows as a prefix of the chain, with a signed checkpoint where it was
    # cut: once a day, so that checkpoints stay few.
    if not Seal.objects.filter(kind=SealKind.CHECKPOINT, at__gt=now - timedelta(days=1)).exists():
        done.log_rows = purge_before(now - timedelta(days=log_days))
    return done


def _delete(cases: QuerySet[Case]) -> int:
    """Delete cases with their conversations, referrals and history, then the requests
    and events no case refers to any more."""
    with transaction.atomic():
        ids = list(cases.values_list("pk", flat=True))
        if not ids:
            return 0
        requests = set(Case.objects.filter(pk__in=ids).values_list("request_id", flat=True))
        events = set(Case.objects.filter(pk__in=ids).values_list("event_id", flat=True))
        Case.objects.filter(pk__in=ids).delete()
        SupportRequest.objects.filter(pk__in=requests, cases__isnull=True).delete()
        Event.objects.filter(pk__in=events, cases__isnull=True, requests__isnull=True).delete()
        return len(ids)
