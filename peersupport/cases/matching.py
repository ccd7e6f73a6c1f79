"""Which supporters can take a case now. (Ranking by fit builds on this.)"""

from django.db.models import Count, F, Q

from peersupport.cases.workflow import OPEN_STATUSES
from peersupport.people.models import Employee
from peersupport.supporters.models import Supporter, SupporterQuerySet


def with_load(supporters: SupporterQuerySet) -> SupporterQuerySet:
    """Annotate each supporter with ``load``, the number of their open cases."""
    return supporters.annotate(load=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES)))


def available_supporters(for_employee: Employee | None = None) -> SupporterQuerySet:
    """Trained, active supporters below their capacity, never the employee themself."""
    supporters = with_load(Supporter.objects.assignable()).filter(
        load__lt=F("capacity")  # type: ignore[misc]  # the stubs do not see annotations
    )
    if for_employee is not None:
        supporters = supporters.exclude(employee=for_employee)
    return supporters


def is_available(supporter: Supporter, for_employee: Employee | None = None) -> bool:
    return available_supporters(for_employee).filter(pk=supporter.pk).exists()
