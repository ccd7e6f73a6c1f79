"""The coordinator's workspace: the dashboard, the pool, matching and assignment."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peersupport.cases.access import (
    LOGGED_AS,
    CaseAction,
    cases_for,
    get_case_for,
    shown,
)
from peersupport.cases.constants import REASSIGN_REASONS, Status
from peersupport.cases.matching import with_load
from peersupport.cases.models import Case, OnCallShift
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.handovers.access import hand_overs_for
from peersupport.handovers.access import shown as hand_overs_shown
from peersupport.people.access import require_role
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Role
from peersupport.supporters.models import Absence, Supporter
from peersupport.vocabulary import Approach, Language
from peersupport.workspace.matching import candidates, not_suggested, rank

# A hospital's day fits on the dashboard; beyond this many rows a list is counted and
# its most pressing rows shown (all cases are on the case list, all supporters on the
# pool overview).
DASHBOARD_ROWS = 50


@require_GET
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What needs doing now: waiting requests, deadlines at risk or late, who is free,
    and who is on call. A fixed number of queries, however many cases and supporters."""
    require_role(request, Role.COORDINATOR, action="dashboard", object_type=LOGGED_AS)
    now = timezone.now()
    cases = cases_for(request.user).select_related(
        "event", "request", "employee__department", "supporter__employee"
    )
    cases = cases.with_other_recent(now)
    waiting = cases.filter(status=Status.NEW).order_by("clock_started_at", "pk")
    urgent = (
        cases.open()
        .exclude(status=Status.NEW)
        .filter(next_deadline_risk_at__lte=now)
        .order_by("next_deadline_at", "pk")
    )
    today, soon = timezone.localdate(now), timezone.localdate(now + timedelta(hours=72))
    # Open cases whose supporter is away today or gone (left, made inactive): to reassign.
    stranded = (
        cases.open()
        .filter(
            Q(supporter__in=Supporter.objects.absent_on(today).values("pk"))
            | Q(supporter__in=Supporter.objects.gone().values("pk"))
        )
        .order_by("next_deadline_at", "pk")
    )
    absences_soon = Absence.objects.filter(ends_on__gte=today, starts_on__lte=soon)
    free = Q(trained_on__isnull=False, absent_soon=False, load__lt=F("capacity"))
    pool = (
        with_load(Supporter.objects.current().with_intervision_due())
        .annotate(absent_soon=Exists(absences_soon.filter(supporter=OuterRef("pk"))))
        .annotate(free=ExpressionWrapper(free, output_field=BooleanField()))
    )
    # Who can take a case first, the least busy first; a large pool is counted here and
    # listed in full on the pool overview.
    supporters = list(
        pool.select_related("employee__function", "employee__department")
        .prefetch_related(Prefetch("absences", queryset=absences_soon, to_attr="absences_soon"))
        .annotate(slack=F("load") - F("capacity"))
        .order_by("-free", "slack", "employee__name")[:DASHBOARD_ROWS]
    )
    counts = {
        "total": pool.count(),
        "free": pool.filter(free).count(),
        "absent": pool.filter(absent_soon=True).count(),
        "due": pool.filter(needs_intervision=True).count(),  # type: ignore[misc]
    }
    waiting_rows = [(c, c.deadline_state(now)) for c in waiting[:DASHBOARD_ROWS]]
    urgent_rows = [(c, c.deadline_state(now)) for c in urgent[:DASHBOARD_ROWS]]
    stranded_rows = [(c, c.deadline_state(now)) for c in stranded[:DASHBOARD_ROWS]]
    shown(
        request.user,
        [c for c, _state in waiting_rows + urgent_rows + stranded_rows],
    )
    # Referrals via the coordinator land here, as HR's land on HR's page.
    hand_overs = list(hand_overs_for(request.user).open()[:DASHBOARD_ROWS])
    if hand_overs:  # the page's visit is logged with its cases; these, when there are any
        hand_overs_shown(request.user, hand_overs)
    return render(
        request,
        "workspace/dashboard.html",
        {
            "now": now,
            "waiting": waiting_rows,
            "waiting_total": waiting.count(),
            "urgent": urgent_rows,
            "urgent_total": urgent.count(),
            "stranded": stranded_rows,
            "supporters": supporters,
            "pool": counts,
            "on_call": OnCallShift.on_call_at(now),
            "gaps": OnCallShift.gaps(now, now + timedelta(days=7)),
            "hand_overs": hand_overs,
        },
    )


