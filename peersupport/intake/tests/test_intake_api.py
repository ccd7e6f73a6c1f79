"""POST /api/v1/requests: the incident-reporting system's way in (R-1, R-4, R-30)."""

import json
import threading
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone
from rest_framework.test import APIClient

from peersupport.audit.models import AccessLogEntry
from peersupport.cases.constants import Channel, Status
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.people.models import ApiToken, Department, Employee, Function, Scope, hash_token
from peersupport.test import PASSWORD, BaseTestCase

URL = "/api/v1/requests"


class ApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.token, self.secret = ApiToken.issue("incident-reporting", Scope.SUBMIT_REQUESTS)
        self.api = APIClient()

    def body(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "external_reference": "VIM-2026-001",
            "channel": "incident_report",
            "category": "incident",
            "event_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "department": "CAR",
            "employees": [{"staff_number": "S-erin"}, {"email": "OLGA@hospital.test"}],
        }
        body.update(overrides)
        return body

    def post(self, body: Any, secret: str | None = None, raw: bytes | None = None) -> Any:
        headers = {} if secret == "" else {"HTTP_AUTHORIZATION": f"Bearer {secret or self.secret}"}
        data = raw if raw is not None else json.dumps(body)
        return self.api.post(URL, data=data, content_type="application/json", **headers)

    def counts(self) -> tuple[int, int, int]:
        return Event.objects.count(), SupportRequest.objects.count(), Case.objects.count()


class SubmitTests(ApiTestCase):
    def test_a_request_makes_one_case_per_employee_waiting_for_a_supporter(self) -> None:
        response = self.post(self.body())
        assert response.status_code == 201
        request = SupportRequest.objects.get()
        assert response.json() == {
            "id": request.pk,
            "cases": sorted(request.cases.values_list("pk", flat=True)),
        }
        assert (request.channel, request.integration, request.external_reference) == (
            Channel.INCIDENT_REPORT,
            self.token,
            "VIM-2026-001",
        )
        assert {c.employee for c in request.cases.all()} == {self.erin, self.olga}
        assert {c.status for c in request.cases.all()} == {Status.NEW}

    def test_the_same_reference_and_body_again_answers_200_with_the_same_ids(self) -> None:
        first = self.post(self.body())
        again = self.post(self.body())
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert self.counts() == (1, 1, 2)
        # The repeat's answer showed the cases again: the log names each (issue 17).
        shown = AccessLogEntry.objects.filter(action="list", object_type="case")
        assert list(shown.order_by("object_id").values_list("object_id", flat=True)) == sorted(
            first.json()["cases"]
        )
        assert set(shown.values_list("role", flat=True)) == {"integration"}

    def test_the_same_reference_with_other_content_is_a_conflict(self) -> None:
        self.post(self.body())
        response = self.post(self.body(category="aggression"))
        assert response.status_code == 409
        assert "external_reference" in response.json()
        assert self.counts() == (1, 1, 2)

    def test_the_mandatory_flag_follows_the_event(self) -> None:
        self.post(self.body(external_reference="A-1", category="calamity"))
        self.post(self.body(external_reference="A-2", category="complaint", serious_incident=True))
        self.post(self.body(external_reference="A-3", category="complaint"))
        assert [e.offer_mandatory for e in Event.objects.order_by("pk")] == [True, True, False]

    def test_a_coordinator_may_submit_with_their_session(self) -> None:
        self.api.login(username="alice", password=PASSWORD)
        body = self.body(channel="coordinator")
        del body["external_reference"]
        response = self.api.post(URL, body, format="json")
        assert response.status_code == 201
        assert SupportRequest.objects.get().referred_by == self.alice_user

    def test_an_integration_must_give_an_external_reference(self) -> None:
        body = self.body()
        del body["external_reference"]
        response = self.post(body)
        assert response.status_code == 400
        assert "external_reference" in response.json()
        assert self.counts() == (0, 0, 0)


