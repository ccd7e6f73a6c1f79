"""Single sign-on over OpenID Connect (django-allauth) against a provider running
locally in the test: a small HTTP server with discovery, a JWKS and a token endpoint
that checks PKCE and signs real RS256 ID tokens."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.test import override_settings
from jwt.algorithms import RSAAlgorithm

from peersupport.audit.models import AccessLogEntry
from peersupport.people.models import User
from peersupport.test import BaseTestCase

CLIENT_ID = "peer-support"


class Provider:
    """The identity provider: what its token endpoint will sign next is set by the test."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "k1"
        self.server = HTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}/realm"
        self.claims: dict[str, Any] = {}
        self.challenges: dict[str, str] = {}  # code -> PKCE code_challenge
        self.hits: list[str] = []
        self.pkce_checked = 0
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, query: dict[str, str]) -> str:
        """What the provider's sign-in page does: a code, tied to the PKCE challenge."""
        assert query["code_challenge_method"] == "S256"
        code = f"code-{len(self.challenges)}"
        self.challenges[code] = query["code_challenge"]
        return code

    def token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "u-1",
            "iat": now,
            "exp": now + 300,
            **self.claims,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                provider.hits.append(self.path)
                if self.path.endswith("/.well-known/openid-configuration"):
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/auth",
                            "token_endpoint": provider.issuer + "/token",
                            "jwks_uri": provider.issuer + "/jwks",
                        }
                    )
                elif self.path.endswith("/jwks"):
                    public = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(
                        {"keys": [{**public, "kid": provider.kid, "use": "sig", "alg": "RS256"}]}
                    )
                else:
                    self.send_response(404)
                    self.end_headers()

            def do_POST(self) -> None:
                provider.hits.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                assert form["client_id"] == CLIENT_ID
                assert form["grant_type"] == "authorization_code"
                # PKCE (RFC 7636): the verifier must hash to the challenge of this code.
                challenge = provider.challenges.pop(form["code"], None)
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                if challenge != base64.urlsafe_b64encode(digest).rstrip(b"=").decode():
                    self._json({"error": "invalid_grant"}, status=400)
                    return
                provider.pkce_checked += 1
                self._json(
                    {"access_token": "at", "id_token": provider.token(), "token_type": "Bearer"}
                )

        return Handler


class OidcTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.provider = Provider()
        self.addCleanup(self.provider.stop)
        configured = override_settings(
            OIDC_PROVIDERS={
                "keycloak": {
                    "issuer": self.provider.issuer,
                    "client_id": CLIENT_ID,
                    "client_secret": "s3cret",
                    "label": "Keycloak",
                    "trusted_claim": "employee_number",
                }
            }
        )
        configured.enable()
        self.addCleanup(configured.disable)

    def begin(self) -> dict[str, str]:
        response = self.client.post("/login/oidc/keycloak/")
        assert response.status_code == 302, response.content
        location = urlparse(response["Location"])
        assert location.path == "/realm/auth"
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        return query

    def finish(self, query: dict[str, str], **claims: Any) -> Any:
        """The provider signs the person in and sends them back with a code."""
        self.provider.claims = {"employee_number": self.erin.staff_number, **claims}
        code = self.provider.authorize(query)
        return self.client.get(
            "/login/oidc/keycloak/callback/", {"code": code, "state": query["state"]}
        )

    def signed_in_as(self) -> int | None:
        user_id = self.client.session.get("_auth_user_id")
        return int(user_id) if user_id else None

    def sign_out(self) -> None:
        self.client.post("/logout/")

    def test_the_login_page_offers_the_provider(self) -> None:
        assert "Sign in with Keycloak" in self.client.get("/login/").content.decode()

    def test_a_valid_id_token_signs_the_person_in_with_pkce_verified_by_the_provider(
        self,
    ) -> None:
        response = self.finish(self.begin(), email="erin@hospital.test", name="Erin")
        assert response.status_code == 302 and self.signed_in_as() == self.erin_user.pk
        assert self.provider.pkce_checked == 1
        assert AccessLogEntry.objects.filter(action="sign_in", user_id=self.erin_user.pk).exists()
        account = SocialAccount.objects.get(user=self.erin_user)
        assert (account.provider, account.uid) == ("keycloak", "u-1")
        # Only what binds the account is kept: not the e-mail address, name or number.
        assert account.extra_data == {"id_token": {"iss": self.provider.issuer, "sub": "u-1"}}
        assert not EmailAddress.objects.exists()

    def test_a_wrong_pkce_verifier_is_refused_by_the_provider(self) -> None:
        query = self.begin()
        query["code_challenge"] = "not-the-challenge-of-this-sign-in"
        response = self.finish(query)
        assert response.status_code == 403 and self.signed_in_as() is None
        assert "did not work" in response.content.decode()

    def test_a_changed_e_mail_claim_keeps_the_same_account(self) -> None:
        self.finish(self.begin(), email="erin@hospital.test")
        self.sign_out()
        # The hospital renames her address, and the staff number claim is gone too:
        # issuer and subject are what count now.
        self.provider.claims = {}
        query = self.begin()
        code = self.provider.authorize(query)
        self.provider.claims = {"email": "erin.new@hospital.test"}
        response = self.client.get(
            "/login/oidc/keycloak/callback/", {"code": code, "state": query["state"]}
        )
        assert response.status_code == 302, response.content.decode()[-1500:]
        assert self.signed_in_as() == self.erin_user.pk

    def test_two_people_with_the_same_e_mail_cannot_take_over_each_others_account(self) -> None:
        self.olga_user.email = self.erin_user.email = "shared@hospital.test"
        self.olga_user.save()
        self.erin_user.save()
        self.finish(self.begin(), email="shared@hospital.test")
        assert self.signed_in_as() == self.erin_user.pk
        self.sign_out()
        # Olga's subject, with Erin's address in the e-mail claim: Olga, never Erin.
        response = self.finish(
            self.begin(),
            sub="u-2",
            email="shared@hospital.test",
            employee_number=self.olga.staff_number,
        )
        assert response.status_code == 302 and self.signed_in_as() == self.olga_user.pk
        self.sign_out()
        # A subject with only an e-mail address gets no account at all.
        response = self.finish(
            self.begin(), sub="u-3", email="shared@hospital.test", employee_number=""
        )
        assert response.status_code == 403 and self.signed_in_as() is None

    def test_an_unknown_person_gets_a_clear_page_and_no_account(self) -> None:
        users = User.objects.count()
        response = self.finish(self.begin(), employee_number="99999", email="new@hospital.test")
        assert response.status_code == 403 and self.signed_in_as() is None
        assert "Peer Support has no account for you" in response.content.decode()
        assert User.objects.count() == users and not SocialAccount.objects.exists()

    def test_a_token_for_another_audience_or_issuer_or_expired_is_refused(self) -> None:
        for claims in (
            {"aud": "some-other-app"},
            {"iss": "http://evil.example/realm"},
            {"exp": int(time.time()) - 600},
        ):
            with self.subTest(claims=claims):
                response = self.finish(self.begin(), **claims)
                assert response.status_code == 403 and self.signed_in_as() is None
                assert "did not work" in response.content.decode()

    def test_a_forged_state_is_refused(self) -> None:
        query = self.begin()
        code = self.provider.authorize(query)
        response = self.client.get(
            "/login/oidc/keycloak/callback/", {"code": code, "state": "forged"}
        )
        assert response.status_code == 403 and self.signed_in_as() is None

    def test_discovery_is_fetched_once_for_many_sign_ins(self) -> None:
        for _ in range(3):
            self.finish(self.begin())
            assert self.signed_in_as() == self.erin_user.pk
            self.sign_out()
        discovery = [p for p in self.provider.hits if p.endswith("openid-configuration")]
        assert len(discovery) == 1

    def test_a_new_signing_key_is_no_trouble(self) -> None:
        self.finish(self.begin())
        self.sign_out()
        self.provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.provider.kid = "k2"
        self.finish(self.begin())
        assert self.signed_in_as() == self.erin_user.pk

    def test_the_provider_being_down_gives_a_friendly_page(self) -> None:
        self.provider.stop()
        response = self.client.post("/login/oidc/keycloak/")
        assert response.status_code == 503
        assert "cannot be reached" in response.content.decode()

    def test_the_provider_going_down_during_sign_in_gives_a_friendly_page(self) -> None:
        query = self.begin()
        code = self.provider.authorize(query)
        self.provider.stop()
        response = self.client.get(
            "/login/oidc/keycloak/callback/", {"code": code, "state": query["state"]}
        )
        assert response.status_code == 503 and self.signed_in_as() is None
        assert "cannot be reached" in response.content.decode()

    def test_a_disabled_account_or_a_leaver_cannot_sign_in_through_the_provider(self) -> None:
        self.finish(self.begin())
        assert self.client.get("/me/").status_code == 200
        self.erin.is_active = False  # the HR import marked her as gone
        self.erin.save()
        # The session opened through the provider stops at the next request.
        assert self.client.get("/me/").status_code == 302
        self.sign_out()
        assert self.finish(self.begin()).status_code == 403 and self.signed_in_as() is None
        self.erin.is_active = True
        self.erin.save()
        self.erin_user.is_active = False
        self.erin_user.save()
        assert self.finish(self.begin()).status_code == 403 and self.signed_in_as() is None

    def test_after_signing_in_next_stays_on_this_site(self) -> None:
        for target, expected in (("https://evil.example/x", "/"), ("/me/", "/me/")):
            with self.subTest(next=target):
                response = self.client.post("/login/oidc/keycloak/", {"next": target})
                query = {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}
                assert self.finish(query)["Location"] == expected
                self.sign_out()

    def test_an_unknown_provider_is_not_found(self) -> None:
        assert self.client.post("/login/oidc/nowhere/").status_code == 404

    def test_starting_needs_a_post(self) -> None:
        assert self.client.get("/login/oidc/keycloak/").status_code == 405
