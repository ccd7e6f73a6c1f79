"""Who may do what with a case. The only place that decides it (R-14).

Every view that touches a case calls ``get_case_for`` on its first line; lists
use ``cases_for`` (which logs a refusal) and, once they know which cases they show,
``shown`` (one INSERT naming each of them, so that an employee sees every list their
case appeared in). Both write the access log.
"""

from collections.abc import Iterable

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from peersupport.audit.models import record, record_many
from peersupport.cases.models import Case, CaseQuerySet, Event
from peersupport.people.models import Role, User


class CaseAction(models.TextChoices):
    LIST = "list", _("List cases")
    VIEW = "view", _("View")
    RECORD = "record", _("Record a step")  # the supporter's steps: contact, offer, conversations
    MANAGE = "manage", _("Manage")  # the coordinator's: assign, reassign, close
    RESPOND = "respond", _("Respond")  # the employee's: accept, decline, reopen


# How a case is named in the access log (audit.record, audit.entries_about).
LOGGED_AS = "case"

# The largest id a row can have (a 64-bit primary key). A larger number in an address
# is an id that cannot exist: a 404 and a log row like any other, not a database error.
MAX_ID = 2**63 - 1


def _storable(object_id: int) -> int | None:
    return object_id if 0 <= object_id <= MAX_ID else None


_COORDINATOR_ACTIONS = {CaseAction.VIEW, CaseAction.RECORD, CaseAction.MANAGE}
_SUPPORTER_ACTIONS = {CaseAction.VIEW, CaseAction.RECORD}
_EMPLOYEE_ACTIONS = {CaseAction.VIEW, CaseAction.RESPOND}


def _role_for(user: User, case: Case, action: CaseAction) -> Role | None:
    """The role under which ``user`` may do ``action`` on ``case``, or None."""
    if user.has_role(Role.COORDINATOR) and action in _COORDINATOR_ACTIONS:
        return Role.COORDINATOR
    employee = getattr(user, "employee", None)
    if employee is None:
        return None
    if (
        user.has_role(Role.SUPPORTER)
        and action in _SUPPORTER_ACTIONS
        and case.supporter is not None
        and case.supporter.employee_id == employee.pk
    ):
        return Role.SUPPORTER
    if case.employee_id == employee.pk and action in _EMPLOYEE_ACTIONS:
        return Role.EMPLOYEE
    return None


def get_case_for(user: User, case_id: int, action: CaseAction) -> Case:
    """The case, if ``user`` may do ``action`` on it; otherwise 404, so that a case's
    existence is not revealed. Either way one access-log row is written."""
    case = (
        Case.objects.select_related("event", "employee", "supporter__employee", "request")
        .filter(pk=case_id)
        .first()
        if _storable(case_id) is not None
        else None
    )
    role = None if case is None or not user.is_authenticated else _role_for(user, case, action)
    record(
        user_id=user.pk,
        role=role or "",
        action=action,
        object_type=LOGGED_AS,
        object_id=_storable(case_id),
        allowed=role is not None,
    )
    if case is None or role is None:
        raise Http404
    return case


def may_reach_employee(user: User, case: Case) -> bool:
    """How to reach the employee (work phone and e-mail, their preferred number and
    time) is for the case's own supporter and the coordinator only: the employee's
    colleagues in other roles need no way to call them about it."""
    return user.is_authenticated and _role_for(user, case, CaseAction.RECORD) is not None


def can_list_cases(user: User) -> bool:
    return user.has_role(Role.COORDINATOR) or user.has_role(Role.SUPPORTER)


def _list_role(user: User) -> Role | None:
    if user.has_role(Role.COORDINATOR):
        return Role.COORDINATOR
    if user.has_role(Role.SUPPORTER) and hasattr(user, "employee"):
        return Role.SUPPORTER
    return None


def cases_for(user: User) -> CaseQuerySet:
    """The cases ``user`` may see in a list: all for a coordinator, their own for a
    supporter. A refusal is logged here; what is shown, by ``shown``."""
    role = _list_role(user)
    if role == Role.COORDINATOR:
        return Case.objects.all()
    if role == Role.SUPPORTER:
        return Case.objects.filter(supporter__employee=user.employee)
    record(
        user_id=user.pk,
        role="",
        action=CaseAction.LIST,
        object_type=LOGGED_AS,
        object_id=None,
        allowed=False,
    )
    return Case.objects.none()


def shown(user: User, cases: Iterable[Case], role: Role | None = None) -> None:
    """Log, in one INSERT, every case a page or an API answer showed ``user`` (R-15);
    a list that showed none still leaves one row."""
    ids = sorted({case.pk for case in cases})
    record_many(
        user_id=user.pk,
        role=role or _list_role(user) or "",
        action=CaseAction.LIST,
        object_type=LOGGED_AS,
        object_ids=ids or [None],
        allowed=True,
    )


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def get_event_for(user: User, event_id: int) -> Event:
    """An event with all its cases is the coordinator's alone; others get 404."""
    event = (
        Event.objects.select_related("department").filter(pk=event_id).first()
        if _storable(event_id) is not None
        else None
    )
    allowed = event is not None and is_coordinator(user)
    record(
        user_id=user.pk,
        role=Role.COORDINATOR if allowed else "",
        action=CaseAction.MANAGE,
        object_type="event",
        object_id=_storable(event_id),
        allowed=allowed,
    )
    if event is None or not allowed:
        raise Http404
    return event
