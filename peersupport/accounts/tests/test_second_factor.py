"""Two-factor sign-in for coordinators, HR and administrators (R-27), on django-allauth's
authenticators (allauth.mfa): an authenticator app and one-time recovery codes."""

import time

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, TransactionTestCase, override_settings

from peersupport.accounts.tests.authenticator import code_now, enrol, wrong_code
from peersupport.audit.models import AccessLogEntry
from peersupport.people.models import Role, RoleGrant, User
from peersupport.test import PASSWORD, BaseTestCase


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
        assert "alice" in page.context["uri"] and "@" not in page.context["uri"]
        wrong = self.client.post("/account/2fa/", {"code": wrong_code(secret)})
        assert wrong.status_code == 400 and not Authenticator.objects.exists()
        done = self.client.post("/account/2fa/", {"code": code_now(secret)})
        codes = done.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert set(
            Authenticator.objects.filter(user=self.alice_user).values_list("type", flat=True)
        ) == {"totp", "recovery_codes"}
        assert self.client.get("/cases/dashboard/").status_code == 200
        assert AccessLogEntry.objects.filter(
            action="two_factor_setup", object_id=self.alice_user.pk
        ).exists()
        # A new sign-in asks for the code again; the same code is not accepted twice.
        self.client.post("/logout/")
        self.sign_in("alice")
        assert self.client.get("/cases/dashboard/")["Location"] == "/account/2fa/verify/"
        later = time.time() + 60
        with time_machine.travel(later, tick=False):
            code = code_now(secret)
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
        assert self.client.post("/account/2fa/verify/", {"code": codes[1]}).status_code == 302

    def test_signing_in_with_the_hospital_provider_asks_for_the_same_second_factor(
        self,
    ) -> None:
        """allauth's own second-factor stage is left out: one door, our page."""
        from allauth.account.adapter import get_adapter

        stages = get_adapter().get_login_stages()
        assert stages and not [s for s in stages if s.startswith("allauth.mfa.")]

    def test_a_password_alone_cannot_add_a_passkey(self) -> None:
        """The passkey page is open before the second factor, but does nothing there."""
        enrol(self.alice_user)
        self.sign_in("alice")
        forged = '{"id": "x", "type": "public-key", "response": {}}'
        for response in (
            self.client.get("/account/2fa/passkeys/"),
            self.client.post("/account/2fa/passkeys/", {"credential": forged}),
        ):
            assert response.status_code == 302
            assert response["Location"] == "/account/2fa/verify/"
        assert not Authenticator.objects.filter(type="webauthn").exists()
        # Without an authenticator app yet, the page sends the person to set one up.
        self.client.post("/logout/")
        self.sign_in("hanna")
        assert self.client.get("/account/2fa/passkeys/")["Location"] == "/account/2fa/"

    def test_a_forged_passkey_is_refused_and_counts_as_a_wrong_code(self) -> None:
        secret = enrol(self.alice_user)
        self.sign_in("alice")
        forged = '{"id": "x", "rawId": "x", "type": "public-key", "response": {}}'
        refused = self.client.post("/account/2fa/verify/", {"credential": forged})
        assert refused.status_code == 400
        assert "That passkey was not accepted" in refused.content.decode()
        assert self.client.get("/cases/dashboard/")["Location"] == "/account/2fa/verify/"
        assert AccessLogEntry.objects.filter(
            action="two_factor_failed", object_id=self.alice_user.pk
        ).exists()
        # One without its fields (no rawId) is refused the same way, not a 500.
        bare = self.client.post("/account/2fa/verify/", {"credential": '{"id": "x"}'})
        assert bare.status_code == 400
        # After the code, adding one with a forged credential adds nothing.
        assert self.client.post("/account/2fa/verify/", {"code": code_now(secret)}).status_code
        page = self.client.get("/account/2fa/passkeys/")
        assert page.status_code == 200 and "publicKey" in page.content.decode()
        added = self.client.post("/account/2fa/passkeys/", {"credential": forged})
        assert added.status_code == 400
        assert not Authenticator.objects.filter(type="webauthn").exists()

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


class CarriedOverTests(TransactionTestCase):
    """The data migration carries every TOTP enrolment over to allauth: nobody enrols
    again. The old recovery codes (kept only as hashes) cannot come along; new ones are
    shown once, at the next sign-in."""

    before = [("people", "0008_carry_totp_over_to_allauth_mfa")]
    old = [("people", "0007_apitoken_scope_label")]
    after = [("people", "0009_remove_hand_written_two_factor")]

    def migrate(self, targets: list[tuple[str, str]]) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor

    def test_an_enrolment_from_before_allauth_signs_in_with_the_same_app(self) -> None:
        user = User.objects.create_user("carla", password=PASSWORD)
        RoleGrant.objects.create(user=user, role=Role.COORDINATOR)
        secret = generate_totp_secret()
        old_apps = self.migrate(self.old).loader.project_state(self.old).apps
        old_apps.get_model("people", "TwoFactor").objects.create(
            user_id=user.pk, secret=secret, last_step=0
        )
        # Through self.after to the latest migrations: later ones (new Employee columns)
        # are needed by the pages below and by every test after this one.
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        authenticator = Authenticator.objects.get(user=user)
        assert authenticator.type == "totp"

        client = Client()
        with override_settings(TWO_FACTOR_REQUIRED=True, LANGUAGE_CODE="en"):
            client.post("/login/", {"username": "carla", "password": PASSWORD})
            assert client.get("/cases/dashboard/")["Location"] == "/account/2fa/verify/"
            page = client.post("/account/2fa/verify/?next=/cases/", {"code": code_now(secret)})
            assert page.status_code == 200
            assert "your old recovery codes no longer work" in page.content.decode()
            codes = page.context["codes"]
            assert len(codes) == 10 and page.context["next"] == "/cases/"
            assert client.get("/cases/dashboard/").status_code == 200
            # Shown once: the next sign-in goes straight on, a recovery code works.
            client.post("/logout/")
            client.post("/login/", {"username": "carla", "password": PASSWORD})
            assert client.post("/account/2fa/verify/", {"code": codes[3]}).status_code == 302


class SharedCacheTests(BaseTestCase):
    def test_a_code_used_at_one_web_process_is_refused_at_another(self) -> None:
        """The used-code record lives in the database every process shares, not in one
        process's memory (the table another gunicorn worker reads too)."""
        from allauth.mfa.totp.internal.auth import TOTP as AllauthTOTP

        secret = enrol(self.alice_user)
        totp = AllauthTOTP(Authenticator.objects.get(user=self.alice_user))
        code = code_now(secret)
        assert totp.validate_code(code)
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM peersupport_cache")
            stored = [key for (key,) in cursor.fetchall()]
        assert [key for key in stored if key.endswith(totp._get_used_cache_key(code))]
        assert not totp.validate_code(code)
