"""The sign-in page. The lock against guessing is django-axes' (see settings), the
sign-in events are logged by peersupport.accounts.events."""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView


class GuardedLoginView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "oidc_providers": sorted(settings.OIDC_PROVIDERS.items()),
        }
