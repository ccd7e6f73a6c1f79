"""The idle limit is stated on every signed-in page, "stay signed in" resets it, and
a form sent after it is answered with what was lost (WCAG 2.2.1)."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from peersupport.test import PASSWORD, BaseTestCase


class SessionWarningTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SESSION_IDLE_SECONDS=900, SESSION_MAX_SECONDS=43200))

    def sign_in(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        self.client.get("/me/")  # the clock starts with a request

    def test_every_signed_in_page_states_the_limit_and_carries_the_warning(self) -> None:
        self.sign_in()
        page = self.client.get("/me/").text
        assert "signed out after 15 minutes without activity" in page
        assert 'data-idle-seconds="900"' in page
        assert 'id="session-warning"' in page and "Stay signed in" in page

    def test_an_anonymous_page_has_no_warning(self) -> None:
        page = self.client.get("/info/").text
        assert "session-warning" not in page and "data-idle-seconds" not in page

    def test_stay_signed_in_resets_the_idle_clock(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.sign_in()
        with time_machine.travel(start + timedelta(minutes=14), tick=False):
            assert self.client.post("/account/session/").status_code == 204
        with time_machine.travel(start + timedelta(minutes=28), tick=False):
            assert self.client.get("/me/").status_code == 200

    def test_without_javascript_stay_signed_in_goes_back_to_the_page(self) -> None:
        self.sign_in()
        response = self.client.post("/account/session/", {"next": "/me/data/"})
        assert response.status_code == 302 and response["Location"] == "/me/data/"
        elsewhere = self.client.post("/account/session/", {"next": "https://evil.example/"})
        assert elsewhere.status_code == 204

    def test_stay_signed_in_needs_a_post_and_a_session(self) -> None:
        assert self.client.post("/account/session/").status_code == 302  # to sign in
        self.sign_in()
        assert self.client.get("/account/session/").status_code == 405

    def test_a_form_sent_after_the_limit_is_answered_with_what_was_lost(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.sign_in()
        with time_machine.travel(start + timedelta(minutes=16), tick=False):
            # The form was loaded before the limit: it carries its token already, so the
            # post is the first request after the limit (as in a browser).
            response = self.client.post(
                "/requests/ask/",
                {"category": "aggression", "submission": "loaded-before-the-limit"},
                follow=True,
            )
        page = response.text
        assert "You were signed out after 15 minutes without activity." in page
        assert "What you sent was not saved. Sign in and send it again." in page

    def test_a_page_opened_after_the_limit_says_why_without_talk_of_loss(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.sign_in()
        with time_machine.travel(start + timedelta(minutes=16), tick=False):
            page = self.client.get("/me/", follow=True).text
        assert "You were signed out after 15 minutes without activity." in page
        assert "not saved" not in page
