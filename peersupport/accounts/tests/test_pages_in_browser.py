"""The sign-in pages of the accounts app in real Chromium, at desktop width in English
and at phone width in Dutch: each passes axe-core's WCAG 2.1 AA rules and fits the
screen (``browser.Visitor``)."""

import os
from collections.abc import Callable, Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import override_settings
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from peersupport.accounts.tests.authenticator import code_now, enrol, wrong_code
from peersupport.audit.models import AccessLogEntry
from peersupport.notices.tests.smtp import free_port
from peersupport.people.models import Role, RoleGrant, User
from peersupport.tests.browser import DESKTOP, PHONE, Screen, Visitor, chromium

Browsers = Callable[[Screen], Browser]
PASSWORD = "a-password-for-this-test"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browsers]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see test_journeys.py
    try:
        with chromium() as browser:
            yield browser
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_the_locked_out_and_single_sign_on_pages(
    browser: Browsers, transactional_db: None, live_server: LiveServer, screen: Screen
) -> None:
    User.objects.create_user("coordinator", password=PASSWORD)
    nowhere = f"http://127.0.0.1:{free_port()}/realm"  # a provider that is down
    provider = {
        "hospital": {
            "issuer": nowhere,
            "client_id": "peer-support",
            "client_secret": "s3cret",
            "label": "Hospital",
            "trusted_claim": "employee_number",
        }
    }
    with override_settings(OIDC_PROVIDERS=provider):
        visitor = Visitor.open(browser, live_server.url, screen, "accounts-pages")
        visitor.go("/login/", "sign-in-with-provider")
        for attempt in range(5):
            visitor.page.fill("#id_username", "coordinator")
            visitor.page.fill("#id_password", "wrong")
            visitor.submit("main form:not([action]) button[type=submit]", f"wrong-{attempt}")
        text = visitor.page.inner_text("main")
        assert ("too many attempts" in text) or ("te vaak geprobeerd" in text)
        visitor.go("/login/", "back-to-sign-in")
        visitor.submit("main form[action^='/login/oidc/'] button", "provider-down")
        assert visitor.page.title()
        visitor.go("/login/oidc/hospital/callback/?code=x&state=forged", "refused")
        visitor.finish()


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_the_second_factor_pages(
    browser: Browsers, transactional_db: None, live_server: LiveServer, screen: Screen
) -> None:
    """Setting up the authenticator app, the recovery codes, and the code at sign-in."""
    user = User.objects.create_user("coordinator", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.COORDINATOR)
    with override_settings(TWO_FACTOR_REQUIRED=True):
        visitor = Visitor.open(browser, live_server.url, screen, "second-factor")
        visitor.sign_in("coordinator", PASSWORD)
        assert visitor.page.url.endswith("/account/2fa/")
        secret = visitor.page.inner_text("main code").replace(" ", "")
        visitor.page.fill("#id_code", wrong_code(secret))
        visitor.submit("main form button[type=submit]", "setup-wrong-code")
        visitor.page.fill("#id_code", code_now(secret))
        visitor.submit("main form button[type=submit]", "recovery-codes")
        codes = visitor.page.locator("main li code").all_inner_texts()
        assert len(codes) == 10
        visitor.page.click("main a.button")
        visitor.check("home")
        visitor.submit("form[action='/logout/'] button", "signed-out")
        visitor.sign_in("coordinator", PASSWORD)
        assert visitor.page.url.endswith("/account/2fa/verify/")
        visitor.page.fill("#id_code", wrong_code(secret))
        visitor.submit("main form button[type=submit]", "verify-wrong-code")
        visitor.page.fill("#id_code", codes[0])
        visitor.submit("main form button[type=submit]", "signed-in-with-a-recovery-code")
        assert not visitor.page.url.endswith("/account/2fa/verify/")
        visitor.finish()


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_a_passkey_is_added_and_then_signs_in(
    browser: Browsers, transactional_db: None, live_server: LiveServer, screen: Screen
) -> None:
    """In Chromium with a virtual authenticator (the DevTools WebAuthn domain): after
    the code from the app, a passkey is added; the next sign-in uses it instead."""
    user = User.objects.create_user("coordinator", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.COORDINATOR)
    secret = enrol(user)
    RecoveryCodes.activate(user)
    # WebAuthn needs a secure context: http://localhost is one, 127.0.0.1 not for the RP id.
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    with override_settings(TWO_FACTOR_REQUIRED=True):
        visitor = Visitor.open(browser, base_url, screen, "passkey")
        devtools = visitor.context.new_cdp_session(visitor.page)
        devtools.send("WebAuthn.enable")
        devtools.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )
        visitor.sign_in("coordinator", PASSWORD)
        assert visitor.page.url.endswith("/account/2fa/verify/")
        visitor.page.fill("#id_code", code_now(secret))
        visitor.submit("main form button[type=submit]", "signed-in-with-a-code")
        visitor.go("/account/2fa/passkeys/", "passkeys")
        visitor.submit("main button[data-passkey=create]", "passkey-added")
        assert Authenticator.objects.filter(user=user, type="webauthn").count() == 1
        visitor.submit("form[action='/logout/'] button", "signed-out")
        visitor.sign_in("coordinator", PASSWORD)
        assert visitor.page.url.endswith("/account/2fa/verify/")
        visitor.submit("main button[data-passkey=get]", "signed-in-with-the-passkey")
        assert not visitor.page.url.endswith("/account/2fa/verify/")
        assert "/account/2fa/" not in visitor.page.url
        visitor.finish()
    assert AccessLogEntry.objects.filter(action="two_factor_passkey_added").count() == 1
    assert (
        AccessLogEntry.objects.filter(action="two_factor_passkey", object_id=user.pk).count() == 1
    )


