"""With the keyboard alone, in real Chromium: the idle warning keeps the session,
a failed request puts the focus on the error summary whose every link reaches its
control, and a deletion request takes a confirmation and can be withdrawn. Every
page on the way passes the checks of ``browser.Visitor``."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from peersupport.people.models import DeletionRequest, User
from peersupport.supporters.models import Supporter
from peersupport.tests.browser import DESKTOP, Visitor
from peersupport.tests.conftest import Browsers
from peersupport.tests.test_journeys import DEMO_PASSWORD, date_typing_order, focused

IDLE_MINUTES = 5


def tab_to(visitor: Visitor, condition: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element, ``el``, meets ``condition``."""
    for _ in range(60):
        visitor.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(visitor, condition) == "True":
            return
    pytest.fail(f"the keyboard never reached {condition}")


def dialog_open(visitor: Visitor) -> bool:
    return bool(visitor.page.evaluate("document.getElementById('session-warning').open"))


@pytest.fixture
def short_idle_limit(settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = IDLE_MINUTES * 60


@pytest.mark.usefixtures("short_idle_limit")
def test_the_idle_warning_keeps_the_session_with_one_key(browser: Browsers, hospital: str) -> None:
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        visitor = Visitor.open(browser, hospital, DESKTOP, "7-idle-warning")
        visitor.page.clock.install()
        visitor.sign_in("employee", DEMO_PASSWORD)
        visitor.go("/requests/ask/", "ask-form")
        assert "signed out after 5 minutes without activity" in visitor.page.inner_text("footer")
        assert not dialog_open(visitor)
        visitor.page.focus("input[name=category][value=aggression]")

        # Three minutes idle: two minutes before the limit the warning opens, with the
        # focus on "stay signed in"; a screen reader reads its title and text.
        traveller.shift(timedelta(minutes=4))
        visitor.page.clock.run_for((IDLE_MINUTES - 2) * 60 * 1000 + 1000)
        assert dialog_open(visitor)
        assert focused(visitor, "el.textContent.trim()") == "Stay signed in"
        assert focused(visitor, "el.closest('dialog').getAttribute('aria-labelledby')")
        visitor.page.keyboard.press("Enter")
        visitor.page.wait_for_function("!document.getElementById('session-warning').open")
        # The keyboard is back where it was before the warning, not at the page's start.
        assert focused(visitor, "el.value") == "aggression"

        # Four more minutes: eight since the page came, four since "stay": still in.
        traveller.shift(timedelta(minutes=4))
        visitor.go("/me/", "still-signed-in")
        assert visitor.page.url.endswith("/me/")
        visitor.finish()


@pytest.mark.usefixtures("short_idle_limit")
def test_after_the_limit_what_was_typed_comes_back_after_signing_in(
    browser: Browsers, hospital: str
) -> None:
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        visitor = Visitor.open(browser, hospital, DESKTOP, "8-idle-expired")
        visitor.page.clock.install()
        visitor.sign_in("employee", DEMO_PASSWORD)
        visitor.go("/requests/ask/", "ask-form")
        visitor.page.check("input[name=category][value=aggression]")

        traveller.shift(timedelta(minutes=IDLE_MINUTES + 1))
        visitor.page.clock.run_for(IDLE_MINUTES * 60 * 1000 + 1000)
        assert dialog_open(visitor)
        assert "was not sent" in visitor.page.inner_text("#session-warning")
        assert focused(visitor, "el.textContent.trim()") == "Sign in again"
        with visitor.page.expect_navigation():
            visitor.page.keyboard.press("Enter")
        visitor.check("sign-in-again")
        visitor.page.fill("#id_username", "employee")
        visitor.page.fill("#id_password", DEMO_PASSWORD)
        with visitor.page.expect_navigation():
            visitor.page.press("#id_password", "Enter")
        visitor.check("back-on-the-form")
        assert visitor.page.url.endswith("/requests/ask/")
        assert visitor.page.is_checked("input[name=category][value=aggression]")
        assert focused(visitor, "el.id") == "kept-note"
        visitor.finish()


def test_sending_after_the_limit_says_what_was_lost(
    browser: Browsers, hospital: str, settings: Any
) -> None:
    settings.SESSION_IDLE_SECONDS = IDLE_MINUTES * 60
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        visitor = Visitor.open(browser, hospital, DESKTOP, "9-idle-sent")
        visitor.sign_in("employee", DEMO_PASSWORD)
        visitor.go("/requests/ask/", "ask-form")
        traveller.shift(timedelta(minutes=IDLE_MINUTES + 1))
        visitor.submit("main form[method=post] button[type=submit]", "sent-too-late")
        assert "What you sent was not saved" in visitor.page.inner_text("main")
        visitor.finish()


def test_a_failed_request_puts_the_focus_on_the_summary_whose_links_reach_each_control(
    browser: Browsers, hospital: str
) -> None:
    visitor = Visitor.open(browser, hospital, DESKTOP, "10-keyboard-errors")
    visitor.sign_in("employee", DEMO_PASSWORD)
    visitor.go("/requests/ask/", "ask-form")
    typing_order = date_typing_order(visitor)
    visitor.go("/requests/ask/", "ask-form-fresh")
    # A colleague chosen from the list (arrow keys move through the radio group) ...
    tab_to(visitor, "el.name === 'supporter'")
    visitor.page.keyboard.press("ArrowDown")
    chosen = focused(visitor, "el.checked && el.value")
    assert chosen.isdigit()
    # ... and an event that has not happened yet: the date is refused.
    tab_to(visitor, "el.name === 'event_date'")
    visitor.page.keyboard.type((timezone.localdate() + timedelta(days=3)).strftime(typing_order))
    # Meanwhile the colleague left the directory: the choice is refused too.
    Supporter.objects.filter(pk=int(chosen)).update(listed_in_directory=False)
    tab_to(visitor, "el.type === 'submit' && !!el.closest('main')")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor.check("ask-failed")
    assert visitor.page.title().startswith("Error: ")
    assert focused(visitor, "el.className") == "error-summary"
    targets = visitor.page.eval_on_selector_all(
        ".error-summary a", "links => links.map(a => a.getAttribute('href'))"
    )
    # The radio group's link lands on its first option, a control that takes focus.
    assert targets == ["#id_supporter_0", "#id_event_date"]
    for target in targets:
        tab_to(visitor, f"el.getAttribute('href') === '{target}'", backwards=True)
        visitor.page.keyboard.press("Enter")
        assert "#" + focused(visitor, "el.id") == target
        assert focused(visitor, "el.getAttribute('aria-invalid')") == "true"
        described = focused(
            visitor,
            "el.getAttribute('aria-describedby') || "
            "el.closest('fieldset').getAttribute('aria-describedby')",
        )
        assert visitor.page.locator(f"#{described.split()[0]}").inner_text()
    visitor.check("summary-links-followed")  # the same page, moved to each control
    visitor.finish()


def test_a_deletion_request_is_confirmed_and_withdrawn_with_the_keyboard(
    browser: Browsers, hospital: str
) -> None:
    employee = User.objects.get(username="employee").employee
    visitor = Visitor.open(browser, hospital, DESKTOP, "11-keyboard-deletion")
    visitor.sign_in("employee", DEMO_PASSWORD)
    visitor.go("/me/data/", "my-data")
    tab_to(visitor, "el.textContent.trim() === 'Ask for deletion'")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor.check("confirm-deletion")
    assert visitor.page.inner_text("h1") == "Ask for your data to be deleted?"
    assert not DeletionRequest.objects.filter(employee=employee).exists()
    tab_to(visitor, "el.textContent.trim() === 'Yes, ask for deletion'")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor.check("deletion-asked")
    assert DeletionRequest.objects.filter(employee=employee, carried_out_at=None).exists()
    tab_to(visitor, "el.textContent.trim() === 'Withdraw the deletion request'")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor.check("deletion-withdrawn")
    assert "withdrawn" in visitor.page.inner_text("main")
    assert not DeletionRequest.objects.filter(employee=employee).exists()
    visitor.finish()
