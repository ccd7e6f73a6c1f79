"""A confirmation step before what cannot be undone with one click (WCAG 3.3.4).

The button on the page posts without ``confirm``; the view answers with a page that
says what will happen and asks again. Only the second post, with ``confirm=yes``,
acts. Without JavaScript, as everything else."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def ask_first(
    request: HttpRequest,
    *,
    title: str | Promise,
    explanation: str | Promise,
    confirm_label: str | Promise,
    cancel_url: str,
) -> HttpResponse | None:
    """None when the person confirmed; otherwise the page that asks them to."""
    if request.POST.get("confirm") == "yes":
        return None
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "action": request.path,
        },
    )
