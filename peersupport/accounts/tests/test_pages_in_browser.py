"""The sign-in pages of the accounts app in real Chromium, at desktop width in English
and at phone width in Dutch: each passes axe-core's WCAG 2.1 AA rules and fits the
screen (``browser.Visitor``)."""

import os
from collections.abc import Callable, Iterator

import pytest
from django.test import override_settings
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from peersupport.accounts.tests.authenticator import code_now, wrong_code
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
