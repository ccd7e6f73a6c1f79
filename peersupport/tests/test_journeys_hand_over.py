"""The hand-over to HR in real Chromium, on the demo hospital: the supporter refers an
employee to a psychologist via HR with their consent; HR signs in, finds the hand-over
from its home page and records that help was arranged; the supporter and the employee
see it. At desktop and phone width, each in English and in Dutch, every page passing
axe-core's WCAG 2.1 AA rules and fitting the screen (``browser.Visitor``)."""

import pytest
from django.utils import timezone

from peersupport.cases.constants import Channel, EventCategory, Status
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.handovers.models import HandOver
from peersupport.handovers.models import Status as HandOverStatus
from peersupport.people.models import User
from peersupport.tests.browser import DESKTOP, PHONE, Screen, Visitor
from peersupport.tests.conftest import Browsers
from peersupport.tests.test_journeys import DEMO_PASSWORD, step_form

SCREENS = [
    DESKTOP,
    PHONE,
    Screen("desktop-nl", DESKTOP.width, DESKTOP.height, PHONE.locale),
    Screen("phone-en", PHONE.width, PHONE.height, DESKTOP.locale),
]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_a_referral_via_hr_reaches_hr_and_its_outcome_the_supporter_and_employee(
    browser: Browsers, hospital: str, screen: Screen
) -> None:
    employee_user = User.objects.get(username="employee")
    supporter_user = User.objects.get(username="supporter")
    event = Event.objects.create(
        category=EventCategory.AGGRESSION,
        event_date=timezone.localdate(),
        department=employee_user.employee.department,
    )
    request = SupportRequest.objects.create(event=event, channel=Channel.MANAGER)
    case = Case.open_for(request=request, employee=employee_user.employee)
    case.assign(supporter_user.employee.supporter, by=None)
    case.record_offer(mode="phone", by=supporter_user)
    case.accept(by=employee_user)

    # The supporter refers the employee to a psychologist via HR; the employee agreed.
    supporter = Visitor.open(browser, hospital, screen, "hand-over-1-supporter-refers")
    supporter.sign_in("supporter", DEMO_PASSWORD)
    supporter.go(f"/cases/{case.pk}/", "case-accepted")
    form = step_form(case.pk, "refer")
    supporter.page.click(f"details:has({form}) summary")
    supporter.page.check("input[name='refer-kind'][value=psychologist]")
    supporter.page.check("input[name='refer-route'][value=hr]")
    supporter.page.check("input[name='refer-consent'][value=yes]")
    supporter.submit(f"{form} button[type=submit]", "referred")
    hand_over = HandOver.objects.get(referral__case=case)
    assert hand_over.status == HandOverStatus.SENT
    assert supporter.page.locator(".hand-over-status").count() == 1
    supporter.finish()

    # HR signs in, goes from its home page to its hand-overs and to this one.
    hr = Visitor.open(browser, hospital, screen, "hand-over-2-hr-arranges")
    hr.sign_in("hr", DEMO_PASSWORD)
    with hr.page.expect_navigation():
        hr.page.click("main a[href='/handovers/']")
    hr.check("hand-overs")
    with hr.page.expect_navigation():
        hr.page.click(f"main a[href='/handovers/{hand_over.pk}/']")
    hr.check("hand-over")
    page = hr.page.content()
    assert employee_user.employee.name in page
    assert "ggress" not in page  # never the event's category (Aggression, Agressie)
    hr.page.check("input[name=status][value=help_arranged]")
    hr.page.fill("#id_on", timezone.localdate().isoformat())
    hr.submit("main form button[type=submit]", "help-arranged")
    hand_over.refresh_from_db()
    assert hand_over.status == HandOverStatus.HELP_ARRANGED
    assert hr.page.locator("input[name=status]").count() == 0  # complete
    hr.finish()

    # The supporter and the employee see that help was arranged.
    help_arranged = str(HandOverStatus.HELP_ARRANGED.label)
    supporter = Visitor.open(browser, hospital, screen, "hand-over-3-supporter-sees")
    supporter.sign_in("supporter", DEMO_PASSWORD)
    supporter.go(f"/cases/{case.pk}/", "case-referred")
    assert supporter.page.locator(".hand-over-status").count() == 1
    supporter.finish()
    employee = Visitor.open(browser, hospital, screen, "hand-over-4-employee-sees")
    employee.sign_in("employee", DEMO_PASSWORD)
    employee.go("/me/", "my-support")
    shown = employee.page.locator(f"section:has(#case-{case.pk}) .hand-over-status").inner_text()
    if screen.locale.startswith("en"):
        assert f"Hand-over: {help_arranged}" in shown, shown
    else:
        assert "Overdracht: Hulp geregeld" in shown, shown
    employee.finish()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
