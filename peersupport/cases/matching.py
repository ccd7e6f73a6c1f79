"""Which supporters can take a case, and who fits it best, with the reasons (R-5, R-6).

Exclusions are hard rules, applied in the database. The ranking adds weights from
``settings.MATCHING_WEIGHTS`` for each reason and subtracts for current load; a
tie goes to the supporter with the lower load. Every point comes with its reason.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.cases.constants import Action, Reason
from peersupport.cases.models import Case, CaseTransition
from peersupport.cases.workflow import OPEN_STATUSES
from peersupport.people.models import Employee
from peersupport.supporters.models import Absence, Supporter, SupporterQuerySet
from peersupport.vocabulary import Approach, EventCategory, Language

AVAILABILITY_WINDOW = timedelta(hours=72)


def with_load(supporters: SupporterQuerySet) -> SupporterQuerySet:
    """Annotate each supporter with ``load``, the number of their open cases."""
    return supporters.annotate(load=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES)))


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


@dataclass
class Suggestion:
    supporter: Supporter
    load: int
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)


def candidates(case: Case, now: datetime | None = None) -> SupporterQuerySet:
    """Everyone who may be suggested for ``case`` (R-6), with what ranking needs."""
    involved = Case.objects.filter(event_id=case.event_id).values("employee_id")
    declined = CaseTransition.objects.filter(
        case=case, action=Action.REASSIGN, reason=Reason.EMPLOYEE_PREFERENCE
    ).values("from_supporter_id")
    supporters = (
        available_supporters(case.employee, now)
        .exclude(employee_id__in=involved)
        .exclude(pk__in=declined)
    )
    if case.employee.manager_id is not None:
        supporters = supporters.exclude(employee_id=case.employee.manager_id)
    if case.supporter_id is not None:
        supporters = supporters.exclude(pk=case.supporter_id)
    return supporters.select_related("employee__function", "employee__department").prefetch_related(
        "departments_known", "experiences", "approaches", "languages"
    )


def rank(
    case: Case,
    *,
    approaches: Collection[str] = (),
    languages: Collection[str] = (),
    now: datetime | None = None,
) -> list[Suggestion]:
    """The candidates for ``case``, best fit first, each with its reasons in words."""
    weights = settings.MATCHING_WEIGHTS
    employee = case.employee
    departments = {case.event.department_id, employee.department_id}
    suggestions = []
    for supporter in candidates(case, now):
        suggestion = Suggestion(supporter, load=supporter.load)  # type: ignore[attr-defined]
        own = supporter.employee
        if own.function_id == employee.function_id:
            suggestion.add(weights["same_function"], _("Same function: %s") % own.function.name)
        elif own.function.group == employee.function.group:
            suggestion.add(
                weights["same_profession_group"],
                _("Close profession: %s") % own.function.get_group_display(),
            )
        known = {own.department_id} | {d.pk for d in supporter.departments_known.all()}
        if known & departments:
            names = [
                d.name
                for d in [own.department, *supporter.departments_known.all()]
                if d.pk in departments
            ]
            suggestion.add(weights["knows_department"], _("Knows the department: %s") % names[0])
        if case.event.category in {e.category for e in supporter.experiences.all()}:
            suggestion.add(
                weights["experience"],
                _("Experience with: %s") % EventCategory(case.event.category).label,
            )
        for tag in sorted({a.approach for a in supporter.approaches.all()} & set(approaches)):
            suggestion.add(weights["approach"], _("Approach: %s") % Approach(tag).label)
        for code in sorted({x.language for x in supporter.languages.all()} & set(languages)):
            suggestion.add(weights["language"], _("Speaks %s") % Language(code).label)
        suggestion.add(
            weights["per_open_case"] * suggestion.load,
            _("Current load: %(load)s of %(capacity)s")
            % {"load": suggestion.load, "capacity": supporter.capacity},
        )
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.load, s.supporter.employee.name))
    return suggestions
