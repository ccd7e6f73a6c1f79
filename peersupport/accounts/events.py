"""Sign-in events in the access log, through one helper: success, failure, lock,
second factor set up, verified, failed, and a lock lifted by the administrator.
Never the name that was typed: only the account's id, when there is one."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from peersupport.audit.models import record

# Given as a credential by the second-factor page, so that a wrong code counts
# towards the same lock as a wrong password but is logged as what it was.
SECOND_FACTOR = "second_factor"


def log_sign_in_event(
    action: str, *, user_id: int | None, allowed: bool, by: int | None = None
) -> None:
    """One row in the access log. ``by`` is who acted, when that is not the account
    itself (the administrator lifting a lock)."""
    record(
        user_id=by if by is not None else user_id,
        role="",
        action=action,
        object_type="account",
        object_id=user_id,
        allowed=allowed,
    )


def clear_failures(request: Any, user: Any) -> None:
    """Forget this name's failed attempts from this address, once fully signed in:
    after the password for most, only after the second factor for those who need
    one (else the password would open a new round of guesses at the code)."""
    ip_address = getattr(request, "axes_ip_address", None)
    if ip_address:  # never for the name from every address
        AxesProxyHandler.reset_attempts(ip_address=ip_address, username=user.get_username())


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def _signed_in(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    from peersupport.accounts.second_factor import needs_two_factor

    log_sign_in_event("sign_in", user_id=user.pk, allowed=True)
    if request is not None and not needs_two_factor(user):
        clear_failures(request, user)


@receiver(user_login_failed, dispatch_uid="accounts.failed")
def _failed(
    sender: object, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # logged once as a lock, below
    if credentials.get(SECOND_FACTOR):
        log_sign_in_event("two_factor_failed", user_id=credentials[SECOND_FACTOR], allowed=False)
    else:
        log_sign_in_event("sign_in_failed", user_id=None, allowed=False)


@receiver(user_locked_out, dispatch_uid="accounts.locked")
def _locked(sender: object, request: Any = None, **kwargs: Any) -> None:
    credentials = getattr(request, "axes_credentials", None) or {}
    log_sign_in_event("sign_in_locked", user_id=credentials.get(SECOND_FACTOR), allowed=False)
