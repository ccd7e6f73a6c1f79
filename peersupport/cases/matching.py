"""Which supporters can take a case at all: trained, current, not away, with room
(R-6), and their current load. The ranking for one case, with its reasons, is the
coordinator's: ``workspace.matching``."""

from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from peersupport.cases.models import Case
from peersupport.cases.workflow import OPEN_STATUSES
from peersupport.people.models import Employee
from peersupport.supporters.models import (
    Absence,
    Supporter,
    SupporterQuerySet,
)

AVAILABILITY_WINDOW = timedelta(hours=72)


def with_load(supporters: SupporterQuerySet) -> SupporterQuerySet:
    """Annotate each supporter with ``load``, the number of their open cases."""
    # A subquery per supporter over the partial index of open cases: joining every case
    # ever kept would count through hundreds of thousands of closed ones.
    open_cases = (
        Case.objects.filter(supporter=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("supporter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return supporters.annotate(load=Coalesce(Subquery(open_cases), 0))


def absent_within(now: datetime, window: timedelta = AVAILABILITY_WINDOW) -> SupporterQuerySet:
    """Supporters with an absence on any day between now and now + window."""
    first, last = timezone.localdate(now), timezone.localdate(now + window)
    ids = Absence.objects.filter(starts_on__lte=last, ends_on__gte=first).values("supporter")
    return Supporter.objects.filter(pk__in=ids)


def available_supporters(
    for_employee: Employee | None = None, now: datetime | None = None
) -> SupporterQuerySet:
    """Assignable supporters below capacity and not absent in the coming 72 hours,
    never the employee themself."""
    now = now or timezone.now()
    supporters = (
        with_load(Supporter.objects.assignable())
        .filter(load__lt=F("capacity"))  # type: ignore[misc]  # the stubs do not see annotations
        .exclude(pk__in=absent_within(now).values("pk"))
    )
    if for_employee is not None:
        supporters = supporters.exclude(employee=for_employee)
    return supporters


def is_available(supporter: Supporter, for_employee: Employee | None = None) -> bool:
    return available_supporters(for_employee).filter(pk=supporter.pk).exists()
