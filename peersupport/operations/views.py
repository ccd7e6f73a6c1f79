"""For the hospital's monitoring: a status that answers 503 with the reason when the
application's clock has stopped, and metrics in Prometheus' text format. Counts and
times only, nothing that names anyone. Both answer only to the addresses or the token
in the settings (MONITORING_ALLOWED_ADDRESSES, MONITORING_TOKEN); /healthz/ stays
trivial for the load balancer."""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from peersupport.operations.loop import DATABASE_GONE
from peersupport.operations.metrics import registry
from peersupport.operations.watchdog import problems

TEXT = "text/plain; charset=utf-8"


def allowed(request: HttpRequest) -> bool:
    token = settings.MONITORING_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.MONITORING_ALLOWED_NETWORKS)


def refused() -> HttpResponse:
    return HttpResponse("forbidden\n", status=403, content_type=TEXT)


@never_cache
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return refused()
    try:
        found = problems()
    except DATABASE_GONE as error:
        return HttpResponse(
            f"database: unreachable ({type(error).__name__})\n", status=503, content_type=TEXT
        )
    if not found:
        return HttpResponse("ok\n", content_type=TEXT)
    with translation.override("en"):
        reasons = "".join(f"{problem.code}: {problem.what}\n" for problem in found)
    return HttpResponse(reasons, status=503, content_type=TEXT)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return refused()
    try:
        body = generate_latest(registry())
    except DATABASE_GONE as error:
        return HttpResponse(
            f"database: unreachable ({type(error).__name__})\n", status=503, content_type=TEXT
        )
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
