"""The on-call rota (piket): who is responsible for requests and warnings when."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peersupport.cases.models import OnCallShift
from peersupport.confirm import ask_first
from peersupport.people.access import require_role
from peersupport.people.models import Role, User
from peersupport.widgets import DateTimeInput

ROTA_DAYS = 14  # the coming days checked for gaps
ROTA_AHEAD = timedelta(days=366)  # how far ahead a shift can be planned


class CoordinatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username  # as the rota's table names them


class ShiftForm(forms.ModelForm):
    coordinator = CoordinatorChoice(
        label=gettext_lazy("Coordinator"),
        queryset=User.objects.filter(roles__role=Role.COORDINATOR, is_active=True).order_by(
            "username"
        ),
    )
    starts_at = forms.DateTimeField(label=gettext_lazy("From"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=gettext_lazy("Until"), widget=DateTimeInput)

    class Meta:
        model = OnCallShift
        fields = ["coordinator", "starts_at", "ends_at"]

    def clean(self) -> dict[str, Any]:
        """One coordinator on call at a time, from now on: a shift already over, or one
        that overlaps another, would make the rota say two things."""
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at is None or ends_at is None:
            return data
        if ends_at <= timezone.now():
            self.add_error("ends_at", _("A shift cannot lie in the past."))
        elif starts_at > timezone.now() + ROTA_AHEAD:
            self.add_error("starts_at", _("A shift can be planned at most a year ahead."))
        overlapping = (
            OnCallShift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("coordinator")
            .first()
        )
        if overlapping is not None:
            self.add_error(
                "starts_at",
                _("This overlaps the shift of %(name)s from %(start)s until %(end)s.")
                % {
                    "name": overlapping.coordinator.get_full_name()
                    or overlapping.coordinator.username,
                    "start": date_format(
                        timezone.localtime(overlapping.starts_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "end": date_format(
                        timezone.localtime(overlapping.ends_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            )
        return data


@require_http_methods(["GET", "POST"])
@login_required
def rota(request: HttpRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR, action="rota", object_type="rota")
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The shift is on the rota."))
        return redirect("cases:rota")
    now = timezone.now()
    until = now + timedelta(days=ROTA_DAYS)
    # Every shift still to come, however far ahead: each can be seen and removed.
    shifts = OnCallShift.objects.filter(ends_at__gt=now).select_related("coordinator")
    return render(
        request,
        "workspace/rota.html",
        {"form": form, "shifts": shifts, "gaps": OnCallShift.gaps(now, until), "days": ROTA_DAYS},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def remove_shift(request: HttpRequest, shift_id: int) -> HttpResponse:
    require_role(request, Role.COORDINATOR, action="rota", object_type="rota")
    shift = get_object_or_404(OnCallShift, pk=shift_id)
    unconfirmed = ask_first(
        request,
        title=_("Remove this shift from the rota?"),
        explanation=_("From %(start)s until %(end)s. The time is then not covered.")
        % {
            "start": date_format(timezone.localtime(shift.starts_at), "DATETIME_FORMAT"),
            "end": date_format(timezone.localtime(shift.ends_at), "DATETIME_FORMAT"),
        },
        confirm_label=_("Yes, remove the shift"),
        cancel_url=reverse("cases:rota"),
    )
    if unconfirmed:
        return unconfirmed
    shift.delete()
    messages.success(request, _("The shift is removed from the rota."))
    return redirect("cases:rota")
