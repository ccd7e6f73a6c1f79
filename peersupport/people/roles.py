"""Role changes: every grant and withdrawal of a role (and of the admin's superuser
flag) goes to the access log, and a change to a role that can read cases or run
the application tells every coordinator, without saying whose or which (R-14)."""

from peersupport.audit.models import record
from peersupport.notices.models import Kind, enqueue
from peersupport.people.models import Role, RoleGrant, User

# Roles whose grant opens cases, personal data or the whole application.
WATCHED = {Role.COORDINATOR, Role.HR, Role.ADMINISTRATOR, "superuser"}


def changed(by: User, user: User, role: str, *, granted: bool) -> None:
    """Call inside the transaction of the change."""
    record(
        user_id=by.pk,
        role=Role.ADMINISTRATOR,
        action=f"{'grant' if granted else 'withdraw'}_{role}"[:30],
        object_type="user",
        object_id=user.pk,
        allowed=True,
    )
    if role not in WATCHED:
        return
    coordinators = RoleGrant.objects.filter(
        role=Role.COORDINATOR, user__is_active=True
    ).values_list("user_id", flat=True)
    for coordinator in sorted(set(coordinators)):
        enqueue(recipient_id=coordinator, kind=Kind.ROLE_CHANGED, path="/audit/")
