"""Project-wide request handling: the session's idle limit, no caching of signed-in
pages, and the client address for the access log."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext

from peersupport.audit.models import client_address

LAST_SEEN = "last_seen"
SIGNED_IN = "signed_in"


class SessionSafetyMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and after
    SESSION_MAX_SECONDS in all, however busy; and tells browsers and proxies never
    to store a page that a signed-in person saw."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_address.set(_address(request))
        now = time.time()
        try:
            if request.user.is_authenticated:
                seen = request.session.get(LAST_SEEN, now)
                since = request.session.get(SIGNED_IN, now)
                idle = now - seen > settings.SESSION_IDLE_SECONDS
                if idle or now - since > settings.SESSION_MAX_SECONDS:
                    logout(request)  # flushes the session on the server too
                    _say_what_was_lost(request, idle)
            response = self.get_response(request)
        finally:
            client_address.reset(token)
        if request.user.is_authenticated:
            request.session.setdefault(SIGNED_IN, now)  # from the sign-in request on
            request.session[LAST_SEEN] = now
            if "Cache-Control" not in response:
                response["Cache-Control"] = "no-store"
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (behind the hospital's proxy: the one the proxy saw)."""
    return _address(request)


def _say_what_was_lost(request: HttpRequest, idle: bool) -> None:
    """The sign-in page says why, and whether what was just sent is gone (WCAG 2.2.1).
    The page's own script keeps what was typed in the browser tab and fills it in again."""
    minutes = settings.SESSION_IDLE_SECONDS // 60
    if idle:
        why = ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}
    else:
        why = gettext("You were signed out: a session lasts at most a working day.")
    if request.method == "POST":
        why += " " + gettext("What you sent was not saved. Sign in and send it again.")
    messages.warning(request, why)


def _address(request: HttpRequest) -> str | None:
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
