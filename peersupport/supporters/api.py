"""GET /api/v1/directory: the directory as JSON, for the intranet or a roster system."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from peersupport.people.authentication import allow
from peersupport.people.models import Role, Scope
from peersupport.supporters.directory_views import listed


class DirectoryEntry(serializers.Serializer):
    name = serializers.CharField(source="employee.name")
    function = serializers.CharField(source="employee.function.name")
    department = serializers.CharField(source="employee.department.name")
    phone = serializers.CharField(source="reach_at")
    languages = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()

    def get_languages(self, supporter: object) -> list[str]:
        return sorted(x.language for x in supporter.languages.all())  # type: ignore[attr-defined]

    def get_photo(self, supporter: object) -> str | None:
        url = supporter.photo_url  # type: ignore[attr-defined]
        return self.context["request"].build_absolute_uri(url) if url else None


class Directory(APIView):
    permission_classes = [allow(scope=Scope.READ_DIRECTORY, roles=tuple(Role))]

    @extend_schema(
        operation_id="directory",
        parameters=[
            OpenApiParameter("function", int, description="A function id"),
            OpenApiParameter("department", int, description="A department id"),
            OpenApiParameter("language", str, description="A language code, e.g. en"),
        ],
        responses={200: DirectoryEntry(many=True)},
    )
    def get(self, request: Request) -> Response:
        _form, supporters = listed(request._request)
        return Response(DirectoryEntry(supporters, many=True, context={"request": request}).data)
