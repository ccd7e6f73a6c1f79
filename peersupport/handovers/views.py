"""HR's (and the coordinator's) hand-overs: the list, one hand-over, and its steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peersupport.handovers.access import (
    HandOverAction,
    can_list,
    get_hand_over_for,
    hand_overs_for,
    may_record,
    shown,
)
from peersupport.handovers.forms import StepForm
from peersupport.handovers.models import HandOver
from peersupport.people.http import AuthenticatedHttpRequest


@require_GET
@login_required
def hand_over_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    hand_overs = hand_overs_for(request.user)
    if not can_list(request.user):
        raise PermissionDenied
    rows = list(hand_overs)
    shown(request.user, rows)
    return render(
        request,
        "handovers/list.html",
        {
            "open": [h for h in rows if h.is_open],
            "done": [h for h in rows if not h.is_open],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def hand_over_detail(request: AuthenticatedHttpRequest, hand_over_id: int) -> HttpResponse:
    action = HandOverAction.RECORD if request.method == "POST" else HandOverAction.VIEW
    hand_over = get_hand_over_for(request.user, hand_over_id, action)
    if request.method == "POST" and not hand_over.is_open:
        messages.error(request, _("This hand-over is complete."))
        return redirect("handovers:detail", hand_over_id=hand_over.pk)
    form = StepForm(request.POST or None, hand_over=hand_over)
    if request.method == "POST":
        if form.is_valid():
            try:
                hand_over.record(
                    form.cleaned_data["status"],
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Recorded: %(step)s.") % {"step": hand_over.get_status_display()},
                )
                return redirect("handovers:detail", hand_over_id=hand_over.pk)
        return _page(request, hand_over, form, status=400)
    return _page(request, hand_over, form)


def _page(
    request: AuthenticatedHttpRequest, hand_over: HandOver, form: StepForm, status: int = 200
) -> HttpResponse:
    employee = hand_over.referral.case.employee
    can_record = hand_over.is_open and may_record(request.user, hand_over)
    return render(
        request,
        "handovers/detail.html",
        {
            "hand_over": hand_over,
            "employee": employee,
            # The work e-mail from the HR import, else the account's.
            "email": employee.email or (employee.user.email if employee.user else ""),
            "steps": hand_over.steps.all(),
            "form": form if can_record else None,
        },
        status=status,
    )
