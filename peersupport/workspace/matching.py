"""Who fits a case best, with the reasons (R-5, R-6): the coordinator's suggestions.

Who may take a case at all (availability, load) is ``cases.matching``; here the
exclusions for one case are added, as hard rules applied in the database. The ranking
adds weights from ``settings.MATCHING_WEIGHTS`` for each reason and subtracts for
current load; a tie goes to the supporter with the lower load. Every point comes with
its reason.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peersupport.cases.constants import Action, Reason
from peersupport.cases.matching import available_supporters
from peersupport.cases.models import Case, CaseTransition
from peersupport.people.models import Department
from peersupport.supporters.models import (
    ApproachTag,
    Experience,
    SpokenLanguage,
    Supporter,
    SupporterQuerySet,
)
from peersupport.vocabulary import Approach, EventCategory, Language


@dataclass
class Suggestion:
    supporter: Supporter
    load: int
    score: int = 0
    reasons: list[str] = field(default_factory=list)


class Ranking(list[Suggestion]):
    """The best ``limit`` suggestions, best first; ``total`` is how many could take the case."""

    total: int = 0


def candidates(case: Case, now: datetime | None = None) -> SupporterQuerySet:
    """Everyone who may be suggested for ``case`` (R-6)."""
    involved = Case.objects.filter(event_id=case.event_id).values("employee_id")
    supporters = (
        available_supporters(case.employee, now)
        .exclude(employee_id__in=involved)
        .exclude(pk__in=_declined_by_employee(case).values("from_supporter_id"))
    )
    if case.employee.manager_id is not None:
        supporters = supporters.exclude(employee_id=case.employee.manager_id)
    if case.supporter_id is not None:
        supporters = supporters.exclude(pk=case.supporter_id)
    return supporters


def _declined_by_employee(case: Case) -> "QuerySet[CaseTransition]":
    """The history rows in which the employee turned a supporter down for this case:
    they asked for someone else, or the coordinator reassigned at their wish. They stay
    in the history, so a later decline and reopen does not bring the supporter back."""
    return CaseTransition.objects.filter(
        case=case,
        action__in=[Action.ASK_OTHER, Action.REASSIGN],
        reason=Reason.EMPLOYEE_PREFERENCE,
        from_supporter__isnull=False,
    )


def not_suggested(case: Case) -> list[tuple[Supporter, str]]:
    """The supporters left out of this case's suggestions because of the employee's
    wish, with the reason in words, for the coordinator."""
    ids = _declined_by_employee(case).values("from_supporter_id")
    supporters = Supporter.objects.filter(pk__in=ids).select_related("employee")
    return [
        (s, _("the employee asked for someone else")) for s in supporters.order_by("employee__name")
    ]


def rank(
    case: Case,
    *,
    approaches: Collection[str] = (),
    languages: Collection[str] = (),
    limit: int = 25,
    now: datetime | None = None,
) -> Ranking:
    """The candidates for ``case``, best fit first, each with its reasons in words.

    Every candidate is scored from plain rows (a fixed handful of queries, however
    many supporters); only the ``limit`` best are loaded whole and explained.
    """
    weights = settings.MATCHING_WEIGHTS
    employee = case.employee
    departments = {case.event.department_id, employee.department_id}
    pool = candidates(case, now)
    ids = pool.values("pk")
    rows = list(
        pool.values_list(  # type: ignore[misc]  # "load" is an annotation the stubs do not see
            "pk",
            "load",
            "employee__name",
            "employee__function_id",
            "employee__function__group",
            "employee__department_id",
        )
    )
    experienced = set(
        Experience.objects.filter(supporter__in=ids, category=case.event.category).values_list(
            "supporter_id", flat=True
        )
    )
    knows = _pairs(
        Supporter.departments_known.through.objects.filter(
            supporter__in=ids, department__in=departments
        ),
        "department_id",
    )
    tags = _pairs(
        ApproachTag.objects.filter(supporter__in=ids, approach__in=approaches), "approach"
    )
    spoken = _pairs(
        SpokenLanguage.objects.filter(supporter__in=ids, language__in=languages), "language"
    )

    scored = []
    for pk, load, name, function_id, group, department_id in rows:
        reasons: list[tuple[str, object]] = []
        if function_id == employee.function_id:
            reasons.append(("same_function", None))
        elif group == employee.function.group:
            reasons.append(("same_profession_group", None))
        known = (
            department_id if department_id in departments else min(knows.get(pk, ()), default=None)
        )
        if known is not None:
            reasons.append(("knows_department", known))
        if pk in experienced:
            reasons.append(("experience", None))
        reasons += [("approach", tag) for tag in sorted(tags.get(pk, ()))]
        reasons += [("language", code) for code in sorted(spoken.get(pk, ()))]
        score = sum(weights[key] for key, _value in reasons) + weights["per_open_case"] * load
        scored.append((-score, load, name, pk, reasons))
    scored.sort()

    best = scored[:limit]
    loaded = Supporter.objects.select_related("employee__function", "employee__department").in_bulk(
        [pk for *_rest, pk, _reasons in best]
    )
    names = dict(Department.objects.filter(pk__in=departments).values_list("pk", "name"))
    ranking = Ranking()
    ranking.total = len(scored)
    for negative, load, _name, pk, reasons in best:
        supporter = loaded[pk]
        words = [_explain(key, value, supporter, names, case) for key, value in reasons]
        words.append(
            _("Current load: %(load)s of %(capacity)s")
            % {"load": load, "capacity": supporter.capacity}
        )
        ranking.append(Suggestion(supporter, load=load, score=-negative, reasons=words))
    return ranking


def _pairs(rows: QuerySet, field_name: str) -> dict[int, set]:
    """{supporter id: the set of ``field_name`` values in ``rows``}."""
    found: dict[int, set] = {}
    for supporter_id, value in rows.values_list("supporter_id", field_name):
        found.setdefault(supporter_id, set()).add(value)
    return found


def _explain(
    key: str, value: object, supporter: Supporter, departments: dict[int, str], case: Case
) -> str:
    function = supporter.employee.function
    if key == "same_function":
        return _("Same function: %s") % function.name
    if key == "same_profession_group":
        return _("Close profession: %s") % function.get_group_display()
    if key == "knows_department":
        return _("Knows the department: %s") % departments[value]  # type: ignore[index]
    if key == "experience":
        return _("Experience with: %s") % EventCategory(case.event.category).label
    if key == "approach":
        return _("Approach: %s") % Approach(str(value)).label
    return _("Speaks %s") % Language(str(value)).label
