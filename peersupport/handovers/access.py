"""Who may see and follow up a hand-over. The only place that decides it (R-14).

HR sees the hand-overs sent to HR (made with the employee's consent, or there would
be none) and nothing else about any case; the coordinator sees every hand-over and
follows up those sent via the coordinator. The supporter and the employee see a
hand-over's status on the case page and on /me/, through the case's own access.
Every decision writes one access-log row.
"""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from peersupport.audit.models import record, record_many
from peersupport.cases.constants import ReferralRoute
from peersupport.handovers.models import HandOver, HandOverQuerySet
from peersupport.people.models import Role, User

MAX_ID = 2**63 - 1
LOGGED_AS = "hand_over"  # how the access log names a hand-over


class HandOverAction(models.TextChoices):
    LIST = "list", _("List hand-overs")
    VIEW = "view", _("View")
    RECORD = "record", _("Record a step")


def _role_for(user: User, hand_over: HandOver, action: HandOverAction) -> Role | None:
    route = hand_over.referral.route
    if user.has_role(Role.HR) and route == ReferralRoute.HR:
        return Role.HR
    if user.has_role(Role.COORDINATOR) and (
        action == HandOverAction.VIEW or route == ReferralRoute.COORDINATOR
    ):
        return Role.COORDINATOR
    return None


def may_record(user: User, hand_over: HandOver) -> bool:
    """Whether the page offers ``user`` the steps (a check, not a decision: the POST
    goes through ``get_hand_over_for`` again)."""
    return _role_for(user, hand_over, HandOverAction.RECORD) is not None


def _list_role(user: User) -> Role | None:
    if user.has_role(Role.HR):
        return Role.HR
    if user.has_role(Role.COORDINATOR):
        return Role.COORDINATOR
    return None


def get_hand_over_for(user: User, hand_over_id: int, action: HandOverAction) -> HandOver:
    """The hand-over, if ``user`` may do ``action`` on it; otherwise 404."""
    storable = hand_over_id if 0 <= hand_over_id <= MAX_ID else None
    hand_over = (
        HandOver.objects.select_related("referral__case__employee__user")
        .filter(pk=hand_over_id)
        .first()
        if storable is not None
        else None
    )
    role = (
        None
        if hand_over is None or not user.is_authenticated
        else _role_for(user, hand_over, action)
    )
    record(
        user_id=user.pk,
        role=role or "",
        action=action,
        object_type=LOGGED_AS,
        object_id=storable,
        allowed=role is not None,
    )
    if hand_over is None or role is None:
        raise Http404
    return hand_over


def can_list(user: User) -> bool:
    return user.is_authenticated and _list_role(user) is not None


def hand_overs_for(user: User) -> HandOverQuerySet:
    """The hand-overs ``user`` follows up: HR those sent to HR, the coordinator those
    sent via the coordinator. Anyone else: none, and a refusal in the log."""
    role = _list_role(user) if user.is_authenticated else None
    queryset = HandOver.objects.select_related("referral__case__employee__user")
    if role == Role.HR:
        return queryset.filter(referral__route=ReferralRoute.HR)
    if role == Role.COORDINATOR:
        return queryset.filter(referral__route=ReferralRoute.COORDINATOR)
    record(
        user_id=user.pk,
        role="",
        action=HandOverAction.LIST,
        object_type=LOGGED_AS,
        object_id=None,
        allowed=False,
    )
    return HandOver.objects.none()


def shown(user: User, hand_overs: list[HandOver]) -> None:
    """One access-log row naming every hand-over a list showed."""
    ids = sorted({h.pk for h in hand_overs})
    record_many(
        user_id=user.pk,
        role=_list_role(user) or "",
        action=HandOverAction.LIST,
        object_type=LOGGED_AS,
        object_ids=ids or [None],
        allowed=True,
    )
