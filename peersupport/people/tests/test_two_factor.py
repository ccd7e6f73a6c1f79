"""Two-factor sign-in for coordinators, HR and administrators (R-27)."""

import time

import time_machine
from django.test import override_settings

from peersupport.people import totp
from peersupport.people.models import RecoveryCode, TwoFactor
from peersupport.test import PASSWORD, BaseTestCase

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890", RFC 6238's key


def test_codes_match_the_rfc_6238_test_vectors() -> None:
    # RFC 6238 appendix B, SHA-1, last six digits.
    assert totp.code_at(RFC_SECRET, 59 // 30) == "287082"
    assert totp.code_at(RFC_SECRET, 1111111109 // 30) == "081804"
    assert totp.code_at(RFC_SECRET, 1234567890 // 30) == "005924"
    assert totp.code_at(RFC_SECRET, 2000000000 // 30) == "279037"


class TwoFactorTests(BaseTestCase):
    def setUp(self) -> None:
        # After the suite's own default (off, for the role tests): on, as in production.
        required = self.settings(TWO_FACTOR_REQUIRED=True)
        required.enable()
        self.addCleanup(required.disable)

    def sign_in(self, username: str) -> None:
        assert (
            self.client.post("/login/", {"username": username, "password": PASSWORD}).status_code
            == 302
        )

    def test_past_the_password_but_not_the_second_factor_reaches_no_protected_page(self) -> None:
        for username in ("alice", "hanna"):
            with self.subTest(username=username):
                self.sign_in(username)
                for url in (
                    "/cases/dashboard/",
                    "/cases/",
                    "/reports/2025/",
                    "/audit/",
                    "/me/",
                    "/requests/refer/",
                ):
                    response = self.client.get(url)
                    assert response.status_code == 302, url
                    assert response["Location"] == "/account/2fa/"
                assert (
                    self.client.post(
                        "/api/v1/requests", data="{}", content_type="application/json"
                    ).status_code
                    == 403
                )
                self.client.post("/logout/")

    def test_other_roles_need_no_second_factor(self) -> None:
        for username in ("bob", "erin", "boris", "mark"):
            self.sign_in(username)
            assert self.client.get("/me/").status_code == 200
            self.client.post("/logout/")

    def test_setting_up_and_then_signing_in_with_a_code(self) -> None:
        self.sign_in("alice")
        page = self.client.get("/account/2fa/")
        secret = self.client.session["two_factor_pending_secret"]
        assert page.context["uri"].startswith("otpauth://totp/")
        wrong = self.client.post(
            "/account/2fa/",
            {
                "code": "000000"
                if totp.code_at(secret, totp.current_step()) != "000000"
                else "111111"
            },
        )
        assert wrong.status_code == 400 and not TwoFactor.objects.exists()
        done = self.client.post(
            "/account/2fa/", {"code": totp.code_at(secret, totp.current_step())}
        )
        codes = done.context["codes"]
        assert len(codes) == 10 and RecoveryCode.objects.filter(user=self.alice_user).count() == 10
        assert self.client.get("/cases/dashboard/").status_code == 200
        # A new sign-in asks for the code again; the same code is not accepted twice.
        self.client.post("/logout/")
        self.sign_in("alice")
        assert self.client.get("/cases/dashboard/")["Location"] == "/account/2fa/verify/"
        later = time.time() + 60
        with time_machine.travel(later, tick=False):
            code = totp.code_at(secret, totp.current_step())
            assert self.client.post("/account/2fa/verify/", {"code": code}).status_code == 302
            assert self.client.get("/cases/dashboard/").status_code == 200
            self.client.post("/logout/")
            self.sign_in("alice")
            assert (
                self.client.post("/account/2fa/verify/", {"code": code}).status_code == 400
            )  # replay
        # A recovery code works once.
        assert self.client.post("/account/2fa/verify/", {"code": codes[0]}).status_code == 302
        self.client.post("/logout/")
        self.sign_in("alice")
        assert self.client.post("/account/2fa/verify/", {"code": codes[0]}).status_code == 400

    def test_the_deploy_check_refuses_production_without_two_factor(self) -> None:
        from peersupport.checks import check_two_factor_is_required

        with override_settings(DEBUG=False, TWO_FACTOR_REQUIRED=False):
            assert [e.id for e in check_two_factor_is_required(None)] == ["peersupport.E002"]
        with override_settings(DEBUG=False, TWO_FACTOR_REQUIRED=True):
            assert check_two_factor_is_required(None) == []

    def test_two_factor_is_on_by_default_in_production(self) -> None:
        import os
        import subprocess
        import sys

        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 50}
        env.pop("TWO_FACTOR_REQUIRED", None)
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','peersupport.settings');"
                "import django; django.setup(); from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "True"
