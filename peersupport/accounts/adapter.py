"""django-allauth, fitted to a hospital: nobody signs up; a person signing in with
the hospital's provider for the first time is found by a claim the hospital trusts
(the staff number), and from then on by the provider and subject, never by e-mail."""

import hashlib
from typing import Any

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from peersupport.accounts.events import log_sign_in_event
from peersupport.middleware import client_ip
from peersupport.people.models import Employee

PROVIDER = "openid_connect"
DISCOVERY = "/.well-known/openid-configuration"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same answer whether the name exists or not, as before allauth.
        "username_password_mismatch": gettext_lazy(
            "Please enter a correct username and password. "
            "Note that both fields may be case-sensitive."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # accounts come from the HR import and the administrator

    def get_login_stages(self) -> list[str]:
        # The second factor is asked by our middleware for every door (password and
        # provider alike, peersupport/accounts/second_factor.py), not by allauth's stage.
        return [s for s in super().get_login_stages() if not s.startswith("allauth.mfa.")]

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address django-axes counts too (behind the hospital's proxy).
        return client_ip(request) or super().get_client_ip(request)

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        user.backend = "peersupport.accounts.backends.ActiveEmployeeBackend"
        super().login(request, user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """The providers of settings.OIDC_PROVIDERS (from the OIDC_* variables)."""
        return [
            SocialApp(
                provider=PROVIDER,
                provider_id=name,
                name=config["label"],
                client_id=config["client_id"],
                secret=config["client_secret"],
                settings={
                    "server_url": config["issuer"],
                    "fetch_userinfo": False,
                    "oauth_pkce_enabled": True,
                    "trusted_claim": config["trusted_claim"],
                },
            )
            for name, config in sorted(settings.OIDC_PROVIDERS.items())
            if provider in (None, PROVIDER, name) and client_id in (None, config["client_id"])
        ]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        app = sociallogin.account.get_provider().app
        claims = sociallogin.account.extra_data.get("id_token") or {}
        if claims.get("iss") != app.settings["server_url"]:
            raise ImmediateHttpResponse(_refused(request, "accounts/sso_refused.html"))
        # Keep only what binds the account: no name, e-mail address or other claims.
        sociallogin.account.extra_data = {"id_token": {"iss": claims["iss"], "sub": claims["sub"]}}
        if sociallogin.is_existing:
            user = sociallogin.user
            employee = Employee.objects.filter(user=user).first()
            if not user.is_active or (employee is not None and not employee.is_active):
                raise ImmediateHttpResponse(_refused(request, "accounts/sso_unknown.html"))
            return
        # First sign-in: the staff number the provider vouches for finds the account.
        number = str(claims.get(app.settings["trusted_claim"]) or "").strip()
        employee = (
            Employee.objects.filter(staff_number=number, is_active=True, user__is_active=True)
            .select_related("user")
            .first()
            if number
            else None
        )
        if employee is None or employee.user is None:
            raise ImmediateHttpResponse(_refused(request, "accounts/sso_unknown.html"))
        sociallogin.connect(request, employee.user)

    def get_requests_session(self) -> requests.Session:
        return DiscoveryCachingSession(timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Exception | None = None,
        extra_context: Any = None,
    ) -> None:
        if isinstance(exception, requests.RequestException):
            raise ImmediateHttpResponse(unavailable(request))
        raise ImmediateHttpResponse(_refused(request, "accounts/sso_refused.html"))


def _refused(request: HttpRequest, template: str) -> HttpResponse:
    log_sign_in_event("sign_in_sso_refused", user_id=None, allowed=False)
    return render(request, template, status=403)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The provider cannot be reached: a friendly page, never a 500."""
    log_sign_in_event("sign_in_sso_unavailable", user_id=None, allowed=False)
    return render(request, "accounts/sso_unavailable.html", status=503)


class DiscoveryCachingSession(requests.Session):
    """A provider's discovery document is fetched once an hour, not at every sign-in."""

    def __init__(self, timeout: int) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout)
        method = method.decode() if isinstance(method, bytes) else method
        url = url.decode() if isinstance(url, bytes) else url
        if method.upper() != "GET" or not url.endswith(DISCOVERY):
            return super().request(method, url, *args, **kwargs)
        key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
        body = cache.get(key)
        if body is None:
            response = super().request(method, url, *args, **kwargs)
            response.raise_for_status()
            body = response.content
            cache.set(key, body, settings.OIDC_DISCOVERY_CACHE_SECONDS)
        cached = requests.Response()
        cached.status_code, cached._content, cached.url = 200, body, url
        return cached
