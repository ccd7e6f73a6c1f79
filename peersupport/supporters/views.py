"""The supporter's own profile and availability (R-21)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peersupport.confirm import ask_first
from peersupport.people.models import Role
from peersupport.supporters.forms import AbsenceForm, PhotoForm, ProfileForm
from peersupport.supporters.models import Supporter


def get_own_supporter(request: HttpRequest) -> Supporter:
    """The signed-in supporter's own profile; nobody edits another's."""
    user = request.user
    supporter = (
        Supporter.objects.filter(employee__user=user).first() if user.is_authenticated else None
    )
    if supporter is None or not user.has_role(Role.SUPPORTER):  # type: ignore[union-attr]
        raise PermissionDenied
    return supporter


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    supporter = get_own_supporter(request)
    form = ProfileForm(request.POST or None, instance=supporter)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("supporters:profile")
    absences = supporter.absences.filter(ends_on__gte=timezone.localdate())
    return render(
        request,
        "supporters/profile.html",
        {
            "form": form,
            "absence_form": AbsenceForm(),
            "photo_form": PhotoForm(),
            "absences": absences,
            "supporter": supporter,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def add_absence(request: HttpRequest) -> HttpResponse:
    supporter = get_own_supporter(request)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        form.instance.supporter = supporter
        form.save()
        messages.success(request, _("Your absence is saved. You will not get new cases then."))
        return redirect("supporters:profile")
    absences = supporter.absences.filter(ends_on__gte=timezone.localdate())
    return render(
        request,
        "supporters/profile.html",
        {
            "form": ProfileForm(instance=supporter),
            "absence_form": form,
            "photo_form": PhotoForm(),
            "absences": absences,
            "supporter": supporter,
        },
        status=400,
    )


@require_POST
@login_required
def remove_absence(request: HttpRequest, absence_id: int) -> HttpResponse:
    supporter = get_own_supporter(request)
    absence = get_object_or_404(supporter.absences, pk=absence_id)
    unconfirmed = ask_first(
        request,
        title=_("Remove this absence?"),
        explanation=_("From %(start)s until %(end)s. You can then be asked for cases again.")
        % {
            "start": date_format(absence.starts_on, "DATE_FORMAT"),
            "end": date_format(absence.ends_on, "DATE_FORMAT"),
        },
        confirm_label=_("Yes, remove the absence"),
        cancel_url=reverse("supporters:profile"),
    )
    if unconfirmed:
        return unconfirmed
    absence.delete()
    messages.success(request, _("The absence is removed."))
    return redirect("supporters:profile")


@require_POST
@login_required
def upload_photo(request: HttpRequest) -> HttpResponse:
    supporter = get_own_supporter(request)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "supporters/profile.html",
            {
                "form": ProfileForm(instance=supporter),
                "absence_form": AbsenceForm(),
                "photo_form": form,
                "absences": supporter.absences.filter(ends_on__gte=timezone.localdate()),
                "supporter": supporter,
            },
            status=400,
        )
    old = supporter.photo.name if supporter.photo else None
    supporter.photo.save("photo.jpg", form.cleaned_data["photo"], save=True)
    if old:
        supporter.photo.storage.delete(old)
    messages.success(request, _("Your photo is saved."))
    return redirect("supporters:profile")


@require_POST
@login_required
def remove_photo(request: HttpRequest) -> HttpResponse:
    supporter = get_own_supporter(request)
    unconfirmed = ask_first(
        request,
        title=_("Remove your photo?"),
        explanation=_("The directory then shows your initials instead."),
        confirm_label=_("Yes, remove the photo"),
        cancel_url=reverse("supporters:profile"),
    )
    if unconfirmed:
        return unconfirmed
    if supporter.photo:
        supporter.photo.delete(save=True)
    messages.success(request, _("Your photo is removed."))
    return redirect("supporters:profile")
