from django.conf import settings
from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, frozenset[str]]:
    """The signed-in person's roles, so templates can show what they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": user.role_set}


def session_limits(request: HttpRequest) -> dict[str, int]:
    """The idle limit, stated on every signed-in page and used by the timeout warning."""
    seconds = settings.SESSION_IDLE_SECONDS
    return {"session_idle_seconds": seconds, "session_idle_minutes": max(1, seconds // 60)}
