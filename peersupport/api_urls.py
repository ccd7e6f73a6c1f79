"""The API's address space: /api/v1/… per app, the schema and its docs."""

from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from peersupport.cases.api import RequestCreate
from peersupport.supporters.api import Directory

# Swagger UI carries an inline <style>; only its page allows that.
DOCS_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
}

urlpatterns = [
    path("v1/requests", RequestCreate.as_view(), name="api-requests"),
    path("v1/directory", Directory.as_view(), name="api-directory"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
