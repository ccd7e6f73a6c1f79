from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST, require_safe

from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Role


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each person to the page their role starts from."""
    user = request.user
    if user.has_role(Role.COORDINATOR):
        return redirect("cases:dashboard")
    if user.has_role(Role.SUPPORTER):
        return redirect("cases:list")
    # HR starts from its hand-overs: the home page counts them (a tag of the handovers
    # app), the names are on their own page.
    return render(request, "people/home.html")


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers. Nothing about anyone, no database.
    Also the trivial view that `make bench` sets every page's speed against."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@require_POST
@login_required
def stay_signed_in(request: HttpRequest) -> HttpResponse:
    """The timeout warning's "stay signed in": the request itself resets the idle clock
    (SessionSafetyMiddleware). Without JavaScript the form posts here and goes back."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return HttpResponse(status=204)
