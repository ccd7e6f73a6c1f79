"""Issue 18 in real Chromium, on the demo hospital: the employee asks for someone else
("not this person, but yes to support", R-6), the coordinator finds the case waiting
again and the former supporter left out with the reason, reassigns, and the new
supporter sees how to reach the employee. Every page passes axe-core's WCAG 2.1 AA
rules and fits the screen, at desktop and phone widths (375 and 320 pixels), in
English and in Dutch (``browser.Visitor``)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peersupport.cases.constants import Status
from peersupport.cases.models import Case
from peersupport.cases.workflow import OPEN_STATUSES
from peersupport.people.models import User
from peersupport.supporters.models import Supporter
from peersupport.tests.browser import DESKTOP, PHONE, Screen, Visitor
from peersupport.tests.conftest import Browsers

DEMO_PASSWORD = "peer-support-demo"
SCREENS = [
    DESKTOP,
    PHONE,
    Screen("desktop-nl", 1280, 900, "nl-NL"),
    Screen("phone-en", 375, 740, "en-GB"),
    Screen("narrow-nl", 320, 640, "nl-NL"),
]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_the_employee_asks_for_someone_else(
    browser: Browsers, hospital: str, screen: Screen
) -> None:
    asker = User.objects.get(username="employee").employee
    case = Case.objects.filter(
        employee=asker, supporter__isnull=False, status__in=OPEN_STATUSES
    ).get()
    before = case.supporter
    assert before is not None

    employee = Visitor.open(browser, hospital, screen, "18-employee-asks-someone-else")
    employee.sign_in("employee", DEMO_PASSWORD)
    employee.go("/me/", "my-support")
    assert employee.page.locator("a[href='/directory/']").count() > 0
    employee.submit(f"form[action='/me/cases/{case.pk}/ask_other/'] button", "confirm")
    case.refresh_from_db()
    assert case.supporter == before  # nothing happens before the confirmation
    employee.submit("main form button[type=submit]", "asked")
    case.refresh_from_db()
    assert case.status == Status.NEW and case.supporter is None
    # The call preference, on the same page: a sentence is refused, a number is kept.
    employee.page.fill("#id_call-preferred_phone", "after lunch please")
    employee.submit("form[action='/me/call/'] button[type=submit]", "call-preference-error")
    assert employee.page.locator(".error-summary").count() == 1
    employee.page.fill("#id_call-preferred_phone", "06 1234 5678")
    employee.page.check("input[name='call-preferred_call_time'][value='morning']")
    employee.submit("form[action='/me/call/'] button[type=submit]", "call-preference-saved")
    asker.refresh_from_db()
    assert asker.preferred_phone == "+31612345678"
    employee.finish()

    coordinator = Visitor.open(browser, hospital, screen, "18-coordinator-matches-again")
    coordinator.sign_in("coordinator", DEMO_PASSWORD)
    coordinator.go("/cases/dashboard/", "dashboard")
    with coordinator.page.expect_navigation():
        coordinator.page.click(f"main a[href='/cases/{case.pk}/match/']")
    coordinator.check("match")
    left_out = coordinator.page.locator("main p", has_text=before.employee.name)
    assert left_out.count() == 1
    names = coordinator.page.locator(".suggestions > li strong").all_inner_texts()
    assert before.employee.name not in names
    coordinator.submit(".suggestions li:first-child form button[type=submit]", "assigned")
    case.refresh_from_db()
    assert case.supporter is not None and case.supporter != before
    coordinator.finish()

    new = case.supporter.employee.user
    assert new is not None
    supporter = Visitor.open(browser, hospital, screen, "18-supporter-calls")
    supporter.sign_in(new.username, DEMO_PASSWORD)
    supporter.go(f"/cases/{case.pk}/", "case")
    assert supporter.page.locator("main a[href='tel:+31612345678']").count() == 1
    supporter.finish()


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_the_coordinator_records_an_absence_and_an_employee_chooses_from_the_directory(
    browser: Browsers, hospital: str, screen: Screen
) -> None:
    # The coordinator records an absence for a supporter with open cases (a wrong end
    # date first), and the dashboard flags those cases with "reassign".
    busy = (
        Case.objects.filter(status__in=OPEN_STATUSES, supporter__isnull=False)
        .values_list("supporter", flat=True)
        .first()
    )
    coordinator = Visitor.open(browser, hospital, screen, "18-coordinator-absence")
    coordinator.sign_in("coordinator", DEMO_PASSWORD)
    coordinator.go(f"/supporters/{busy}/absences/", "absences")
    today = timezone.localdate()
    coordinator.page.fill("#id_starts_on", today.isoformat())
    coordinator.page.fill("#id_ends_on", (today - timedelta(days=1)).isoformat())
    coordinator.submit("main form.stack button[type=submit]", "absence-error")
    assert coordinator.page.locator(".error-summary").count() == 1
    coordinator.page.fill("#id_ends_on", (today + timedelta(days=3)).isoformat())
    coordinator.submit("main form.stack button[type=submit]", "absence-recorded")
    coordinator.go("/cases/dashboard/", "dashboard-flagged")
    theirs = Case.objects.filter(status__in=OPEN_STATUSES, supporter=busy)
    assert theirs.exists()
    for case in theirs:
        link = f"a[href='/cases/{case.pk}/match/?reason=supporter_unavailable']"
        assert coordinator.page.locator(f"section[aria-labelledby=stranded] {link}").count() == 1
    coordinator.finish()

    # An employee finds the directory from the home page and the self-request form,
    # and filters the choice by language.
    employee = Visitor.open(browser, hospital, screen, "18-employee-directory")
    employee.sign_in("employee", DEMO_PASSWORD)
    employee.go("/", "home")
    with employee.page.expect_navigation():
        employee.page.click("main a[href='/directory/']")
    employee.check("directory")
    employee.go("/requests/ask/", "ask-form")
    employee.page.select_option("#id_language", "en")
    employee.submit("main form.filters-row button[type=submit]", "ask-form-filtered")
    shown = employee.page.locator("#id_supporter li input[type=radio]").count() - 1
    speakers = Supporter.objects.in_directory().filter(languages__language="en")
    assert shown == speakers.exclude(employee__user__username="employee").count()
    employee.finish()

    # Outside, not signed in: the embed shows no phone and no e-mail.
    outsider = Visitor.open(browser, hospital, screen, "18-embed")
    outsider.go("/directory/embed/", "embed")
    assert outsider.page.locator("a[href^='tel:'], a[href^='mailto:']").count() == 0
    outsider.finish()
