from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: the lock against guessing (django-axes) and the sign-in events in
    the access log. ``people`` keeps the HR data."""

    name = "peersupport.accounts"
    label = "accounts"
    verbose_name = _("Sign-in")

    def ready(self) -> None:
        from peersupport.accounts import events  # noqa: F401  (registers the receivers)