VIRTUAL_AUTHENTICATOR = {
    "options": {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_a_passkey_alone_signs_in_from_a_fresh_browser(
    browser: Browsers, transactional_db: None, live_server: LiveServer, screen: Screen
) -> None:
    """In Chromium with a virtual authenticator: a passkey added after the code from
    the app then signs in on its own, from a browser that knows nothing else (the
    passkey copied to a new authenticator), with no password and no code asked."""
    user = User.objects.create_user("coordinator", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.COORDINATOR)
    secret = enrol(user)
    RecoveryCodes.activate(user)
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    with override_settings(TWO_FACTOR_REQUIRED=True):
        visitor = Visitor.open(browser, base_url, screen, "passkey-enrol")
        devtools = visitor.context.new_cdp_session(visitor.page)
        devtools.send("WebAuthn.enable")
        first = devtools.send("WebAuthn.addVirtualAuthenticator", VIRTUAL_AUTHENTICATOR)
        visitor.sign_in("coordinator", PASSWORD)
        visitor.page.fill("#id_code", code_now(secret))
        visitor.submit("main form button[type=submit]", "signed-in-with-a-code")
        visitor.go("/account/2fa/passkeys/", "passkeys")
        visitor.submit("main button[data-passkey=create]", "passkey-added")
        passkeys = devtools.send("WebAuthn.getCredentials", first)["credentials"]
        assert len(passkeys) == 1 and passkeys[0]["isResidentCredential"]
        visitor.finish()

        fresh = Visitor.open(browser, base_url, screen, "passkey-alone")
        devtools = fresh.context.new_cdp_session(fresh.page)
        devtools.send("WebAuthn.enable")
        second = devtools.send("WebAuthn.addVirtualAuthenticator", VIRTUAL_AUTHENTICATOR)
        devtools.send("WebAuthn.addCredential", {**second, "credential": passkeys[0]})
        fresh.go("/login/?next=/cases/dashboard/", "sign-in-page")
        fresh.submit("main button[data-passkey=get]", "signed-in-with-a-passkey-alone")
        assert fresh.page.url.endswith("/cases/dashboard/")
        fresh.finish()
    assert AccessLogEntry.objects.filter(action="sign_in_passkey", object_id=user.pk).count() == 1
