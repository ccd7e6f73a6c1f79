"""The administrator's upload page for the HR import."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from peersupport.people.hr_import import import_csv
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Role

MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV export from the HR system"))
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would change"), required=False, initial=True
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload.read()


@require_http_methods(["GET", "POST"])
@login_required
def hr_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_role(Role.ADMINISTRATOR) or user.is_superuser):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_csv(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
    return render(
        request,
        "people/import.html",
        {"form": form, "report": report},
        status=400 if form.errors or (report and not report.ok) else 200,
    )
