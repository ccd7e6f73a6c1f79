"""Single-use intake forms: each page load carries a token, spent by the first
successful sending. Going back and sending the same page again creates nothing and
sends no second e-mail; the sender is told it was already received.

The tokens live in the session (a sender's own pages, at most KEEP of them)."""

import secrets

from django.http import HttpRequest

FIELD = "submission"
SESSION_KEY = "intake_submissions"
KEEP = 20


def token_for(request: HttpRequest) -> str:
    """The token the rendered form carries: the posted one while it is unspent (a
    form shown again with errors or search results), else a new one."""
    tokens: list[str] = request.session.get(SESSION_KEY, [])
    posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    if posted and posted in tokens:
        return posted
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = [*tokens, token][-KEEP:]
    return token


def spend(request: HttpRequest) -> bool:
    """True once for the posted token; False when it was spent or never issued."""
    tokens: list[str] = request.session.get(SESSION_KEY, [])
    posted = request.POST.get(FIELD, "")
    if not posted or posted not in tokens:
        return False
    request.session[SESSION_KEY] = [t for t in tokens if t != posted]
    return True
