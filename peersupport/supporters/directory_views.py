"""The directory of supporters an employee may contact themself (R-23): a page, an
embeddable variant for the intranet, their photos, and a JSON feed (in api.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from peersupport.people.models import Role
from peersupport.supporters.forms import DirectoryFilter
from peersupport.supporters.models import Supporter

# A page of supporters fits a phone's scroll; a large pool is filtered or paged.
PAGE_SIZE = 30


def listed(request: HttpRequest) -> tuple[DirectoryFilter, Page[Supporter]]:
    form = DirectoryFilter(request.GET or None)
    supporters = (
        Supporter.objects.in_directory()
        .select_related("employee__function", "employee__department")
        .prefetch_related("languages")
        .order_by("employee__name", "pk")
    )
    pages = Paginator(form.apply(supporters), PAGE_SIZE)
    return form, pages.get_page(request.GET.get("page"))


@require_GET
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form, supporters = listed(request)
    return render(
        request,
        "supporters/directory.html",
        {"form": form, "supporters": supporters, "embed": False, "show_contact": True},
    )


def _embed_csp() -> dict[str, object]:
    ancestors = settings.DIRECTORY_FRAME_ANCESTORS or [CSP.NONE]
    return {**settings.SECURE_CSP, "frame-ancestors": list(ancestors)}


@require_GET
@xframe_options_exempt  # framing is governed by the CSP's frame-ancestors instead
def embed(request: HttpRequest) -> HttpResponse:
    """For the intranet page: no navigation, no sign-in, frameable only from the
    origins in DIRECTORY_FRAME_ANCESTORS."""
    form, supporters = listed(request)
    response = render(
        request,
        "supporters/directory_embed.html",
        {
            "form": form,
            "supporters": supporters,
            "embed": True,
            # Open to anyone who can reach the address: contact details only by setting.
            "show_contact": request.user.is_authenticated or settings.DIRECTORY_EMBED_SHOWS_CONTACT,
        },
    )
    # What csp_override does, but read per request so the setting is never stale.
    response._csp_config = _embed_csp()  # type: ignore[attr-defined]
    return response


@require_GET
def photo(request: HttpRequest, name: str) -> FileResponse:
    """A photo is shown only while its supporter is in the directory, or to the
    supporter themself and the coordinator."""
    supporter = (
        Supporter.objects.filter(photo=f"photos/{name}.jpg").select_related("employee").first()
    )
    if supporter is None:
        raise Http404
    user = request.user
    own = user.is_authenticated and supporter.employee.user_id == user.pk
    coordinator = user.is_authenticated and user.has_role(Role.COORDINATOR)
    if not (
        own or coordinator or Supporter.objects.in_directory().filter(pk=supporter.pk).exists()
    ):
        raise Http404
    response = FileResponse(supporter.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
