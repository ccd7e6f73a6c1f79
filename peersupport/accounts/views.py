"""The sign-in page (django-allauth's), the page a locked-out person sees (kind, the
same for a name that does not exist, and saying when to try again), and the doors to
the hospital's providers."""

from datetime import timedelta
from math import ceil
from typing import Any

import requests
from allauth.account.forms import LoginForm
from allauth.account.views import LoginView
from allauth.socialaccount.providers.openid_connect import views as openid_connect
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from peersupport.accounts.adapter import unavailable


class SignInForm(LoginForm):
    """allauth's sign-in form, its name field posted as ``username`` (id_username), the
    name django-axes counts and Django's admin sign-in uses as well."""

    error_targets = {"login": "id_username"}  # the error summary's link (form_errors)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A name too long is a wrong name, counted by django-axes (which keeps at most
        # MAX_NAME of it), not a form error that would let guesses go uncounted.
        self.fields["login"].validators = []
        self.fields["login"].max_length = None

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)


class SignInView(LoginView):
    """allauth's sign-in view with a local account: allauth checks the password and the
    safe ``next``; django-axes (its backend and middleware) locks by name and address."""

    form_class = SignInForm
    template_name = "registration/login.html"

    def get_form_class(self) -> type[SignInForm]:
        return SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Not allauth's entrance context: it points at sign-up, which is closed.
        return {
            **super(LoginView, self).get_context_data(**kwargs),
            "oidc_providers": sorted(settings.OIDC_PROVIDERS.items()),
        }


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE."""
    cool_off = get_cool_off(request) or timedelta(0)
    last = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    until = (last or timezone.now()) + cool_off
    # Back to the door they came through (the admin's own sign-in, or ours).
    back = request.path if request.path == reverse("admin:login") else reverse("login")
    response = render(
        request, "accounts/locked_out.html", {"until": until, "back": back}, status=429
    )
    response["Retry-After"] = str(max(0, ceil((until - timezone.now()).total_seconds())))
    return response


@require_POST
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Starts signing in with one of the hospital's providers (allauth's view), by POST
    only, and with a friendly page when the provider cannot be reached."""
    try:
        return openid_connect.login(request, provider_id)
    except requests.RequestException:
        return unavailable(request)


@require_GET
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return openid_connect.callback(request, provider_id)
    except requests.RequestException:
        return unavailable(request)
