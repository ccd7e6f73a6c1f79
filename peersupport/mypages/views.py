"""The employee's side: my support, accept or decline in one click, reopen, and
what the system knows about me (R-11, R-16)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peersupport.audit import models as audit
from peersupport.cases.access import LOGGED_AS, CaseAction, get_case_for, shown
from peersupport.cases.constants import Action
from peersupport.cases.models import Case
from peersupport.cases.workflow import TransitionNotAllowed, allowed_actions
from peersupport.confirm import ask_first
from peersupport.handovers.access import LOGGED_AS as HAND_OVER_LOGGED_AS
from peersupport.mypages.forms import CallPreferenceForm
from peersupport.mypages.personal_data import export_for
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import DeletionRequest, Employee, Role

RESPONSES = {
    Action.ACCEPT: lambda case, by: case.accept(by=by),
    Action.DECLINE: lambda case, by: case.decline(by=by),
    Action.REOPEN: lambda case, by: case.reopen(by=by),
    Action.ASK_OTHER: lambda case, by: case.ask_for_another(by=by),
}
DONE = {
    Action.ACCEPT: gettext_lazy(
        "Thank you. Your supporter will plan the first conversation with you."
    ),
    Action.DECLINE: gettext_lazy(
        "Understood. If you change your mind, you can come back here at any time."
    ),
    Action.REOPEN: gettext_lazy(
        "Welcome back. The coordinator will find a supporter for you within 72 hours."
    ),
    Action.ASK_OTHER: gettext_lazy(
        "Understood. The coordinator will find someone else for you; you will be called "
        "within 72 hours."
    ),
}


def _employee(request: HttpRequest) -> Employee:
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise PermissionDenied
    return employee


def _my_page(
    request: AuthenticatedHttpRequest,
    employee: Employee,
    call_form: CallPreferenceForm,
    status: int = 200,
) -> HttpResponse:
    cases = (
        Case.objects.filter(employee=employee)
        .select_related("event", "supporter__employee__function")
        .prefetch_related("conversations", "referrals__hand_over__steps")
        .order_by("-pk")
    )
    rows = []
    for case in cases:
        actions = set(allowed_actions(case.status)) & set(RESPONSES)
        planned = [c for c in case.conversations.all() if c.planned_at and not c.held_at]
        hand_overs = [
            r.hand_over for r in case.referrals.all() if getattr(r, "hand_over", None) is not None
        ]
        rows.append(
            {
                "case": case,
                "actions": {a.value for a in actions},
                "next": planned[:1],
                "hand_overs": hand_overs,
            }
        )
    shown(request.user, cases, Role.EMPLOYEE)
    return render(
        request, "mypages/my_support.html", {"rows": rows, "call_form": call_form}, status=status
    )


@require_GET
@login_required
def my_support(request: AuthenticatedHttpRequest) -> HttpResponse:
    employee = _employee(request)
    return _my_page(request, employee, CallPreferenceForm(instance=employee, prefix="call"))


@require_POST
@login_required
def call_preference(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee's own number and time to be called; an error names the field and
    changes nothing."""
    employee = _employee(request)
    form = CallPreferenceForm(
        request.POST, instance=Employee.objects.get(pk=employee.pk), prefix="call"
    )
    if not form.is_valid():
        return _my_page(request, employee, form, status=400)
    with transaction.atomic():
        form.save()
    messages.success(request, _("Saved. Your supporter and the coordinator will see this."))
    return redirect("support:mine")


@require_POST
@login_required
def respond(request: AuthenticatedHttpRequest, case_id: int, action: str) -> HttpResponse:
    """Accept, decline or reopen: one click, no reason asked."""
    try:
        verb = Action(action)
        do = RESPONSES[verb]
    except (ValueError, KeyError):
        raise Http404 from None
    case = get_case_for(request.user, case_id, CaseAction.RESPOND)
    if verb == Action.ASK_OTHER:
        unconfirmed = ask_first(
            request,
            title=_("Ask for another supporter?"),
            explanation=_(
                "Your support goes on with someone else. The coordinator finds them and is "
                "not told why; your present supporter will not be asked again."
            ),
            confirm_label=_("Yes, someone else please"),
            cancel_url=reverse("support:mine"),
        )
        if unconfirmed:
            return unconfirmed
    try:
        do(case, request.user)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE[verb])
    return redirect("support:mine")


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    employee = _employee(request)
    data = export_for(employee)
    exporting = request.GET.get("format") == "json"
    for case in data["cases"]:  # each case shown or exported is in the access log
        audit.record(
            user_id=request.user.pk,
            role=Role.EMPLOYEE,
            action="export" if exporting else "view",
            object_type=LOGGED_AS,
            object_id=case["case"],
            allowed=True,
        )
    if exporting:
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="peer-support-my-data.json"'
        return response
    pending = employee.deletion_requests.filter(carried_out_at__isnull=True).first()
    return render(
        request,
        "mypages/my_data.html",
        {
            "data": data,
            "pretty": json.dumps(data, indent=2, ensure_ascii=False),
            "pending": pending,
        },
    )


@require_POST
@login_required
def request_deletion(request: HttpRequest) -> HttpResponse:
    employee = _employee(request)
    unconfirmed = ask_first(
        request,
        title=_("Ask for your data to be deleted?"),
        explanation=_(
            "Everything the system holds about you is deleted once any open support has "
            "ended. Until then you can withdraw the request on the page about your data."
        ),
        confirm_label=_("Yes, ask for deletion"),
        cancel_url=reverse("support:data"),
    )
    if unconfirmed:
        return unconfirmed
    try:
        with transaction.atomic():
            DeletionRequest.objects.create(employee=employee)
    except IntegrityError:
        pass  # one open request is enough; asking twice changes nothing
    messages.success(
        request,
        _(
            "Your request is recorded. What can be deleted is deleted once any open support has "
            "ended; the anonymous yearly figures stay."
        ),
    )
    return redirect("support:data")


@require_POST
@login_required
def withdraw_deletion(request: HttpRequest) -> HttpResponse:
    """Changed one's mind: the request that was not carried out yet is gone."""
    employee = _employee(request)
    withdrawn, _rows = employee.deletion_requests.filter(carried_out_at__isnull=True).delete()
    if withdrawn:
        messages.success(request, _("Your deletion request is withdrawn. Nothing is deleted."))
    return redirect("support:data")


@require_GET
@login_required
def my_log(request: HttpRequest) -> HttpResponse:
    """Who looked at my case, by role and moment (R-15): the log's rows about my cases."""
    employee = _employee(request)
    case_ids = list(Case.objects.filter(employee=employee).values_list("pk", flat=True))
    audit.record(
        user_id=request.user.pk,
        role=Role.EMPLOYEE,
        action="read_log",
        object_type="log",
        object_id=None,
        allowed=True,
    )
    # HR's looks at a hand-over of theirs count as looks at their case.
    hand_over_ids = Case.objects.filter(
        employee=employee, referrals__hand_over__isnull=False
    ).values_list("referrals__hand_over", flat=True)
    entries = (
        audit.entries_about(LOGGED_AS, case_ids)
        | audit.entries_about(HAND_OVER_LOGGED_AS, hand_over_ids)
    )[:500]
    return render(request, "mypages/my_log.html", {"entries": entries})