class RefusalTests(ApiTestCase):
    def assert_refused(self, response: Any, status: int, field: str | None = None) -> None:
        assert response.status_code == status, response.content
        if field is not None:
            assert field in response.json(), response.json()
        assert self.counts() == (0, 0, 0)

    def test_missing_fields_are_named(self) -> None:
        for field in ("category", "event_date", "department", "employees"):
            with self.subTest(field=field):
                body = self.body()
                del body[field]
                response = self.post(body)
                self.assert_refused(response, 400, field)
                assert "required" in response.json()[field][0]

    def test_an_unknown_department_is_named(self) -> None:
        response = self.post(self.body(department="NOPE"))
        self.assert_refused(response, 400, "department")
        assert "NOPE" in response.json()["department"][0]

    def test_an_unknown_employee_is_named_by_position(self) -> None:
        response = self.post(
            self.body(employees=[{"staff_number": "S-erin"}, {"staff_number": "404"}])
        )
        self.assert_refused(response, 400, "employees")
        assert response.json()["employees"][0] == {}
        assert "staff_number" in response.json()["employees"][1]

    def test_a_leaver_or_a_duplicate_employee_is_refused(self) -> None:
        Employee.objects.filter(pk=self.olga.pk).update(is_active=False)
        self.assert_refused(self.post(self.body()), 400, "employees")
        twice = [{"staff_number": "S-erin"}, {"email": "erin@hospital.test"}]
        self.assert_refused(self.post(self.body(employees=twice)), 400, "employees")

    def test_an_employee_reference_needs_exactly_one_key(self) -> None:
        both = [{"staff_number": "S-erin", "email": "erin@hospital.test"}]
        self.assert_refused(self.post(self.body(employees=both)), 400, "employees")
        self.assert_refused(self.post(self.body(employees=[{}])), 400, "employees")
        self.assert_refused(self.post(self.body(employees=[])), 400, "employees")

    def test_an_event_in_the_future_is_refused(self) -> None:
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        self.assert_refused(self.post(self.body(event_date=tomorrow)), 400, "event_date")
        self.assert_refused(self.post(self.body(event_date="20-11-2026")), 400, "event_date")

    def test_errors_name_the_field_and_read_in_the_request_s_language(self) -> None:
        """Found from outside: "Date heeft het verkeerde formaat" and "Must be a valid
        boolean." in a Dutch answer; the JSON parse error in English only."""
        bad = [
            self.body(event_date="20-11-2026", serious_incident="yes", category="nope"),
            self.body(event_date="1900-01-01", employees=[{"staff_number": "404"}]),
            self.body(department=5, employees=[], channel="self_directory", extra=1),
            {"employees": "S-erin"},
        ]

        def leaves(errors: Any, path: str = "") -> dict[str, str]:
            if isinstance(errors, dict):
                return {
                    k: v for key, e in errors.items() for k, v in leaves(e, f"{path}/{key}").items()
                }
            if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
                return {path: " ".join(errors)}
            return {k: v for i, e in enumerate(errors) for k, v in leaves(e, f"{path}/{i}").items()}

        answers: dict[str, dict[str, str]] = {"nl": {}, "en": {}}
        for language in answers:
            for number, body in enumerate(bad):
                response = self.api.post(
                    URL,
                    data=json.dumps(body),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {self.secret}",
                    HTTP_ACCEPT_LANGUAGE=language,
                )
                assert response.status_code == 400
                answers[language] |= {f"{number}{k}": v for k, v in leaves(response.json()).items()}
            raw = self.api.post(
                URL,
                data=b'{"category":',
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {self.secret}",
                HTTP_ACCEPT_LANGUAGE=language,
            )
            answers[language]["json"] = raw.json()["detail"]
        nl, en = answers["nl"], answers["en"]
        assert nl.keys() == en.keys()
        fields = {
            "event_date",
            "serious_incident",
            "category",
            "department",
            "employees",
            "channel",
            "extra",
        }
        assert fields <= {part for key in nl for part in key.split("/")}
        # Every message is in the request's language: none is left the same in both.
        assert [key for key in nl if nl[key] == en[key]] == []
        assert nl["0/event_date"] == "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-20."
        assert en["0/event_date"] == "Give the date as YYYY-MM-DD, e.g. 2026-11-20."
        assert nl["0/serious_incident"] == "Geef true of false."
        assert nl["json"] == "De inhoud is geen geldige JSON."
        assert en["json"] == "The body is not valid JSON."

    def test_malformed_json_is_refused(self) -> None:
        response = self.post(None, raw=b'{"category": "incident",')
        self.assert_refused(response, 400, "detail")
        assert "JSON" in response.json()["detail"]
        self.assert_refused(self.post([1, 2]), 400, "non_field_errors")

    def test_over_long_strings_are_refused(self) -> None:
        self.assert_refused(
            self.post(self.body(external_reference="V" * 101)), 400, "external_reference"
        )
        self.assert_refused(
            self.post(self.body(employees=[{"staff_number": "9" * 21}])), 400, "employees"
        )

    def test_a_reference_cannot_carry_a_sentence(self) -> None:
        response = self.post(self.body(external_reference="nurse fell in room 12"))
        self.assert_refused(response, 400, "external_reference")
        # Nor one spelled as an identifier (issue 17).
        response = self.post(self.body(external_reference="Erin_gave_wrong_dose.patient_died"))
        self.assert_refused(response, 400, "external_reference")
        response = self.post(self.body(external_reference="ERIN-DIED-12"))
        self.assert_refused(response, 400, "external_reference")

    def test_the_reference_follows_the_pattern_in_the_settings(self) -> None:
        for reference in ("VIM-2026-00123", "MIC123", "2026/0042"):
            assert self.post(self.body(external_reference=reference)).status_code == 201, reference
        with self.settings(EXTERNAL_REFERENCE_PATTERN=r"^INC[0-9]{7}$"):
            assert self.post(self.body(external_reference="INC0012345")).status_code == 201
            response = self.post(self.body(external_reference="VIM-2026-00124"))
            assert response.status_code == 400 and "external_reference" in response.json()

    def test_unknown_fields_are_named_not_dropped(self) -> None:
        response = self.post(self.body(description="what happened", patient="x"))
        self.assert_refused(response, 400, "description")
        assert response.json()["patient"] == ["Unknown field."]

    def test_unknown_choices_and_self_channels_are_refused(self) -> None:
        self.assert_refused(self.post(self.body(category="fire")), 400, "category")
        self.assert_refused(self.post(self.body(channel="self_directory")), 400, "channel")

    def test_a_missing_wrong_or_revoked_token_is_401(self) -> None:
        missing = self.post(self.body(), secret="")
        self.assert_refused(missing, 401)
        assert missing["WWW-Authenticate"].startswith("Bearer")
        self.assert_refused(self.post(self.body(), secret="ps_wrong"), 401)
        self.token.revoke()
        self.assert_refused(self.post(self.body()), 401)

    def test_a_token_without_the_scope_is_403(self) -> None:
        _token, directory_secret = ApiToken.issue("intranet", Scope.READ_DIRECTORY)
        self.assert_refused(self.post(self.body(), secret=directory_secret), 403)

    def test_supporters_hr_and_others_cannot_use_the_intake_api(self) -> None:
        for username in ("bob", "hanna", "boris", "erin", "mark"):
            with self.subTest(username=username):
                self.api.login(username=username, password=PASSWORD)
                self.assert_refused(self.api.post(URL, self.body(), format="json"), 403)

    def test_other_methods_are_refused(self) -> None:
        assert self.api.get(URL, HTTP_AUTHORIZATION=f"Bearer {self.secret}").status_code == 405


