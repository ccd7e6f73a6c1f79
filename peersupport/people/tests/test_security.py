"""Sign-in events, sessions, headers, cookies, error pages and the deploy check."""

import os
import subprocess
import sys
from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from peersupport.audit.models import AccessLogEntry
from peersupport.test import PASSWORD, BaseTestCase

GENERIC = "Please enter a correct username and password"
# The lock against guessing has its own tests: peersupport/accounts/tests/test_lockout.py


class SignInTests(BaseTestCase):
    def attempt(self, username: str, password: str) -> str:
        return self.client.post(
            "/login/", {"username": username, "password": password}
        ).content.decode()

    def test_sign_ins_and_failures_are_in_the_access_log(self) -> None:
        self.attempt("alice", "wrong")
        self.attempt("alice", PASSWORD)
        actions = list(
            AccessLogEntry.objects.filter(object_type="account")
            .order_by("pk")
            .values_list("action", "outcome")
        )
        assert actions == [("sign_in_failed", "denied"), ("sign_in", "allowed")]

    def test_the_session_ends_after_15_minutes_idle(self) -> None:
        with override_settings(SESSION_IDLE_SECONDS=900, SESSION_MAX_SECONDS=43200):
            start = timezone.now()
            with time_machine.travel(start, tick=False):
                self.client.post("/login/", {"username": "erin", "password": PASSWORD})
                assert self.client.get("/me/").status_code == 200
            with time_machine.travel(start + timedelta(minutes=14), tick=False):
                assert self.client.get("/me/").status_code == 200
            with time_machine.travel(start + timedelta(minutes=30), tick=False):
                assert self.client.get("/me/").status_code == 302

    def test_the_session_ends_after_12_hours_however_busy(self) -> None:
        with override_settings(SESSION_IDLE_SECONDS=900, SESSION_MAX_SECONDS=43200):
            start = timezone.now()
            with time_machine.travel(start, tick=False):
                self.client.post("/login/", {"username": "erin", "password": PASSWORD})
            for minutes in range(10, 12 * 60, 10):
                with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
                    assert self.client.get("/me/").status_code == 200
            with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
                assert self.client.get("/me/").status_code == 302

    def test_logout_ends_the_session_on_the_server(self) -> None:
        self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        key = self.client.session.session_key
        self.client.post("/logout/")
        from django.contrib.sessions.models import Session

        assert not Session.objects.filter(session_key=key).exists()


class HeaderTests(BaseTestCase):
    def test_signed_in_pages_are_never_stored(self) -> None:
        self.client.login(username="erin", password=PASSWORD)
        assert self.client.get("/me/")["Cache-Control"] == "no-store"

    def test_the_content_security_policy_allows_no_inline_code(self) -> None:
        csp = self.client.get("/login/")["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp and "default-src 'self'" in csp

    def test_errors_are_generic_pages_without_a_traceback(self) -> None:
        with override_settings(DEBUG=False):
            response = self.client.get("/no/such/page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "Not found" in html and "Traceback" not in html and "urlpatterns" not in html


class DeployCheckTests(BaseTestCase):
    def test_production_settings_pass_the_deploy_check_and_use_host_cookies(self) -> None:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789abcdef",
            "ALLOWED_HOSTS": "peersupport.example.org",
            "EMAIL_HOST": "smtp.example.org",
            "ACCESS_LOG_KEY": "another-long-random-key-for-this-test-only-0123456789",
            "PRIVACY_OFFICER_EMAIL": "privacy@example.org",
        }
        check = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        names = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'peersupport.settings');"
                "django.setup(); from django.conf import settings as s;"
                "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert names == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "31536000"]
