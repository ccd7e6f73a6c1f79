"""The annual report: a page, a PDF and a CSV, for the coordinator and the board only."""

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peersupport.audit.models import record
from peersupport.reports.annual import AnnualReport, Snapshot, publish, published, report, running
from peersupport.reports.charts import bars
from peersupport.reports.models import CorrectionReason, PublishedReport
from peersupport.vocabulary import Role

READERS = (Role.COORDINATOR, Role.BOARD)
FIRST_YEAR = 2000


def _allowed(
    request: HttpRequest, year: int, action: str, roles: tuple[Role, ...] = READERS
) -> str:
    """The access helper for the report: the coordinator and the board read it, the
    coordinator alone publishes. Returns the reader's role."""
    user = request.user
    role = next((r for r in roles if user.is_authenticated and user.has_role(r)), "")
    record(
        user_id=user.pk,
        role=role,
        action=action,
        object_type="report",
        # A year no report has (99999999999…) is logged without it, then refused.
        object_id=year if year <= 9999 else None,
        allowed=bool(role),
    )
    if not role:
        raise PermissionDenied
    return role


def _snapshots(year: int, role: str) -> tuple[Snapshot | None, Snapshot | None]:
    """The figures this reader may see for the year and the year before: the board
    only published versions; the coordinator also the running figures."""
    now, before = published(year), published(year - 1)
    if role == Role.COORDINATOR:
        now = now or running(year)
        before = before or running(year - 1)
    return now, before


def _context(report: AnnualReport) -> dict[str, object]:
    legend = (str(report.year), str(report.year - 1))
    by_kind = report.sections[1]
    offers = report.sections[2]
    return {
        "report": report,
        "snapshot": report.now,
        "previous": report.year - 1,
        "next": report.year + 1 if report.year < timezone.localdate().year else None,
        "sections": report.sections,
        "organisation": settings.ORGANISATION_NAME,
        "chart_categories": bars(by_kind.title, by_kind.rows, legend),
        "chart_offers": bars(offers.title, offers.rows, legend),
    }


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PermissionDenied
    return year


@require_GET
@login_required
def latest(request: HttpRequest) -> HttpResponse:
    last = PublishedReport.objects.order_by("-year").values_list("year", flat=True).first()
    return redirect("reports:annual", year=last or timezone.localdate().year - 1)


@require_GET
@login_required
def annual(request: HttpRequest, year: int) -> HttpResponse:
    role = _allowed(request, year, "view")
    now, before = _snapshots(_year(year), role)
    context: dict[str, object] = {
        "year": year,
        "previous": year - 1,
        "next": year + 1 if year < timezone.localdate().year else None,
        "may_publish": role == Role.COORDINATOR and year < timezone.localdate().year,
        "form": PublishForm(),
    }
    if now is not None:
        context |= _context(report(now, before))
    return render(request, "reports/annual.html", context)


class PublishForm(forms.Form):
    note = forms.ChoiceField(
        label=gettext_lazy("Correction"),
        choices=[("", gettext_lazy("(first publication)")), *CorrectionReason.choices],
        required=False,
        help_text=gettext_lazy("For a new version of a published year: what was corrected."),
    )


@require_POST
@login_required
def publish_year(request: HttpRequest, year: int) -> HttpResponse:
    """Publish the year's figures (a year that is over), or a corrected version."""
    _allowed(request, year, "publish", roles=(Role.COORDINATOR,))
    if not FIRST_YEAR <= year < timezone.localdate().year:
        raise PermissionDenied
    form = PublishForm(request.POST)
    if not form.is_valid():
        return redirect("reports:annual", year=year)
    note = form.cleaned_data["note"]
    if PublishedReport.objects.filter(year=year).exists() and not note:
        messages.error(request, _("A correction needs a choice saying what was corrected."))
        return redirect("reports:annual", year=year)
    version = publish(year, note)
    messages.success(
        request, _("Version %(v)s of %(y)s is published.") % {"v": version.version, "y": year}
    )
    return redirect("reports:annual", year=year)


def _readable(request: HttpRequest, year: int, action: str) -> AnnualReport:
    role = _allowed(request, year, action)
    now, before = _snapshots(_year(year), role)
    if now is None:
        raise Http404
    return report(now, before)


@require_GET
@login_required
def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    from weasyprint import HTML  # imported here: it loads native libraries

    html = render_to_string(
        "reports/annual_print.html",
        _context(_readable(request, year, "export_pdf")),
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="peer-support-{year}.pdf"'
    return response


@require_GET
@login_required
def annual_csv(request: HttpRequest, year: int) -> HttpResponse:
    report = _readable(request, year, "export_csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peer-support-{year}.csv"'
    response.write("\ufeff")  # so that Excel reads it as UTF-8
    writer = csv.writer(response, delimiter=";")
    t = report.threshold
    writer.writerow([_("Section"), _("Figure"), str(year), str(year - 1)])
    if report.cross:
        for channel, cells, _total in report.cross:
            for column, cell in zip(report.cross_columns, cells, strict=True):
                writer.writerow([_("Requests"), f"{channel} / {column}", cell, ""])
    for section in report.sections:
        for label, now_shown, before_shown in section.rows:
            writer.writerow([section.title, label, now_shown, before_shown])
    writer.writerow(
        [
            _("Note"),
            _(
                "Counts from 0 to %(n)s are shown as <%(t)s; • hides a count that could "
                "otherwise be worked out; a table with a total below %(m)s is not broken down."
            )
            % {"n": t - 1, "t": t, "m": report.now.minimum},
            "",
            "",
        ]
    )
    return response
