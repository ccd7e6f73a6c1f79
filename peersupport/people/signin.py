"""Sign-in with a lock against guessing: after SIGNIN_MAX_FAILURES failed attempts on a
name within SIGNIN_LOCK_SECONDS, that name is locked for that long. The answer is
the same for a name that exists and one that does not, locked or not."""

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.utils import timezone

from peersupport.audit.models import record
from peersupport.people.models import SignInFailure


def _key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


class GuardedAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        if not self.cleaned_data.get("username") or not self.cleaned_data.get("password"):
            # A field left empty has its own error; there is nothing to try or count.
            return self.cleaned_data
        username = self.cleaned_data["username"]
        key = _key(username)
        since = timezone.now() - timedelta(seconds=settings.SIGNIN_LOCK_SECONDS)
        if (
            SignInFailure.objects.filter(key=key, at__gte=since).count()
            >= settings.SIGNIN_MAX_FAILURES
        ):
            SignInFailure.objects.create(key=key)
            record(
                user_id=None,
                role="",
                action="sign_in_locked",
                object_type="account",
                object_id=None,
                allowed=False,
            )
            raise self.get_invalid_login_error()
        try:
            data = super().clean()
        except ValidationError:
            SignInFailure.objects.create(key=key)
            record(
                user_id=None,
                role="",
                action="sign_in_failed",
                object_type="account",
                object_id=None,
                allowed=False,
            )
            raise
        user = self.get_user()
        record(
            user_id=user.pk,
            role="",
            action="sign_in",
            object_type="account",
            object_id=user.pk,
            allowed=True,
        )
        return data


class GuardedLoginView(LoginView):
    form_class = GuardedAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "oidc_providers": sorted(settings.OIDC_PROVIDERS.items()),
        }
