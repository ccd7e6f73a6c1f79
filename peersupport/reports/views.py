"""The annual report: a page, a PDF and a CSV, for the coordinator and the board only."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peersupport.audit.models import record
from peersupport.reports.annual import AnnualReport, Line, build
from peersupport.reports.charts import bars
from peersupport.reports.suppression import Table

# Role codes as the people app names them; reports imports no domain app.
READERS = ("coordinator", "board")
FIRST_YEAR = 2000


def _allowed(request: HttpRequest, year: int, action: str) -> None:
    """The access helper for the report: the coordinator and the board."""
    user = request.user
    role = next((r for r in READERS if user.is_authenticated and user.has_role(r)), "")  # type: ignore[arg-type]
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


def _context(report: AnnualReport) -> dict[str, object]:
    legend = (str(report.year), str(report.year - 1))
    categories = [
        (name, report.requests.column_totals[i], report.requests_before.column_totals[i])
        for i, name in enumerate(report.requests.columns)
    ]
    offers = [(line.label, line.now, line.before) for line in report.offers]
    t = report.threshold
    tables = [
        (_shown(report.requests, t), report.year),
        (_shown(report.requests_before, t), report.year - 1),
    ]
    sections = [
        (_("Offers and answers"), _lines(report.offers, t)),
        (_("Conversations held"), _lines(report.conversations, t)),
        (_("Referrals to professional help"), _lines(report.referrals, t)),
        (_("Closures"), _lines(report.closures, t)),
        (_("Time from request to first contact"), report.first_contact),
        (_("Supporters"), _lines(report.supporters, t)),
    ]
    return {
        "report": report,
        "previous": report.year - 1,
        # Up to the year running now, whose figures so far are shown as they stand.
        "next": report.year + 1 if report.year < timezone.localdate().year else None,
        "tables": tables,
        "sections": sections,
        "organisation": settings.ORGANISATION_NAME,
        "chart_categories": bars(
            _("Requests by kind of event"), categories, report.threshold, legend
        ),
        "chart_offers": bars(_("Offers and answers"), offers, report.threshold, legend),
    }


def _shown(table: Table, t: int) -> dict[str, object]:
    return {
        "columns": table.columns,
        "rows_with_cells": [
            (name, [c.shown(t) for c in table.cells[r]], table.row_totals[r].shown(t))
            for r, name in enumerate(table.rows)
        ],
        "totals_shown": [c.shown(t) for c in table.column_totals],
        "total_shown": table.total.shown(t),
    }


def _lines(lines: list[Line], t: int) -> list[tuple[str, str, str]]:
    return [(line.label, line.now.shown(t), line.before.shown(t)) for line in lines]


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise PermissionDenied
    return year


@require_GET
@login_required
def latest(request: HttpRequest) -> HttpResponse:
    return redirect("reports:annual", year=timezone.localdate().year - 1)


@require_GET
@login_required
def annual(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(request, year, "view")
    return render(request, "reports/annual.html", _context(build(_year(year))))


@require_GET
@login_required
def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    from weasyprint import HTML  # imported here: it loads native libraries

    _allowed(request, year, "export_pdf")
    html = render_to_string(
        "reports/annual_print.html", _context(build(_year(year))), request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="peer-support-{year}.pdf"'
    return response


@require_GET
@login_required
def annual_csv(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(request, year, "export_csv")
    report = build(_year(year))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peer-support-{year}.csv"'
    response.write("\ufeff")  # so that Excel reads it as UTF-8
    writer = csv.writer(response, delimiter=";")
    t = report.threshold
    writer.writerow([_("Section"), _("Figure"), str(year), str(year - 1)])
    for name, table, before in ((_("Requests"), report.requests, report.requests_before),):
        for r, row_name in enumerate(table.rows):
            for c, column_name in enumerate(table.columns):
                writer.writerow(
                    [
                        name,
                        f"{row_name} / {column_name}",
                        table.cells[r][c].shown(t),
                        before.cells[r][c].shown(t),
                    ]
                )
        writer.writerow([name, _("Total"), table.total.shown(t), before.total.shown(t)])
    sections = (
        (_("Offers"), report.offers),
        (_("Conversations held"), report.conversations),
        (_("Referrals"), report.referrals),
        (_("Closures"), report.closures),
        (_("Supporters"), report.supporters),
    )
    for name, lines in sections:
        for line in lines:
            writer.writerow([name, line.label, line.now.shown(t), line.before.shown(t)])
    for label, now_shown, before_shown in report.first_contact:
        writer.writerow([_("First contact"), label, now_shown, before_shown])
    writer.writerow(
        [
            _("Note"),
            _(
                "Counts from 1 to %(n)s are shown as <%(t)s; • hides a count that could "
                "otherwise be worked out."
            )
            % {"n": t - 1, "t": t},
            "",
            "",
        ]
    )
    return response
