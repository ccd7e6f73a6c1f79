"""The sign-in page on django-allauth: what a person sees and gets is what it was
before, and allauth's extra doors (sign-up, password reset by e-mail) stay shut."""

from django.conf import settings
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from peersupport.audit.models import AccessLogEntry, Outcome
from peersupport.test import PASSWORD, BaseTestCase


class SignInPageTests(BaseTestCase):
    def test_an_empty_form_is_answered_with_the_form_not_an_error(self) -> None:
        response = self.client.post("/login/", {})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="id_username"' in page and 'id="id_password"' in page

    def test_a_name_and_password_sign_in_and_lead_to_the_safe_next(self) -> None:
        response = self.client.post(
            "/login/?next=/me/", {"username": "erin", "password": PASSWORD, "next": "/me/"}
        )
        assert response.status_code == 302 and response["Location"] == "/me/"
        assert self.client.get("/me/").status_code == 200

    def test_the_page_keeps_next_for_the_form(self) -> None:
        page = self.client.get("/login/?next=/me/").content.decode()
        assert 'name="next" value="/me/"' in page

    def test_someone_signed_in_is_sent_on(self) -> None:
        self.client.login(username="erin", password=PASSWORD)
        assert self.client.get("/login/").status_code == 302

    def test_sign_in_and_failure_reach_the_access_log_without_the_name(self) -> None:
        self.client.post("/login/", {"username": "nobody-here", "password": "wrong"})
        self.client.post("/login/", {"username": "erin", "password": PASSWORD})
        rows = list(AccessLogEntry.objects.values_list("action", "object_id", "outcome"))
        assert ("sign_in_failed", None, Outcome.DENIED) in rows
        assert ("sign_in", self.erin_user.pk, Outcome.ALLOWED) in rows
        assert not AccessLogEntry.objects.filter(object_type__icontains="nobody").exists()

    def test_there_is_no_sign_up_nor_a_remember_me(self) -> None:
        page = self.client.get("/login/").content.decode()
        assert "remember" not in page
        for name in ("account_signup", "account_reset_password", "account_email"):
            with self.assertRaises(NoReverseMatch):
                reverse(name)

    @override_settings(LANGUAGE_CODE="nl")
    def test_a_wrong_password_is_told_in_dutch(self) -> None:
        page = self.client.post("/login/", {"username": "erin", "password": "wrong"})
        assert "Vul een juiste gebruikersnaam en wachtwoord in." in page.content.decode()


class PasskeySignInTests(BaseTestCase):
    """Signing in with a passkey alone (the browser test signs in with a real one)."""

    def test_the_page_offers_a_passkey_with_scripts_from_our_own_origin(self) -> None:
        page = self.client.get("/login/").content.decode()
        assert "Sign in with a passkey" in page
        assert "<script>" not in page and 'src="/static/accounts/passkey.js"' in page

    def test_the_challenge_names_no_account(self) -> None:
        options = self.client.get("/login/passkey/options/").json()
        assert options["publicKey"]["challenge"]
        assert not options["publicKey"].get("allowCredentials")

    def test_a_forged_passkey_is_refused_kindly_and_counts_towards_the_lock(self) -> None:
        client = Client(REMOTE_ADDR="203.0.113.7")
        client.get("/login/passkey/options/")
        for _ in range(settings.SIGNIN_MAX_FAILURES - 1):
            response = client.post("/login/passkey/", {"credential": '{"id": "forged"}'})
            assert response.status_code == 302 and response["Location"] == "/login/"
        assert "That passkey was not accepted." in client.get("/login/").content.decode()
        locked = client.post("/login/passkey/", {"credential": "not even json"})
        assert locked.status_code == 429
        assert "too many attempts" in locked.content.decode()
        assert client.post("/login/passkey/", {"credential": "{}"}).status_code == 429
        # Passkey failures lock passkeys from that address, not a person's name.
        assert client.post("/login/", {"username": "erin", "password": PASSWORD}).status_code == 302
