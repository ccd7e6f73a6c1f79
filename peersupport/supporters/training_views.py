"""Training, intervision (procedure §11, R-22) and absences, kept by the coordinator."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peersupport.confirm import ask_first
from peersupport.people.access import require_role
from peersupport.people.models import Role
from peersupport.supporters.forms import (
    AbsenceForm,
    MeetingForm,
    PlaceForm,
    RefresherForm,
    TrainingForm,
)
from peersupport.supporters.models import Attendance, IntervisionMeeting, Supporter


@require_http_methods(["GET", "POST"])
@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR, action="intervision", object_type="supporter")
    adding_place = request.method == "POST" and "place-label" in request.POST
    form = MeetingForm(None if adding_place else (request.POST or None))
    place_form = PlaceForm(request.POST if adding_place else None, prefix="place")
    if adding_place and place_form.is_valid():
        place_form.save()
        messages.success(request, _("The place is added to the list."))
        return redirect("supporters:meetings")
    if request.method == "POST" and not adding_place and form.is_valid():
        meeting = form.save()
        messages.success(request, _("The meeting is planned."))
        return redirect("supporters:meeting", meeting_id=meeting.pk)
    planned = IntervisionMeeting.objects.select_related("place")[:50]
    return render(
        request,
        "supporters/meetings.html",
        {"form": form, "place_form": place_form, "meetings": planned},
        status=400 if form.errors or place_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Who attended: one checkbox per supporter, saved as a whole."""
    require_role(request, Role.COORDINATOR, action="intervision", object_type="supporter")
    meeting = get_object_or_404(IntervisionMeeting, pk=meeting_id)
    supporters = Supporter.objects.current().select_related("employee").order_by("employee__name")
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        valid = set(supporters.filter(pk__in=chosen).values_list("pk", flat=True))
        with transaction.atomic():
            meeting.attendances.exclude(supporter_id__in=valid).delete()
            present = set(meeting.attendances.values_list("supporter_id", flat=True))
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, supporter_id=pk) for pk in valid - present
            )
        messages.success(
            request, _("Attendance is saved: %(count)s present.") % {"count": len(valid)}
        )
        return redirect("supporters:meeting", meeting_id=meeting.pk)
    attended = set(meeting.attendances.values_list("supporter_id", flat=True))
    return render(
        request,
        "supporters/meeting.html",
        {"meeting": meeting, "supporters": supporters, "attended": attended},
    )


@require_http_methods(["GET", "POST"])
@login_required
def training(request: HttpRequest, supporter_id: int) -> HttpResponse:
    require_role(request, Role.COORDINATOR, action="training", object_type="supporter")
    supporter = get_object_or_404(Supporter.objects.select_related("employee"), pk=supporter_id)
    form = TrainingForm(request.POST or None, instance=supporter, prefix="initial")
    refresher = RefresherForm(prefix="refresher")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The training is recorded."))
        return redirect("supporters:training", supporter_id=supporter.pk)
    return render(
        request,
        "supporters/training.html",
        {"supporter": supporter, "form": form, "refresher_form": refresher},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def add_refresher(request: HttpRequest, supporter_id: int) -> HttpResponse:
    require_role(request, Role.COORDINATOR, action="training", object_type="supporter")
    supporter = get_object_or_404(Supporter.objects.select_related("employee"), pk=supporter_id)
    form = RefresherForm(request.POST, prefix="refresher")
    if not form.is_valid():
        return render(
            request,
            "supporters/training.html",
            {
                "supporter": supporter,
                "form": TrainingForm(instance=supporter, prefix="initial"),
                "refresher_form": form,
            },
            status=400,
        )
    form.instance.supporter = supporter
    form.save()
    messages.success(request, _("The refresher training is recorded."))
    return redirect("supporters:training", supporter_id=supporter.pk)


def _coordinated_supporter(request: HttpRequest, supporter_id: int) -> Supporter:
    require_role(request, Role.COORDINATOR, action="absence", object_type="supporter")
    return get_object_or_404(Supporter.objects.select_related("employee"), pk=supporter_id)


def _absences_page(
    request: HttpRequest, supporter: Supporter, form: AbsenceForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "supporters/absences.html",
        {
            "supporter": supporter,
            "absences": supporter.absences.filter(ends_on__gte=timezone.localdate()),
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def absences(request: HttpRequest, supporter_id: int) -> HttpResponse:
    """The coordinator records a supporter's absence (a phone call, a sick note):
    the supporter gets no new cases then, and their open cases are flagged."""
    supporter = _coordinated_supporter(request, supporter_id)
    if request.method == "GET":
        return _absences_page(request, supporter, AbsenceForm())
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        return _absences_page(request, supporter, form, status=400)
    form.instance.supporter = supporter
    form.save()
    messages.success(request, _("The absence is recorded. No new cases go to them then."))
    return redirect("supporters:absences", supporter_id=supporter.pk)


@require_POST
@login_required
def end_absence(request: HttpRequest, supporter_id: int, absence_id: int) -> HttpResponse:
    """Back early (or never away): an absence that has begun ends yesterday; one that
    has not begun is removed."""
    supporter = _coordinated_supporter(request, supporter_id)
    absence = get_object_or_404(supporter.absences, pk=absence_id)
    unconfirmed = ask_first(
        request,
        title=_("End this absence?"),
        explanation=_(
            "From today the supporter can be asked for cases again and is listed in the directory."
        ),
        confirm_label=_("Yes, end the absence"),
        cancel_url=reverse("supporters:absences", args=[supporter.pk]),
    )
    if unconfirmed:
        return unconfirmed
    today = timezone.localdate()
    if absence.starts_on >= today:
        absence.delete()
    else:
        absence.ends_on = today - timedelta(days=1)
        absence.save(update_fields=["ends_on"])
    messages.success(request, _("The absence is ended."))
    return redirect("supporters:absences", supporter_id=supporter.pk)
