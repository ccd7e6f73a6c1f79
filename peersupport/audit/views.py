"""Reading the access log: the coordinator, all of it (and that reading is logged too)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peersupport.audit.models import AccessLogEntry, record
from peersupport.vocabulary import Role

MAX_ID = 2**63 - 1  # the largest id a database column holds


@require_GET
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    allowed = user.has_role(Role.COORDINATOR)  # type: ignore[union-attr]
    case = request.GET.get("case", "")
    if not (case.isdigit() and int(case) <= MAX_ID):
        case = ""  # not a case number the database can hold: show the whole log
    record(
        user_id=user.pk,
        role=Role.COORDINATOR if allowed else "",
        action="read_log",
        object_type="log",
        object_id=int(case) if case else None,
        allowed=allowed,
    )
    if not allowed:
        raise PermissionDenied
    entries = AccessLogEntry.objects.all()
    if case:
        entries = entries.filter(object_type="case", object_id=int(case))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page, "case": case})
