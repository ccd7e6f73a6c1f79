"""Two-factor sign-in (TOTP with recovery codes), required for coordinators, HR and
administrators (R-27). Until the second factor is given, such a session reaches
nothing but the pages that set it up or ask for it, and signing out."""

import hashlib
import secrets
from collections.abc import Callable
from typing import cast

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from peersupport.accounts.events import SECOND_FACTOR, clear_failures, log_sign_in_event
from peersupport.notices.models import Kind, enqueue
from peersupport.people import totp
from peersupport.people.models import RecoveryCode, Role, TwoFactor, User

VERIFIED = "two_factor_verified"
PENDING_SECRET = "two_factor_pending_secret"  # noqa: S105  (a session key, not a secret)
REQUIRED_ROLES = (Role.COORDINATOR, Role.HR, Role.ADMINISTRATOR)
RECOVERY_CODES = 10
OPEN_PATHS = ("/account/2fa/", "/logout/", "/language/", "/static/", "/info/")


def needs_two_factor(user: User) -> bool:
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_superuser or any(user.has_role(r) for r in REQUIRED_ROLES))
    )


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
            has_device = TwoFactor.objects.filter(user=cast(User, user)).exists()
            return redirect("two_factor_verify" if has_device else "two_factor_setup")
        return self.get_response(request)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if TwoFactor.objects.filter(user=user).exists():
        return redirect("two_factor_verify")
    secret = request.session.get(PENDING_SECRET) or totp.new_secret()
    request.session[PENDING_SECRET] = secret
    form = CodeForm(request.POST or None)
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        step = totp.matching_step(secret, form.cleaned_data["code"])
        if step is None:
            form.add_error(
                "code", _("That code is not right. Check the time on your phone and try again.")
            )
        else:
            codes = [
                f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _i in range(RECOVERY_CODES)
            ]
            with transaction.atomic():
                TwoFactor.objects.create(user=user, secret=secret, last_step=step)
                RecoveryCode.objects.bulk_create(
                    RecoveryCode(user=user, code_hash=_hash(c)) for c in codes
                )
            del request.session[PENDING_SECRET]
            request.session[VERIFIED] = True
            log_sign_in_event("two_factor_setup", user_id=user.pk, allowed=True)
    return render(
        request,
        "people/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": totp.provisioning_uri(secret, user.username, settings.ORGANISATION_NAME),
            "codes": codes,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    device = TwoFactor.objects.filter(user=user).first()
    if device is None:
        return redirect("two_factor_setup")
    # Wrong codes count towards the same lock as wrong passwords (django-axes): the
    # name from this address. Locked, the half-signed-in session ends.
    credentials = {"username": user.get_username(), SECOND_FACTOR: user.pk}
    if request.method == "POST" and AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if _accept(device, code):
            request.session.cycle_key()  # a new session id once fully signed in
            request.session[VERIFIED] = True
            clear_failures(request, user)
            log_sign_in_event("two_factor", user_id=user.pk, allowed=True)
            return redirect(_safe_next(request))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return get_lockout_response(request, None, credentials)
        form.add_error("code", _("That code is not right."))
    return render(
        request, "people/two_factor_verify.html", {"form": form}, status=400 if form.errors else 200
    )


def reset(user: User, *, by: User) -> bool:
    """The administrator's reset of a person's second factor (a lost phone): the
    authenticator and recovery codes go, the person is told by a content-free e-mail
    and sets it up again at the next sign-in. Logged. False if there was none."""
    with transaction.atomic():
        deleted, _rows = TwoFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if not deleted:
            return False
        enqueue(recipient_id=user.pk, kind=Kind.SECOND_FACTOR_RESET, path="/login/")
        log_sign_in_event("two_factor_reset", user_id=user.pk, allowed=True, by=by.pk)
    return True


def _safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: ``next`` only if it is on this site."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _accept(device: TwoFactor, code: str) -> bool:
    step = totp.matching_step(device.secret, code)
    if step is not None:
        # Conditional update: a code is used once, even by two requests at the same moment.
        return bool(
            TwoFactor.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        )
    recovery = RecoveryCode.objects.filter(
        user=device.user, code_hash=_hash(code), used_at__isnull=True
    )
    return bool(recovery.update(used_at=timezone.now()))
