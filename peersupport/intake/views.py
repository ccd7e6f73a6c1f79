"""The intake pages: refer, proactive intake, and asking for support oneself.

After sending, a referrer sees only that the request was received: never a
status, a supporter or an answer (procedure §5: no feedback to managers)."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peersupport.cases.constants import Channel
from peersupport.cases.models import Case
from peersupport.intake import submission
from peersupport.intake.forms import (
    AffectedEmployeesForm,
    ColleagueReferralForm,
    ManagerReferralForm,
    ProactiveForm,
    SelfRequestForm,
)
from peersupport.intake.intake import Intake, submit
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Employee, Role
from peersupport.supporters.forms import DirectoryFilter

SELF_OUTCOME = "self_request_outcome"


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """The intake's own refusals, shown on the form beside the field they name."""
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _affected_employees_page(
    request: HttpRequest,
    form_class: type[AffectedEmployeesForm],
    template: str,
    make_intake: Any,
) -> HttpResponse:
    searching = "search" in request.POST
    form = form_class(request.POST or None, searching=searching)
    if request.method == "POST" and not searching and form.is_valid():
        sending = submission.spend(request)
        if sending is submission.Sending.AGAIN:
            return _already_sent(request, "requests:received")
        if sending is submission.Sending.UNKNOWN:
            return _expired(request, template, {"form": form})
        try:
            submit(make_intake(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("requests:received")
    return render(request, template, {"form": form, "submission": submission.token_for(request)})


def _expired(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page from before (a sign-in ago): nothing was sent. Said on the form, with
    what was filled in kept, never answered with "received"."""
    form = context["form"]
    form.add_error(
        None, _("This page had expired, so nothing was sent yet. Check it and send it again.")
    )
    context["submission"] = submission.token_for(request)
    return render(request, template, context, status=400)


def _already_sent(request: HttpRequest, to: str) -> HttpResponse:
    messages.info(request, _("This form was already sent; nothing was sent twice."))
    return redirect(to)


@require_http_methods(["GET", "POST"])
@login_required
def refer(request: HttpRequest) -> HttpResponse:
    return _affected_employees_page(
        request,
        ColleagueReferralForm,
        "intake/refer.html",
        lambda form: form.intake(Channel(form.cleaned_data["channel"]), request.user),
    )


@require_http_methods(["GET", "POST"])
@login_required
def refer_as_manager(request: HttpRequest) -> HttpResponse:
    return _affected_employees_page(
        request,
        ManagerReferralForm,
        "intake/manager.html",
        lambda form: form.intake(
            Channel.MANAGER,
            request.user,
            discussed_with_employee=form.cleaned_data["discussed_with_employee"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def proactive(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_role(Role.COORDINATOR) or user.has_role(Role.CALAMITY_GROUP)):
        raise PermissionDenied
    return _affected_employees_page(
        request,
        ProactiveForm,
        "intake/proactive.html",
        lambda form: form.intake(
            Channel(form.cleaned_data["channel"]),
            request.user,
            serious_incident=form.cleaned_data["serious_incident"],
            reported_to_inspectorate=form.cleaned_data["reported_to_inspectorate"],
        ),
    )


@require_GET
@login_required
def received(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/received.html")


@require_http_methods(["GET", "POST"])
@login_required
def ask_for_support(request: AuthenticatedHttpRequest) -> HttpResponse:
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise PermissionDenied
    form = SelfRequestForm(request.POST or None, employee=employee)
    filters = DirectoryFilter(request.GET or None)
    if request.method == "POST" and form.is_valid():
        sending = submission.spend(request)
        if sending is submission.Sending.AGAIN or _asked_just_now(employee, form):
            return _already_sent(request, "requests:asked")
        if sending is submission.Sending.UNKNOWN:
            choices = filters.apply(form.fields["supporter"].queryset)  # type: ignore[attr-defined]
            return _expired(
                request,
                "intake/ask.html",
                {
                    "form": form,
                    "filters": filters,
                    "choices": choices.prefetch_related("languages"),
                },
            )
        intake: Intake = form.intake(request.user)
        try:
            submit(intake)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            case = intake.cases[0]
            if case.supporter is not None:
                outcome = {"outcome": "assigned", "supporter": case.supporter.employee.name}
            elif intake.requested_supporter is not None:
                outcome = {"outcome": "unavailable"}
            else:
                outcome = {"outcome": "coordinator"}
            request.session[SELF_OUTCOME] = outcome
            return redirect("requests:asked")
    # The choice is made as in the directory: photo, function, department, languages,
    # and the directory's filters (shown, not enforced: any listed supporter may be sent).
    choices = filters.apply(form.fields["supporter"].queryset).prefetch_related("languages")  # type: ignore[attr-defined]
    return render(
        request,
        "intake/ask.html",
        {
            "form": form,
            "filters": filters,
            "choices": choices,
            "submission": submission.token_for(request),
        },
    )


@require_GET
@login_required
def asked(request: HttpRequest) -> HttpResponse:
    outcome = request.session.get(SELF_OUTCOME, {"outcome": "coordinator"})
    return render(request, "intake/asked.html", outcome)


def _asked_just_now(employee: Employee, form: SelfRequestForm) -> bool:
    """The same request (event date and category) from the same employee within the
    hour: sent again from a page loaded anew (back, reload, a second tab). It was
    received; a second case and a second e-mail would only confuse."""
    return (
        Case.objects.open()
        .filter(
            employee=employee,
            event__category=form.cleaned_data["category"],
            event__event_date=form.cleaned_data["event_date"],
            request__received_at__gte=timezone.now() - timedelta(hours=1),
        )
        .exists()
    )
