"""What an outside tester found at the doors after the move to django-axes: each a
behaviour a person or a monitoring system notices."""

from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings

from peersupport.people.models import User
from peersupport.test import PASSWORD, BaseTestCase

if TYPE_CHECKING:  # the test client's response type exists only in the stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

HERE = "203.0.113.7"


class LockedPageTests(BaseTestCase):
    def lock(self, path: str, username: str) -> "Response":
        client = Client(REMOTE_ADDR=HERE)
        for _ in range(settings.SIGNIN_MAX_FAILURES - 1):
            client.post(path, {"username": username, "password": "wrong"})
        return client.post(path, {"username": username, "password": "wrong"})

    def test_the_lock_says_when_to_come_back_in_a_header_too(self) -> None:
        response = self.lock("/login/", "alice")
        assert response.status_code == 429
        seconds = int(response["Retry-After"])
        assert 0 < seconds <= settings.SIGNIN_LOCK_SECONDS

    def test_locked_at_the_admins_door_the_page_leads_back_to_the_admins_door(self) -> None:
        User.objects.create_superuser("root", password=PASSWORD)
        page = self.lock("/admin/login/", "root").content.decode()
        assert 'href="/admin/login/"' in page
        page = self.lock("/login/", "alice").content.decode()
        assert 'href="/login/"' in page

    def test_a_very_long_or_direction_reversing_name_is_not_stored_as_typed(self) -> None:
        self.lock("/login/", "x" * 100_000)
        self.lock("/login/", "evil\u202egnp.exe")
        names = set(AccessAttempt.objects.values_list("username", flat=True))
        assert names == {"x" * 150, "evilgnp.exe"}


class MonitoringDoorTests(BaseTestCase):
    @override_settings(MONITORING_TOKEN="s3cret-token", MONITORING_ALLOWED_NETWORKS=[])
    def test_the_bearer_scheme_is_case_insensitive_but_the_token_is_not(self) -> None:
        get = self.client.get
        assert get("/monitoring/status/", HTTP_AUTHORIZATION="bearer s3cret-token").status_code in (
            200,
            503,
        )
        assert get("/monitoring/status/", HTTP_AUTHORIZATION="BEARER s3cret-token").status_code in (
            200,
            503,
        )
        assert (
            get("/monitoring/status/", HTTP_AUTHORIZATION="Bearer S3CRET-TOKEN").status_code == 403
        )
        assert (
            get("/monitoring/status/", HTTP_AUTHORIZATION="Token s3cret-token").status_code == 403
        )

    def test_load_balancers_may_ask_with_head(self) -> None:
        assert self.client.head("/healthz/").status_code == 200
        assert self.client.post("/healthz/").status_code == 405


class AccessLogFilterTests(BaseTestCase):
    def test_a_case_number_too_large_for_the_database_shows_the_log_not_an_error(self) -> None:
        assert self.client.login(username="alice", password=PASSWORD)
        response = self.client.get("/audit/?case=9223372036854775808")
        assert response.status_code == 200
        assert self.client.get("/audit/?case=9223372036854775807").status_code == 200
