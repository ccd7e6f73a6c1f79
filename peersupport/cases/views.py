"""The case pages: the case list and one case, with the steps its viewer may take.
The coordinator's dashboard, pool, matching and assignment are in ``workspace``."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peersupport.cases.access import (
    CaseAction,
    can_list_cases,
    cases_for,
    get_case_for,
    is_coordinator,
    may_reach_employee,
    shown,
)
from peersupport.cases.models import Case, DeadlinePolicy
from peersupport.cases.step_forms import (
    CloseForm,
    ConversationForm,
    CorrectionForm,
    OfferForm,
    ProfessionalHelpForm,
)
from peersupport.cases.workflow import allowed_actions
from peersupport.people.http import AuthenticatedHttpRequest

# A hospital's day fits on the dashboard; beyond this many rows a list is counted and
# its most pressing rows shown (all cases are on the case list, all supporters on the
# pool overview).
DASHBOARD_ROWS = 50


@require_GET
@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_list_cases(request.user):
        cases_for(request.user)  # logs the refusal
        raise PermissionDenied
    cases = cases_for(request.user).select_related(
        "event", "employee__department", "supporter__employee"
    )
    show = request.GET.get("show", "open")
    if show == "open":
        cases = cases.open()
    now = timezone.now()
    rows = [(case, case.deadline_state(now)) for case in cases]
    shown(request.user, [case for case, _state in rows])
    return render(
        request,
        "cases/case_list.html",
        {
            "rows": rows,
            "show": show,
            "now": now,
            "can_match": is_coordinator(request.user),
        },
    )


@require_GET
@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, CaseAction.VIEW)
    return render_case(request, case)


def _with_hand_overs(case: Case) -> list[Any]:
    """The case's referrals, each with its hand-over (or None) as ``handed_over``."""
    referrals = list(
        case.referrals.select_related("hand_over").prefetch_related("hand_over__steps")
    )
    for referral in referrals:
        referral.handed_over = getattr(referral, "hand_over", None)  # type: ignore[attr-defined]
    return referrals


def render_case(
    request: AuthenticatedHttpRequest,
    case: Case,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page: its facts, the next steps the viewer may record, and its history."""
    user = request.user
    records = is_coordinator(user) or (
        case.supporter is not None and case.supporter.employee.user_id == user.pk
    )
    allowed = set(allowed_actions(case.status)) if records else set()
    last_step = case.last_step() if records else None
    conversations = list(case.conversations.all())
    held = [c.number for c in conversations if c.held_at]
    next_number = min(max(held, default=0) + 1, 3)
    forms = {
        # Each form's prefix is its action, as the step view binds it.
        "plan_conversation": ConversationForm(
            initial={"number": next_number}, prefix="plan_conversation"
        ),
        "hold_conversation": ConversationForm(
            initial={"number": next_number}, prefix="hold_conversation"
        ),
        "offer": OfferForm(prefix="offer"),
        "refer": ProfessionalHelpForm(prefix="refer"),
        "close": CloseForm(prefix="close"),
        "correct": CorrectionForm(prefix="correct"),
        **(forms or {}),
    }
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "state": case.deadline_state(),
            "history": case.history.select_related("by", "supporter__employee", "corrects"),
            "conversations": conversations,
            "referrals": _with_hand_overs(case),
            # How the request came in, and the manager's answer to "discussed with the
            # employee?": they change how the first call goes (procedure §8 step 2).
            "shows_request": records,
            "can_manage": is_coordinator(user),
            "reach": may_reach_employee(user, case),
            "steps": {a.value for a in allowed},
            "last_step": last_step,
            "can_undo": records and case.can_undo(user),
            "can_correct": is_coordinator(user) and last_step is not None,
            "other_recent": (
                Case.objects.recent_open_for(case.employee_id, timezone.now()).exclude(pk=case.pk)
                if is_coordinator(user)
                else []
            ),
            "step_forms": [
                ("offer", _("Reached them and offered support")),
                ("hold_conversation", _("Record a conversation held")),
                ("plan_conversation", _("Plan a conversation")),
                ("refer", _("Refer to professional help")),
                ("close", _("Close the case")),
            ],
            "forms": forms,
            # The newest history row this page shows: its step forms send it back.
            "seen": case.newest_history(),
            "guide_number": next_number,
            "attempts_needed": DeadlinePolicy.current().no_answer_after_attempts,
        },
        status=status,
    )
