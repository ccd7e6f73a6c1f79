"""GET /api/v1/directory: the directory as JSON, for the intranet or a roster system."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from peersupport.people.authentication import allow
from peersupport.people.models import Role, Scope
from peersupport.supporters.models import Supporter
from peersupport.vocabulary import Language

MAX_ID = 2**63  # the largest id a database column holds; a larger number is no id


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
            OpenApiParameter("function", int, description=gettext_lazy("A function id")),
            OpenApiParameter("department", int, description=gettext_lazy("A department id")),
            OpenApiParameter(
                "language", str, enum=Language.values, description=gettext_lazy("A language code")
            ),
        ],
        responses={
            200: DirectoryEntry(many=True),
            400: OpenApiResponse(
                description=gettext_lazy("A filter that is not valid: an error per parameter.")
            ),
            401: OpenApiResponse(description=gettext_lazy("Missing, unknown or revoked token.")),
            403: OpenApiResponse(description=gettext_lazy("The token may not read the directory.")),
        },
    )
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        params = request.query_params
        for name in sorted(set(params) - {"function", "department", "language"}):
            errors[name] = [_("Unknown parameter.")]
        for name in ("function", "department", "language"):
            if len(params.getlist(name)) > 1:
                errors[name] = [_("Give this parameter once.")]
        for name in ("function", "department"):
            if name in params and not (params[name].isdigit() and int(params[name]) < MAX_ID):
                errors[name] = [_("An id (a whole number).")]
        if "language" in params and params["language"] not in Language.values:
            errors["language"] = [_("A language code, e.g. en.")]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        supporters = (
            Supporter.objects.in_directory()
            .select_related("employee__function", "employee__department")
            .prefetch_related("languages")
            .order_by("employee__name")
        )
        if "function" in params:
            supporters = supporters.filter(employee__function_id=int(params["function"]))
        if "department" in params:
            department = int(params["department"])
            supporters = supporters.filter(
                Q(employee__department_id=department) | Q(departments_known=department)
            ).distinct()
        if "language" in params:
            supporters = supporters.filter(languages__language=params["language"])
        return Response(DirectoryEntry(supporters, many=True, context={"request": request}).data)
