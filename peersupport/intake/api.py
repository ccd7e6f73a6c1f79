"""The intake API: how the incident-reporting system (and a coordinator's own tools)
submit support requests (R-1, R-4, R-30)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from peersupport.audit import models as audit
from peersupport.cases import dates
from peersupport.cases.access import LOGGED_AS
from peersupport.cases.constants import Channel, EventCategory
from peersupport.cases.models import EXTERNAL_REFERENCE_VALIDATOR, SupportRequest
from peersupport.intake.intake import DuplicateConflict, Intake, submit
from peersupport.people.authentication import allow
from peersupport.people.models import ApiToken, Department, Employee, Role, Scope

API_CHANNELS = [(c.value, c.label) for c in Channel if not c.value.startswith("self_")]
MAX_EMPLOYEES = 200


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming each, instead of silently dropping them."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
        errors: dict[str, Any] = {}
        value = None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(error.detail)
        for name in sorted(set(data) - set(self.fields)):
            errors[name] = [_("Unknown field.")]
        # JSON says what a value is: a number is not a text, as DRF would let it be.
        textual = (serializers.CharField, serializers.ChoiceField, serializers.DateField)
        for name, field in self.fields.items():
            if name in data and isinstance(field, textual) and not isinstance(data[name], str):
                errors[name] = [_("Expected text.")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class JSONBody(JSONParser):
    """JSON, with the parse error in the request's language (DRF's is English only)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(_("The body is not valid JSON.")) from None


class StrictBoolean(serializers.BooleanField):
    """true or false, as JSON says them: not 0, 1, "yes" or "on"."""

    default_error_messages = {"invalid": gettext_lazy("Give true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class EmployeeReference(StrictSerializer):
    staff_number = serializers.CharField(required=False, max_length=20)
    email = serializers.EmailField(required=False, max_length=254)

    def validate(self, attrs: dict[str, str]) -> dict[str, str]:
        if len(attrs) != 1:
            raise serializers.ValidationError(_("Give either staff_number or email."))
        return attrs


class RequestIn(StrictSerializer):
    external_reference = serializers.CharField(
        required=False,
        max_length=100,
        validators=[EXTERNAL_REFERENCE_VALIDATOR],
        help_text=gettext_lazy(
            "The incident report's id. Required for integrations; a repeat is idempotent."
        ),
    )
    channel = serializers.ChoiceField(choices=API_CHANNELS, default=Channel.INCIDENT_REPORT)
    category = serializers.ChoiceField(choices=EventCategory.choices)
    # DRF's own message reads "Date heeft het verkeerde formaat" in Dutch.
    event_date = serializers.DateField(
        input_formats=["iso-8601"],
        error_messages={"invalid": gettext_lazy("Give the date as YYYY-MM-DD, e.g. 2026-11-20.")},
    )
    department = serializers.CharField(max_length=20, help_text=gettext_lazy("A department code."))
    employees = EmployeeReference(many=True, allow_empty=False, max_length=MAX_EMPLOYEES)
    serious_incident = StrictBoolean(default=False)
    reported_to_inspectorate = StrictBoolean(default=False)

    def validate_event_date(self, value: Any) -> Any:
        try:
            dates.check_event_date(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value

    def validate_department(self, code: str) -> Department:
        department = Department.objects.filter(code=code, is_active=True).first()
        if department is None:
            raise serializers.ValidationError(
                _("Unknown department code “%(code)s”.") % {"code": code}
            )
        return department

    def validate_employees(self, references: list[dict[str, str]]) -> list[Employee]:
        numbers = [r["staff_number"] for r in references if "staff_number" in r]
        emails = [r["email"].lower() for r in references if "email" in r]
        found = Employee.objects.filter(
            Q(staff_number__in=numbers) | Q(email__in=emails), is_active=True
        )
        by_number = {e.staff_number: e for e in found}
        by_email = {e.email.lower(): e for e in found}
        employees, errors, seen = [], [], set()
        for reference in references:
            key, value = next(iter(reference.items()))
            employee = (
                by_number.get(value) if key == "staff_number" else by_email.get(value.lower())
            )
            if employee is None:
                errors.append({key: [_("No employee with this %(key)s.") % {"key": key}]})
            elif employee.pk in seen:
                errors.append({key: [_("This employee is listed twice.")]})
            else:
                errors.append({})
                employees.append(employee)
                seen.add(employee.pk)
        if any(errors):
            raise serializers.ValidationError(errors)
        return employees


class RequestOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("The request's id."))
    cases = serializers.ListField(
        child=serializers.IntegerField(), help_text=gettext_lazy("One case per employee.")
    )


def _answer(request: SupportRequest, http_status: int) -> Response:
    cases = list(request.cases.order_by("pk").values_list("pk", flat=True))
    return Response({"id": request.pk, "cases": cases}, status=http_status)


class RequestCreate(APIView):
    """Submit a support request: one event, one case per affected employee."""

    permission_classes = [allow(scope=Scope.SUBMIT_REQUESTS, roles=(Role.COORDINATOR,))]
    parser_classes = [JSONBody]

    @extend_schema(
        operation_id="submit_request",
        description=gettext_lazy(
            "Submit a support request: one event, one case per affected employee."
        ),
        request=RequestIn,
        responses={
            201: OpenApiResponse(RequestOut, gettext_lazy("Created.")),
            200: OpenApiResponse(
                RequestOut, gettext_lazy("The same external_reference and content again.")
            ),
            400: OpenApiResponse(description=gettext_lazy("Bad input: an error per field.")),
            401: OpenApiResponse(description=gettext_lazy("Missing, unknown or revoked token.")),
            403: OpenApiResponse(
                description=gettext_lazy("The token or person may not submit requests.")
            ),
            409: OpenApiResponse(
                description=gettext_lazy("The external_reference was used with other content.")
            ),
        },
        examples=[
            OpenApiExample(
                "Incident report with the Peer Support box ticked",
                value={
                    "external_reference": "VIM-2026-00123",
                    "category": "incident",
                    "event_date": "2026-11-20",
                    "department": "CAR",
                    "employees": [{"staff_number": "100234"}],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = RequestIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        integration = request.auth if isinstance(request.auth, ApiToken) else None
        if integration is not None and not data.get("external_reference"):
            return Response(
                {"external_reference": [_("Required for an integration.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        intake = Intake(
            channel=Channel(data["channel"]),
            category=EventCategory(data["category"]),
            event_date=data["event_date"],
            department=data["department"],
            employees=data["employees"],
            referred_by=request.user if request.user.is_authenticated else None,
            serious_incident=data["serious_incident"],
            reported_to_inspectorate=data["reported_to_inspectorate"],
            integration=integration,
            external_reference=data.get("external_reference", ""),
        )
        try:
            created_request, created = submit(intake)
        except DuplicateConflict as conflict:
            return Response(
                {
                    "external_reference": [
                        _("Already used for request %(id)s with different content.")
                        % {"id": conflict.existing.pk}
                    ]
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        if not created:
            # A repeat shows the cases again: the log names them, as for any list.
            audit.record_many(
                user_id=request.user.pk if request.user.is_authenticated else None,
                role="integration" if integration else Role.COORDINATOR,
                action="list",
                object_type=LOGGED_AS,
                object_ids=sorted(created_request.cases.values_list("pk", flat=True)),
                allowed=True,
            )
        return _answer(created_request, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
