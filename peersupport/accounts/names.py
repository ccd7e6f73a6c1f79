"""The name django-axes counts attempts against (AXES_USERNAME_CALLABLE)."""

import unicodedata
from typing import Any

from django.http import HttpRequest

MAX_NAME = 150  # a sign-in name is at most this long (Django's username field)


def attempted_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name as typed, without control or formatting characters (a right-to-left
    override would make the admin's list of attempts lie) and no longer than a real
    name, so a 100,000-character 'name' is neither stored nor shown whole."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    visible = "".join(ch for ch in str(raw or "") if unicodedata.category(ch)[0] != "C")
    return visible.strip()[:MAX_NAME]
