"""Single sign-on with the hospital's identity provider(s) over OpenID Connect (R-27):
the authorization-code flow, with the ID token's signature, issuer, audience, expiry
and nonce checked. Several providers can stand side by side (Entra ID, Keycloak, …);
each is configured by environment variables (see settings.py). A person signs in to
the account whose e-mail address the provider vouches for."""

import json
import secrets
import urllib.parse
import urllib.request
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peersupport.audit.models import record
from peersupport.people.models import User

SESSION = "oidc_flow"
TIMEOUT = 10


class SignInRefused(Exception):
    pass


def _provider(name: str) -> dict[str, str]:
    provider = settings.OIDC_PROVIDERS.get(name)
    if provider is None:
        raise Http404
    return provider


def _fetch_json(url: str, data: dict[str, str] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  (https in production)
        return json.loads(response.read())


def _discover(provider: dict[str, str]) -> dict[str, Any]:
    return _fetch_json(provider["issuer"].rstrip("/") + "/.well-known/openid-configuration")


def _redirect_uri(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse("oidc_callback", args=[name]))


@require_GET
def start(request: HttpRequest, name: str) -> HttpResponse:
    provider = _provider(name)
    config = _discover(provider)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session[SESSION] = {"provider": name, "state": state, "nonce": nonce}
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": provider["client_id"],
            "redirect_uri": _redirect_uri(request, name),
            "scope": "openid email profile",
            "state": state,
            "nonce": nonce,
        }
    )
    return redirect(f"{config['authorization_endpoint']}?{query}")


@require_GET
def callback(request: HttpRequest, name: str) -> HttpResponse:
    provider = _provider(name)
    flow = request.session.pop(SESSION, None)
    try:
        if not flow or flow["provider"] != name or request.GET.get("state") != flow["state"]:
            raise SignInRefused("state")
        if "code" not in request.GET:
            raise SignInRefused("no code")
        claims = _verified_claims(request, name, provider, request.GET["code"], flow["nonce"])
        user = _account_for(claims)
    except (SignInRefused, jwt.PyJWTError, OSError, KeyError, ValueError) as error:
        record(
            user_id=None,
            role="",
            action="sign_in_sso_refused",
            object_type="account",
            object_id=None,
            allowed=False,
        )
        reason = type(error).__name__
        return render(
            request,
            "registration/login.html",
            {
                "sso_error": _("Signing in with your organisation's account did not work."),
                "reason": reason,
            },
            status=400,
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record(
        user_id=user.pk,
        role="",
        action="sign_in_sso",
        object_type="account",
        object_id=user.pk,
        allowed=True,
    )
    return redirect("home")


def _verified_claims(
    request: HttpRequest, name: str, provider: dict[str, str], code: str, nonce: str
) -> dict[str, Any]:
    config = _discover(provider)
    if config.get("issuer") != provider["issuer"]:
        raise SignInRefused("issuer in discovery")
    tokens = _fetch_json(
        config["token_endpoint"],
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": _redirect_uri(request, name),
            "client_id": provider["client_id"],
            "client_secret": provider["client_secret"],
        },
    )
    id_token = tokens["id_token"]
    key = jwt.PyJWKClient(config["jwks_uri"], timeout=TIMEOUT).get_signing_key_from_jwt(id_token)
    claims = jwt.decode(
        id_token,
        key.key,
        algorithms=["RS256", "ES256"],
        audience=provider["client_id"],
        issuer=provider["issuer"],
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        leeway=30,
    )
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SignInRefused("nonce")
    return claims


def _account_for(claims: dict[str, Any]) -> User:
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        raise SignInRefused("no verified e-mail")
    user = (
        User.objects.filter(
            Q(email__iexact=email) | Q(employee__email__iexact=email), is_active=True
        )
        .distinct()
        .first()
    )
    if user is None:
        raise SignInRefused("no account")
    return user
