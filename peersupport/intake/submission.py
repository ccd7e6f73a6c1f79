"""Single-use intake forms: each page load carries a token, spent by the first
successful sending. Going back and sending the same page again creates nothing and
sends no second e-mail; the sender is told it was already received.

The tokens live in the session (a sender's own pages, at most KEEP of them)."""

import enum
import secrets

from django.http import HttpRequest

FIELD = "submission"
SESSION_KEY = "intake_submissions"
SPENT_KEY = "intake_submissions_spent"
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


class Sending(enum.Enum):
    FIRST = "first"  # go ahead
    AGAIN = "again"  # this page was sent before: nothing twice
    UNKNOWN = "unknown"  # not a page of this session (it expired): nothing was sent yet


def spend(request: HttpRequest) -> Sending:
    """FIRST once for the posted token, AGAIN after that; UNKNOWN for a token this
    session never issued, which must not be answered as if the form had been sent."""
    tokens: list[str] = request.session.get(SESSION_KEY, [])
    spent: list[str] = request.session.get(SPENT_KEY, [])
    posted = request.POST.get(FIELD, "")
    if posted and posted in spent:
        return Sending.AGAIN
    if not posted or posted not in tokens:
        return Sending.UNKNOWN
    request.session[SESSION_KEY] = [t for t in tokens if t != posted]
    request.session[SPENT_KEY] = [*spent, posted][-KEEP:]
    return Sending.FIRST
