"""API authentication: integrations by bearer token, people by their session.

A token authenticates an integration, not a person: ``request.user`` stays
anonymous and ``request.auth`` is the ``ApiToken``. What either may do is said
per endpoint with ``allow(scope=…, roles=…)``.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from peersupport.people.models import ApiToken, Role, Scope


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("The Authorization header must be “Bearer <token>”."))
        token = ApiToken.find_active(parts[1].decode("utf-8", errors="replace"))
        if token is None:
            raise AuthenticationFailed(_("The token is unknown or has been revoked."))
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def allow(*, scope: Scope | None = None, roles: tuple[Role, ...] = ()) -> type[BasePermission]:
    """A permission class: a token with ``scope``, or a signed-in person with one of ``roles``."""

    class Allowed(BasePermission):
        message = _("You may not use this part of the API.")

        def has_permission(self, request: Request, view: object) -> bool:
            if isinstance(request.auth, ApiToken):
                return scope is not None and request.auth.scope == scope
            user = request.user
            return bool(user.is_authenticated and any(user.has_role(r) for r in roles))

    return Allowed


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI schema."""

    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration's token, from `manage.py createapitoken NAME`.",
        }
