"""The second sign-in step (R-27), required for coordinators, HR and administrators.

The authenticators are django-allauth's (``allauth.mfa``): its Authenticator table,
its TOTP check (with its guard against a code used twice), its recovery codes, and
passkeys (WebAuthn: allauth's forms check them with fido2, with allauth's rate limit).
What is ours is only the routing: until the second factor is given, such a session
reaches nothing but the pages that set it up or ask for it, and signing out. This
holds for both doors, the password and the hospital's provider, which is why
allauth's own second-factor stage is left out of its sign-in flow (adapter.py).
Wrong codes count towards the django-axes lock, like wrong passwords."""

from collections.abc import Callable
from typing import Any

from allauth.account.models import Login
from allauth.core import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, LoginWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn
from allauth.mfa.webauthn.internal import flows as webauthn_flows
from allauth.mfa.webauthn.internal.auth import WebAuthn
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peersupport.accounts.backends import ActiveEmployeeBackend
from peersupport.accounts.events import SECOND_FACTOR, clear_failures, log_sign_in_event
from peersupport.notices.models import Kind, enqueue
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import Role, User

VERIFIED = "two_factor_verified"
PENDING_SECRET = "two_factor_pending_secret"  # noqa: S105  (a session key, not a secret)
REQUIRED_ROLES = (Role.COORDINATOR, Role.HR, Role.ADMINISTRATOR)
# Failed sign-ins with a passkey name nobody (the passkey did not say whose it is): they
# count towards the django-axes lock of passkey sign-ins from that address.
PASSKEY_CREDENTIALS = {"username": ""}
OPEN_PATHS = ("/account/2fa/", "/logout/", "/language/", "/static/", "/info/")


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: AbstractBaseUser) -> str:
        return user.get_username()  # the sign-in name, not the e-mail address

    def get_totp_issuer(self) -> str:
        return str(settings.ORGANISATION_NAME)


def needs_two_factor(user: User) -> bool:
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_superuser or any(user.has_role(r) for r in REQUIRED_ROLES))
    )


def _authenticator(user: User, kind: str) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=kind).first()


