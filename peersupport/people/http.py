"""The request of a signed-in person, typed once: views behind ``login_required``
take an ``AuthenticatedHttpRequest``, whose ``user`` is our ``User`` (never the
anonymous one), so that ``request.user`` needs no ``type: ignore``."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from peersupport.people.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a request whose type cannot say so (the admin's methods,
    which Django calls with an ``HttpRequest``); refused when nobody is signed in."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
