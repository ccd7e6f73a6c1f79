"""One event and all its cases (large incidents), and its group sessions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peersupport.cases import dates
from peersupport.cases.access import get_event_for, shown
from peersupport.cases.models import GroupSession
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Role
from peersupport.widgets import DateInput


def _bounded(name: str) -> forms.Field:
    """The model's number field with the form's bounds taken from the model's own
    validators, so the page's min and max, the browser and the error say the same."""
    field = GroupSession._meta.get_field(name)
    assert isinstance(field, models.PositiveSmallIntegerField)
    low = next(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
    formfield = field.formfield(min_value=low, max_value=high)
    assert formfield is not None
    return formfield


class GroupSessionForm(forms.ModelForm):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput)
    attendees = _bounded("attendees")
    duration_minutes = _bounded("duration_minutes")

    class Meta:
        model = GroupSession
        fields = ["held_on", "attendees", "duration_minutes"]

    def clean_held_on(self) -> object:
        held_on = self.cleaned_data["held_on"]
        dates.check_group_session_date(held_on, self.instance.event)
        return held_on


@require_GET
@login_required
def event_detail(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = get_event_for(request.user, event_id)
    return _render(request, event, GroupSessionForm())


@require_POST
@login_required
def add_group_session(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = get_event_for(request.user, event_id)
    form = GroupSessionForm(request.POST, instance=GroupSession(event=event))
    if not form.is_valid():
        return _render(request, event, form, status=400)
    form.save()
    messages.success(request, _("The group session is recorded."))
    return redirect("cases:event", event_id=event.pk)


def _render(
    request: AuthenticatedHttpRequest, event: object, form: GroupSessionForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    cases = event.cases.select_related("employee__department", "supporter__employee")  # type: ignore[attr-defined]
    rows = [(c, c.deadline_state(now)) for c in cases]
    shown(request.user, [c for c, _state in rows], Role.COORDINATOR)
    return render(
        request,
        "workspace/event_detail.html",
        {
            "event": event,
            "now": now,
            "rows": rows,
            "sessions": event.group_sessions.all(),  # type: ignore[attr-defined]
            "form": form,
        },
        status=status,
    )