def _enrolled(user: User) -> bool:
    """An authenticator app or a passkey: something to give as the second factor."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            needs_two_factor(user)  # type: ignore[arg-type]
            and not request.session.get(VERIFIED)
            and not request.path.startswith(OPEN_PATHS)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-factor sign-in is required.")}, status=403)
            return redirect("two_factor_verify" if _enrolled(user) else "two_factor_setup")  # type: ignore[arg-type]
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _new_recovery_codes(user: User) -> list[str]:
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    return RecoveryCodes.activate(user).generate_codes()


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if _enrolled(user):
        return redirect("two_factor_verify")
    secret = request.session.get(PENDING_SECRET) or generate_totp_secret()
    request.session[PENDING_SECRET] = secret
    form = CodeForm(request.POST or None)
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            totp = TOTP.activate(user, secret)
            if totp.validate_code(form.cleaned_data["code"]):
                codes = _new_recovery_codes(user)
            else:
                transaction.set_rollback(True)
        if codes:
            del request.session[PENDING_SECRET]
            request.session.cycle_key()
            request.session[VERIFIED] = True
            clear_failures(request, user)
            log_sign_in_event("two_factor_setup", user_id=user.pk, allowed=True)
        else:
            form.add_error(
                "code", _("That code is not right. Check the time on your phone and try again.")
            )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": MFAAdapter().build_totp_url(user, secret),
            "codes": codes,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not _enrolled(user):
        return redirect("two_factor_setup")
    totp = _authenticator(user, Authenticator.Type.TOTP)
    has_passkey = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN)
    # Wrong codes count towards the same lock as wrong passwords (django-axes): the
    # name from this address. Locked, the half-signed-in session ends.
    credentials = {"username": user.get_username(), SECOND_FACTOR: user.pk}
    if request.method == "POST" and (
        AxesProxyHandler.is_locked(request, credentials)
        or not ratelimit.consume(request, action="second_factor", user=user)
    ):
        logout(request)
        return get_lockout_response(request, None, credentials)
    with_passkey = request.method == "POST" and "credential" in request.POST
    form = CodeForm(None if with_passkey else request.POST or None)
    passkey_form = AuthenticateWebAuthnForm(request.POST if with_passkey else None, user=user)
    if request.method == "POST":
        used: Authenticator | None = None
        if with_passkey:
            # allauth checks the signature (fido2) and its own rate limit per account.
            if _valid(passkey_form):
                used = passkey_form.cleaned_data["credential"]
        elif form.is_valid():
            used = _accept(user, totp, form.cleaned_data["code"])
        if used is not None:
            used.record_usage()
            request.session.cycle_key()  # a new session id once fully signed in
            request.session[VERIFIED] = True
            clear_failures(request, user)
            ratelimit.clear(request, action="second_factor", user=user)
            log_sign_in_event(
                "two_factor_passkey" if with_passkey else "two_factor",
                user_id=user.pk,
                allowed=True,
            )
            if totp is not None and _authenticator(user, Authenticator.Type.RECOVERY_CODES) is None:
                # Enrolled before allauth: the old recovery codes could not be carried
                # over (only their hashes were kept), so here are new ones, once.
                return render(
                    request,
                    "accounts/second_factor_setup.html",
                    {"codes": _new_recovery_codes(user), "next": _safe_next(request)},
                )
            return redirect(_safe_next(request))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return get_lockout_response(request, None, credentials)
        if not with_passkey and form.is_valid():
            form.add_error("code", _("That code is not right."))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {
            "form": form,
            "has_totp": totp is not None,
            "passkey_refused": with_passkey,
            "passkey_options": webauthn.begin_authentication(user) if has_passkey else None,
        },
        status=400 if form.errors or with_passkey else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def passkeys(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Adding a passkey (WebAuthn) as a second factor, once the person has set up their
    authenticator app and, if their role asks for one, given their second factor."""
    user = request.user
    if _authenticator(user, Authenticator.Type.TOTP) is None:
        return redirect("two_factor_setup")
    if needs_two_factor(user) and not request.session.get(VERIFIED):
        # This page is open before the second factor (OPEN_PATHS); a password alone
        # must never be enough to add one.
        return redirect("two_factor_verify")
    form = AddWebAuthnForm(request.POST or None, user=user)
    added = False
    if request.method == "POST":
        if _valid(form):  # allauth checks the new credential (fido2)
            WebAuthn.add(user, form.cleaned_data["name"], form.cleaned_data["credential"])
            log_sign_in_event("two_factor_passkey_added", user_id=user.pk, allowed=True)
            added = True
        else:
            form.errors.clear()
            form.add_error(None, _("The passkey could not be added. Try again."))
    return render(
        request,
        "accounts/second_factor_passkeys.html",
        {
            "form": form,
            "added": added,
            "count": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.WEBAUTHN
            ).count(),
            # A discoverable passkey, so that it can also sign in on its own.
            "creation_options": webauthn.begin_registration(user, True),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def passkey_options(request: HttpRequest) -> HttpResponse:
    """The challenge for signing in with a passkey alone (fetched by the sign-in page's
    script when the button is pressed, so that merely opening the page makes no
    session)."""
    return JsonResponse(webauthn.begin_authentication(user=None))


@require_POST
def passkey_sign_in(request: HttpRequest) -> HttpResponse:
    """Signing in with a passkey alone (allauth checks it with fido2): the passkey is
    something the person has, unlocked by what they know or are, so it counts as both
    factors. Failures count towards the django-axes lock, like wrong passwords."""
    if request.user.is_authenticated:
        return redirect("home")  # already signed in, as the sign-in page does
    if AxesProxyHandler.is_locked(request, PASSKEY_CREDENTIALS):
        return get_lockout_response(request, None, PASSKEY_CREDENTIALS)
    form = LoginWebAuthnForm(request.POST)
    user = form.cleaned_data["credential"].user if _valid(form) else None
    if user is None or not ActiveEmployeeBackend().user_can_authenticate(user):
        user_login_failed.send(sender=__name__, credentials=PASSKEY_CREDENTIALS, request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, None, PASSKEY_CREDENTIALS)
        messages.error(
            request, _("That passkey was not accepted. Try again, or use your password.")
        )
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    target = _safe_next(request, field=request.POST)
    response = webauthn_flows.perform_passwordless_login(
        request, form.cleaned_data["credential"], Login(user=user, redirect_url=target)
    )
    if request.user.is_authenticated:
        request.session[VERIFIED] = True  # after the new session id allauth's login made
        clear_failures(request, user)
        log_sign_in_event("sign_in_passkey", user_id=user.pk, allowed=True)
    return response


def _valid(form: AddWebAuthnForm | AuthenticateWebAuthnForm) -> bool:
    """allauth parses a new credential catching only TypeError; a forged one that is
    not even base64 raises ValueError (binascii.Error), one without its fields KeyError,
    and either would be a 500."""
    try:
        return form.is_valid()
    except (ValueError, KeyError):
        return False


def _accept(user: User, totp: Authenticator | None, code: str) -> Authenticator | None:
    """The authenticator this code is from (allauth checks it, and accepts a code
    once), or None."""
    if totp is not None and TOTP(totp).validate_code(code):
        return totp
    recovery = _authenticator(user, Authenticator.Type.RECOVERY_CODES)
    if recovery is not None and RecoveryCodes(recovery).validate_code(code):
        return recovery
    return None


def reset(user: User, *, by: User) -> bool:
    """The administrator's reset of a person's second factor (a lost phone): all their
    authenticators go, the person is told by a content-free e-mail and sets it up
    again at the next sign-in. Logged. False if there was none."""
    with transaction.atomic():
        deleted, _rows = Authenticator.objects.filter(user=user).delete()
        if not deleted:
            return False
        enqueue(recipient_id=user.pk, kind=Kind.SECOND_FACTOR_RESET, path="/login/")
        log_sign_in_event("two_factor_reset", user_id=user.pk, allowed=True, by=by.pk)
    return True


def _safe_next(request: HttpRequest, field: Any = None) -> str:
    """Where to go after the second factor: ``next`` only if it is on this site."""
    target = (request.GET if field is None else field).get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")
