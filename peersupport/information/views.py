from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# slug -> template. Public pages: they hold no personal data, and a shaken employee
# or a manager should not need to sign in to read them.
PAGES = {
    "": "information/index.html",
    "what-to-expect": "information/expect.html",
    "reactions": "information/reactions.html",
    "what-makes-it-harder": "information/harder.html",
    "examples": "information/examples.html",
    "for-managers": "information/managers.html",
}


@require_GET
def page(request: HttpRequest, slug: str = "") -> HttpResponse:
    if slug not in PAGES:
        raise Http404
    return render(request, PAGES[slug])
