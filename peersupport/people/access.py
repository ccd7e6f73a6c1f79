"""The role check for pages that belong to one role as a whole (the coordinator's
dashboard, rota, pool): a refusal is a 403 and a row in the access log."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from peersupport.audit.models import record
from peersupport.people.models import Role


def require_role(request: HttpRequest, role: Role, *, action: str, object_type: str) -> None:
    user = request.user
    if user.is_authenticated and user.has_role(role):
        return
    record(
        user_id=user.pk,
        role="",
        action=action,
        object_type=object_type,
        object_id=None,
        allowed=False,
    )
    raise PermissionDenied
