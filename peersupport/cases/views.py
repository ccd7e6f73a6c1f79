from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport.cases.access import CaseAction, can_list_cases, cases_for, get_case_for
from peersupport.cases.constants import DeadlineState, Status


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not can_list_cases(request.user):  # type: ignore[arg-type]
        cases_for(request.user)  # type: ignore[arg-type]  # logs the refusal
        raise PermissionDenied
    cases = cases_for(request.user).select_related(  # type: ignore[arg-type]
        "event", "employee__department", "supporter__employee"
    )
    show = request.GET.get("show", "open")
    if show == "open":
        cases = cases.open()
    now = timezone.now()
    rows = [(case, case.deadline_state(now)) for case in cases]
    return render(
        request,
        "cases/case_list.html",
        {"rows": rows, "show": show, "now": now, "DeadlineState": DeadlineState},
    )


@require_GET
@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, CaseAction.VIEW)  # type: ignore[arg-type]
    history = case.history.select_related("by", "supporter__employee")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "state": case.deadline_state(),
            "history": history,
            "conversations": case.conversations.all(),
            "referrals": case.referrals.all(),
            "Status": Status,
        },
    )
