from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, frozenset[str]]:
    """The signed-in person's roles, so templates can show what they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    return {"roles": user.role_set}
