"""The case workflow: which action is allowed in which status, and where it leads.

This map is the only place that says so; every verb on ``Case`` checks it.
"""

from django.utils.translation import gettext as _

from peersupport.cases.constants import Action, Status

S = Status
# The status groups, each defined here once; the other modules import them.
# A case still running (not declined, not unanswered, not closed).
OPEN_STATUSES = frozenset({S.NEW, S.ASSIGNED, S.OFFERED, S.ACCEPTED, S.IN_PROGRESS})
# The supporter still has to reach the employee: the first-contact deadline runs
# (deadlines) and the supporter is reminded of it (the sweep).
BEFORE_FIRST_CONTACT = (S.NEW, S.ASSIGNED)
# Support was offered and not declined: the conversation deadlines run and the
# supporter is reminded of them, also while the employee has not answered yet.
CONVERSATIONS_DUE = (S.OFFERED, S.ACCEPTED, S.IN_PROGRESS)
# The employee accepted: conversations can be planned and held, referrals made.
SUPPORT_ACCEPTED = (S.ACCEPTED, S.IN_PROGRESS)

# action -> {from status: to status}
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.ASSIGN: {S.NEW: S.ASSIGNED},
    Action.REASSIGN: {s: s for s in (S.ASSIGNED, S.OFFERED, S.ACCEPTED, S.IN_PROGRESS)},
    Action.CONTACT_ATTEMPT: {S.ASSIGNED: S.ASSIGNED},
    # An employee not reached at first may call back: the offer can still be made, and
    # a mandatory case (which cannot close without one) is never left without a way on.
    Action.OFFER: {S.ASSIGNED: S.OFFERED, S.NO_ANSWER: S.OFFERED},
    Action.ACCEPT: {S.OFFERED: S.ACCEPTED},
    # Declining is a right at any moment before the case ends (procedure §3), once
    # support was offered: a decline without an offer would skip a mandatory offer.
    Action.DECLINE: dict.fromkeys((S.OFFERED, *SUPPORT_ACCEPTED), S.DECLINED),
    Action.NO_ANSWER: {S.ASSIGNED: S.NO_ANSWER},
    Action.PLAN_CONVERSATION: dict.fromkeys(SUPPORT_ACCEPTED, S.IN_PROGRESS),
    Action.HOLD_CONVERSATION: dict.fromkeys(SUPPORT_ACCEPTED, S.IN_PROGRESS),
    Action.REFER: dict.fromkeys(SUPPORT_ACCEPTED, S.IN_PROGRESS),
    Action.CLOSE: dict.fromkeys((*OPEN_STATUSES, S.DECLINED, S.NO_ANSWER), S.CLOSED),
    # A reopened case goes back to matching: time has passed and the clock restarts.
    Action.REOPEN: dict.fromkeys((S.DECLINED, S.NO_ANSWER, S.CLOSED), S.NEW),
    # "Someone else, please": support goes on, with another supporter, so the case
    # goes back to matching; the new supporter's 72 hours start then.
    Action.ASK_OTHER: dict.fromkeys((S.ASSIGNED, S.OFFERED, *SUPPORT_ACCEPTED), S.NEW),
}


class TransitionNotAllowed(Exception):
    """An action that the workflow or one of its rules does not allow right now."""


def target_status(current: Status | str, action: Action) -> Status:
    """Where ``action`` leads from ``current``, or TransitionNotAllowed."""
    try:
        return TRANSITIONS[action][Status(current)]
    except KeyError:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible for a case that is “%(status)s”.")
            % {"action": action.label, "status": Status(current).label}
        ) from None


def allowed_actions(current: Status | str) -> list[Action]:
    return [action for action, moves in TRANSITIONS.items() if Status(current) in moves]