@require_GET
@login_required
def match(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Supporters ranked by fit for one case, each with its reasons (R-5, R-6)."""
    case = get_case_for(request.user, case_id, CaseAction.MANAGE)
    approaches = [a for a in request.GET.getlist("approach") if a in Approach.values]
    languages = [x for x in request.GET.getlist("language") if x in Language.values]
    return render(
        request,
        "workspace/match.html",
        {
            "case": case,
            "suggestions": rank(case, approaches=approaches, languages=languages),
            "not_suggested": not_suggested(case),
            "approaches": Approach.choices,
            "language_choices": Language.choices,
            "wanted_approaches": approaches,
            "wanted_languages": languages,
            "reasons": [(r.value, r.label) for r in REASSIGN_REASONS],
            "is_reassign": case.supporter_id is not None,
            "preset_reason": request.GET.get("reason", ""),
        },
    )


@require_POST
@login_required
def assign(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, CaseAction.MANAGE)
    if request.POST.get("expected", "") != str(case.supporter_id or ""):
        return _taken(request, case)
    chosen = request.POST.get("supporter", "")
    supporter = (
        candidates(case).filter(pk=int(chosen)).first()
        if chosen.isdigit() and len(chosen) < 19  # a tampered value is refused, not a 500
        else None
    )
    if supporter is None:
        messages.error(
            request,
            _("This supporter cannot take this case (any more). Choose another from the list."),
        )
        return redirect("cases:match", case_id=case.pk)
    try:
        if case.supporter_id is None:
            case.assign(supporter, by=request.user)
        else:  # the verb refuses a missing or unfitting reason, naming the field
            case.reassign(supporter, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:match", case_id=case.pk)
    except TransitionNotAllowed as error:
        case.refresh_from_db()
        if case.supporter_id != supporter.pk and case.supporter is not None:
            return _taken(request, case)
        messages.error(request, str(error))
        return redirect("cases:detail", case_id=case.pk)
    messages.success(
        request,
        _("%(name)s is now the supporter and has been told.") % {"name": supporter.employee.name},
    )
    return redirect("cases:detail", case_id=case.pk)


def _taken(request: HttpRequest, case: Case) -> HttpResponse:
    """Another coordinator changed the supporter since this page was shown (R-7)."""
    case.refresh_from_db()
    if case.supporter is None:
        messages.error(request, _("This case changed after the page was loaded. Choose again."))
        return redirect("cases:match", case_id=case.pk)
    messages.error(
        request,
        _("Someone else assigned %(name)s to this case a moment ago.")
        % {"name": case.supporter.employee.name},
    )
    return redirect("cases:detail", case_id=case.pk)


@require_GET
@login_required
def pool(request: HttpRequest) -> HttpResponse:
    """The supporter pool at a glance: trained, up to date with intervision, where
    they work, and how busy they are (R-22)."""
    require_role(request, Role.COORDINATOR, action="pool", object_type="supporter")
    supporters = list(
        with_load(Supporter.objects.current().with_last_intervision())
        .select_related("employee__function", "employee__department")
        .order_by("employee__name")
    )
    for s in supporters:
        s.due = s.intervision_due(s.last_intervision)  # type: ignore[attr-defined]
    functions: dict[str, int] = {}
    departments: dict[str, int] = {}
    for s in supporters:
        functions[s.employee.function.name] = functions.get(s.employee.function.name, 0) + 1
        departments[s.employee.department.name] = departments.get(s.employee.department.name, 0) + 1
    return render(
        request,
        "workspace/pool.html",
        {
            "supporters": supporters,
            "total": len(supporters),
            "trained": len([s for s in supporters if s.trained_on]),
            "up_to_date": len([s for s in supporters if not s.due]),  # type: ignore[attr-defined]
            "listed": len([s for s in supporters if s.listed_in_directory]),
            "functions": sorted(functions.items(), key=lambda kv: (-kv[1], kv[0])),
            "departments": sorted(departments.items(), key=lambda kv: (-kv[1], kv[0])),
        },
    )