class TokenTests(ApiTestCase):
    def test_createapitoken_prints_the_token_once_and_stores_only_its_hash(self) -> None:
        out = StringIO()
        call_command("createapitoken", "calamity-system", stdout=out, stderr=StringIO())
        secret = out.getvalue().strip()
        token = ApiToken.objects.get(name="calamity-system")
        assert token.token_hash == hash_token(secret) and secret not in token.token_hash
        assert token.scope == Scope.SUBMIT_REQUESTS
        assert self.post(self.body(), secret=secret).status_code == 201

    def test_revokeapitoken_closes_the_door(self) -> None:
        call_command("revokeapitoken", "incident-reporting", stdout=StringIO())
        assert self.post(self.body()).status_code == 401

    def test_the_admin_issues_a_token_and_shows_it_once(self) -> None:
        from peersupport.people.models import User

        User.objects.create_superuser("root", password=PASSWORD)
        self.client.login(username="root", password=PASSWORD)
        response = self.client.post(
            "/admin/people/apitoken/add/",
            {"name": "roster", "scope": "directory:read"},
            follow=True,
        )
        shown = [str(m) for m in response.context["messages"] if "ps_" in str(m)]
        assert len(shown) == 1
        secret = shown[0].split(" is ")[1].split(" ")[0]
        assert secret not in self.client.get("/admin/people/apitoken/").content.decode()
        assert ApiToken.find_active(secret) == ApiToken.objects.get(name="roster")


class SchemaTests(ApiTestCase):
    def test_the_openapi_schema_describes_the_intake(self) -> None:
        response = self.client.get("/api/schema/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        schema = json.loads(response.content)
        operation = schema["paths"]["/api/v1/requests"]["post"]
        assert set(operation["responses"]) == {"200", "201", "400", "401", "403", "409"}

    def test_the_docs_page_is_one_of_our_own_pages_drawn_from_the_schema(self) -> None:
        response = self.client.get("/api/docs/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en">' in html and html.count("<h1>") == 1
        assert html.count("<script") == 1  # only the site's own script, as on every page
        assert "POST /api/v1/requests" in html and "GET /api/v1/directory" in html
        assert "&quot;staff_number&quot;" in html  # the request body, its references filled in


def deliver_at_once(body: str, secret: str, copies: int) -> list[tuple[int, Any]]:
    """POST ``body`` from ``copies`` threads released together; each uses its own connection."""
    barrier = threading.Barrier(copies)
    results: list[tuple[int, Any]] = []

    def deliver() -> None:
        try:
            client = APIClient()
            barrier.wait()
            response = client.post(
                URL,
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            )
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgresql
class ConcurrentSubmitTests(TransactionTestCase):
    """Two deliveries of the same incident report at the same moment make one request."""

    def test_the_same_reference_twice_at_once_is_one_request(self) -> None:
        department = Department.objects.create(code="CAR", name="Cardiologie")
        function = Function.objects.create(code="VPK", name="Verpleegkundige")
        Employee.objects.create(
            staff_number="1", name="A", department=department, function=function
        )
        _token, secret = ApiToken.issue("incident-reporting", Scope.SUBMIT_REQUESTS)
        body = json.dumps(
            {
                "external_reference": "VIM-9000",
                "category": "incident",
                "event_date": timezone.localdate().isoformat(),
                "department": "CAR",
                "employees": [{"staff_number": "1"}],
            }
        )
        for round_number in range(5):
            reference = f"VIM-9000-{round_number}"
            results = deliver_at_once(body.replace("VIM-9000", reference), secret, copies=2)
            assert sorted(code for code, _body in results) == [200, 201], results
            assert results[0][1] == results[1][1]
            assert SupportRequest.objects.filter(external_reference=reference).count() == 1
        assert Case.objects.count() == 5
