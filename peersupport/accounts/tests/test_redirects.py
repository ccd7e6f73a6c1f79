"""Every redirect after sign-in, second factor, sign-out and language change stays
on this site, whatever ``next`` says."""

from datetime import timedelta

import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.utils import timezone

from peersupport.accounts.tests.authenticator import code_now, enrol
from peersupport.test import PASSWORD, BaseTestCase

EVIL = "https://evil.example/x"


class RedirectTests(BaseTestCase):
    def assert_stays_here(self, location: str) -> None:
        assert not location.startswith(("http:", "https:", "//")), location
        assert "evil.example" not in location

    def test_after_sign_in(self) -> None:
        response = self.client.post(
            f"/login/?next={EVIL}", {"username": "erin", "password": PASSWORD, "next": EVIL}
        )
        assert response.status_code == 302
        self.assert_stays_here(response["Location"])

    def test_after_the_second_factor(self) -> None:
        """Hole: after the second factor, ?next=https://evil.example/x sent the user off-site."""
        secret = enrol(self.alice_user)
        RecoveryCodes.activate(self.alice_user)
        with (
            self.settings(TWO_FACTOR_REQUIRED=True),
            time_machine.travel(timezone.now(), tick=False),
        ):
            self.client.post("/login/", {"username": "alice", "password": PASSWORD})
            response = self.client.post(
                f"/account/2fa/verify/?next={EVIL}",
                {"code": code_now(secret)},
            )
            assert response.status_code == 302
            assert response["Location"] == "/"
            # A path on this site is still followed.
            self.client.post("/logout/")
            self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        with (
            self.settings(TWO_FACTOR_REQUIRED=True),
            time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False),
        ):
            response = self.client.post(
                "/account/2fa/verify/?next=/cases/dashboard/",
                {"code": code_now(secret)},
            )
            assert response["Location"] == "/cases/dashboard/"

    def test_after_sign_out(self) -> None:
        self.client.force_login(self.erin_user)
        response = self.client.post(f"/logout/?next={EVIL}", {"next": EVIL})
        assert response.status_code == 302
        self.assert_stays_here(response["Location"])

    def test_after_a_language_change(self) -> None:
        for referer in ("", EVIL):
            response = self.client.post(
                "/language/", {"language": "en", "next": EVIL}, HTTP_REFERER=referer
            )
            assert response.status_code == 302
            self.assert_stays_here(response["Location"])
