"""The API's address space: /api/v1/… per app, the schema and its docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from peersupport.api_docs import api_docs
from peersupport.intake.api import RequestCreate
from peersupport.supporters.api import Directory

urlpatterns = [
    path("v1/requests", RequestCreate.as_view(), name="api-requests"),
    path("v1/directory", Directory.as_view(), name="api-directory"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]
