"""Single sign-on over OpenID Connect against a provider running locally in the test:
a small HTTP server with discovery, a JWKS and a token endpoint that signs real
RS256 ID tokens. Wrong audience, issuer, nonce, state or an expired token are refused."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from jwt.algorithms import RSAAlgorithm

from peersupport.audit.models import AccessLogEntry
from peersupport.test import BaseTestCase

CLIENT_ID = "peer-support"


class Provider:
    """The identity provider: what its token endpoint will sign next is set by the test."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = HTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}/realm"
        self.claims: dict[str, Any] = {}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

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
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
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
                    self._json({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                else:
                    self.send_response(404)
                    self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                assert form["client_id"] == [CLIENT_ID] and form["grant_type"] == [
                    "authorization_code"
                ]
                self._json({"id_token": provider.token(), "token_type": "Bearer"})

        return Handler


class OidcTests(BaseTestCase):
    def setUp(self) -> None:
        self.provider = Provider()
        self.addCleanup(self.provider.stop)
        self.erin_user.email = "erin@hospital.test"
        self.erin_user.save()
        configured = override_settings(
            OIDC_PROVIDERS={
                "keycloak": {
                    "issuer": self.provider.issuer,
                    "client_id": CLIENT_ID,
                    "client_secret": "s3cret",
                    "label": "Keycloak",
                }
            }
        )
        configured.enable()
        self.addCleanup(configured.disable)

    def begin(self) -> dict[str, str]:
        response = self.client.get("/login/oidc/keycloak/")
        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert location.path == "/realm/auth"
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        return query

    def finish(self, query: dict[str, str], **claims: Any) -> Any:
        self.provider.claims = {"nonce": query["nonce"], "email": "Erin@Hospital.test", **claims}
        return self.client.get(
            "/login/oidc/keycloak/callback/", {"code": "abc", "state": query["state"]}
        )

    def signed_in(self) -> bool:
        return self.client.session.get("_auth_user_id") == str(self.erin_user.pk)

    def test_the_login_page_offers_the_provider(self) -> None:
        assert "Sign in with Keycloak" in self.client.get("/login/").content.decode()

    def test_a_valid_id_token_signs_the_person_in(self) -> None:
        response = self.finish(self.begin())
        assert response.status_code == 302 and self.signed_in()
        assert AccessLogEntry.objects.filter(
            action="sign_in_sso", user_id=self.erin_user.pk
        ).exists()

    def test_a_token_for_another_audience_is_refused(self) -> None:
        response = self.finish(self.begin(), aud="some-other-app")
        assert response.status_code == 400 and not self.signed_in()
        assert response.context["reason"] == "InvalidAudienceError"
        assert "did not work" in response.content.decode()

    def test_a_token_from_another_issuer_is_refused(self) -> None:
        response = self.finish(self.begin(), iss="http://evil.example/realm")
        assert response.status_code == 400 and response.context["reason"] == "InvalidIssuerError"
        assert not self.signed_in()

    def test_an_expired_token_a_wrong_nonce_or_a_wrong_state_is_refused(self) -> None:
        assert (
            self.finish(self.begin(), exp=int(time.time()) - 600).context["reason"]
            == "ExpiredSignatureError"
        )
        assert self.finish(self.begin(), nonce="replayed").context["reason"] == "SignInRefused"
        query = self.begin()
        self.provider.claims = {"nonce": query["nonce"], "email": "erin@hospital.test"}
        assert (
            self.client.get(
                "/login/oidc/keycloak/callback/", {"code": "abc", "state": "forged"}
            ).status_code
            == 400
        )
        assert not self.signed_in()

    def test_a_token_signed_by_another_key_is_refused(self) -> None:
        self.provider.key, original = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048),
            self.provider.key,
        )
        query = self.begin()
        self.provider.claims = {"nonce": query["nonce"], "email": "erin@hospital.test"}
        token = self.provider.token()
        self.provider.key = (
            original  # the JWKS publishes the real key; the token is signed by another
        )
        self.provider.token = lambda: token  # type: ignore[method-assign]
        response = self.client.get(
            "/login/oidc/keycloak/callback/", {"code": "abc", "state": query["state"]}
        )
        assert response.status_code == 400 and response.context["reason"] == "InvalidSignatureError"
        assert not self.signed_in()

    def test_nobody_is_signed_in_for_an_address_without_an_account(self) -> None:
        assert self.finish(self.begin(), email="stranger@elsewhere.test").status_code == 400
        assert self.client.session.get("_auth_user_id") is None

    def test_an_unknown_provider_is_not_found(self) -> None:
        assert self.client.get("/login/oidc/nowhere/").status_code == 404
