"""The main journeys in real Chromium, at desktop width in English and at a 375-pixel
phone width in Dutch, on the demo hospital: an employee asks for support, a manager
refers a team member, the coordinator matches and assigns, the supporter records the
conversations and closes, the coordinator opens the annual report. Every page on the
way passes axe-core's WCAG 2.1 AA rules and fits the screen (``browser.Visitor``).
Screenshots land in ``test-artifacts/screenshots/``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peersupport.cases.constants import Channel, EventCategory, Status
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.people.models import Employee, User
from peersupport.supporters.models import Supporter
from peersupport.tests.browser import DESKTOP, PHONE, Screen, Visitor
from peersupport.tests.conftest import Browsers

DEMO_PASSWORD = "peer-support-demo"


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_from_request_to_annual_report(browser: Browsers, hospital: str, screen: Screen) -> None:
    # An employee asks for support and leaves the choice of supporter to the coordinator.
    employee = Visitor.open(browser, hospital, screen, "1-employee-asks")
    employee.sign_in("employee", DEMO_PASSWORD)
    employee.go("/requests/ask/", "ask-form")
    employee.page.check("input[name=category][value=aggression]")
    employee.page.fill("#id_event_date", timezone.localdate().isoformat())
    employee.submit("main form[method=post] button[type=submit]", "asked")
    asker = User.objects.get(username="employee").employee
    asked = Case.objects.get(employee=asker, request__channel=Channel.SELF_COORDINATOR)
    assert asked.status == Status.NEW
    employee.go("/me/", "my-support")
    employee.finish()

    # A manager refers a team member: first without saying whether it was discussed
    # (the error page is checked too), then complete.
    manager = Visitor.open(browser, hospital, screen, "2-manager-refers")
    manager.sign_in("manager", DEMO_PASSWORD)
    team_member = (
        Employee.objects.filter(manager__user__username="manager", supporter__isnull=True)
        .exclude(cases__isnull=False)
        .order_by("pk")
        .first()
    )
    assert team_member is not None
    manager.go("/requests/manager/", "referral-form")
    manager.page.fill("#id_q", team_member.staff_number)
    manager.submit("button[name=search]", "searched")
    manager.page.check(f"input[name=employees][value='{team_member.pk}']")
    manager.page.select_option("#id_category", "incident")
    manager.page.fill("#id_event_date", timezone.localdate().isoformat())
    manager.page.select_option("#id_department", str(team_member.department_id))
    manager.submit("main form button[type=submit]:not([name])", "referral-incomplete")
    assert manager.page.locator(".error-summary, .error").count() > 0
    assert not Case.objects.filter(employee=team_member).exists()
    manager.page.check("input[name=discussed_with_employee][value=yes]")
    manager.submit("main form button[type=submit]:not([name])", "received")
    case = Case.objects.get(employee=team_member)
    manager.finish()

    # The coordinator finds the new case on the dashboard, ranks supporters, assigns the first.
    coordinator = Visitor.open(browser, hospital, screen, "3-coordinator-assigns")
    coordinator.sign_in("coordinator", DEMO_PASSWORD)
    coordinator.go("/cases/dashboard/", "dashboard")
    with coordinator.page.expect_navigation():
        coordinator.page.click(f"main a[href='/cases/{case.pk}/']")
    coordinator.check("case-new")
    with coordinator.page.expect_navigation():
        coordinator.page.click(f"main a[href='/cases/{case.pk}/match/']")
    coordinator.check("match")
    coordinator.submit(".suggestions li:first-child form button[type=submit]", "assigned")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.supporter is not None
    coordinator.finish()

    # The supporter reaches the employee, records two conversations held, and closes.
    # (The request came in three hours ago, so that both conversations follow it.)
    SupportRequest.objects.filter(pk=case.request_id).update(
        received_at=timezone.now() - timedelta(hours=3)
    )
    supporter = Visitor.open(browser, hospital, screen, "4-supporter-supports")
    supporter_user = case.supporter.employee.user
    assert supporter_user is not None
    supporter.sign_in(supporter_user.username, DEMO_PASSWORD)
    supporter.go("/cases/", "my-cases")
    with supporter.page.expect_navigation():
        supporter.page.click(f"main a[href='/cases/{case.pk}/']")
    supporter.check("case-assigned")
    reached = timezone.localtime()
    form = step_form(case.pk, "offer")
    supporter.page.click(f"details:has({form}) summary")
    supporter.page.fill("#id_offer-day", reached.date().isoformat())
    supporter.page.fill("#id_offer-time", reached.strftime("%H:%M"))
    supporter.page.check("input[name='offer-mode'] >> nth=0")
    supporter.submit(f"{form} button[type=submit]", "offered")
    supporter.submit(step_button(case.pk, "accept"), "accepted")
    for number in (1, 2):
        held = timezone.localtime() - timedelta(hours=3 - number)
        form = step_form(case.pk, "hold_conversation")
        supporter.page.click(f"details:has({form}) summary")
        supporter.page.select_option("#id_hold_conversation-number", str(number))
        supporter.page.fill("#id_hold_conversation-day", held.date().isoformat())
        supporter.page.fill("#id_hold_conversation-time", held.strftime("%H:%M"))
        supporter.page.check("input[name='hold_conversation-mode'] >> nth=0")
        supporter.submit(f"{form} button[type=submit]", f"conversation-{number}-held")
    assert case.conversations.filter(held_at__isnull=False).count() == 2
    form = step_form(case.pk, "close")
    supporter.page.click(f"details:has({form}) summary")
    supporter.page.check("input[name='close-reason'] >> nth=0")
    supporter.submit(f"{form} button[type=submit]", "closed")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    supporter.finish()

    # The coordinator opens the annual report of last year, then this year's so far.
    coordinator = Visitor.open(browser, hospital, screen, "5-coordinator-reports")
    coordinator.sign_in("coordinator", DEMO_PASSWORD)
    year = timezone.localdate().year
    coordinator.go("/reports/", "annual-report-last-year")
    assert coordinator.page.url.endswith(f"/reports/{year - 1}/")
    with coordinator.page.expect_navigation():
        coordinator.page.click(f"main a[href='/reports/{year}/']")
    coordinator.check("annual-report-this-year")
    assert coordinator.page.locator("main table").count() > 0
    coordinator.finish()


def step_form(case_id: int, action: str) -> str:
    return f"form[action='/cases/{case_id}/steps/{action}/']"


def step_button(case_id: int, action: str) -> str:
    return f"{step_form(case_id, action)} button[type=submit]"


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_the_self_request_form_works_with_the_keyboard_alone(
    browser: Browsers, hospital: str, screen: Screen
) -> None:
    asker = Visitor.open(browser, hospital, screen, "6-keyboard-self-request")
    asker.sign_in("employee", DEMO_PASSWORD)
    asker.go("/requests/ask/", "ask-form")
    typing_order = date_typing_order(asker)
    asker.go("/requests/ask/", "ask-form-fresh")  # the keyboard starts at the top
    keyboard = asker.page.keyboard

    keyboard.press("Tab")
    assert focused(asker, "el.className") == "skip", "the first Tab reaches 'skip to content'"
    keyboard.press("Enter")
    # From the top of the content, Tab walks to the first choice, showing where it is.
    for _ in range(30):
        keyboard.press("Tab")
        assert focused(asker, "getComputedStyle(el).outlineStyle") != "none", "focus not shown"
        if focused(asker, "el.name") == "supporter":
            break
    else:
        pytest.fail("Tab never reached the choice of supporter")
    # Arrow keys move through a radio group: the first named supporter.
    keyboard.press("ArrowDown")
    chosen = int(focused(asker, "el.checked && el.value"))
    keyboard.press("Tab")
    assert focused(asker, "el.name") == "category"
    keyboard.press("ArrowUp")  # from "something else" to "aggression"
    assert focused(asker, "el.checked && el.value") == "aggression"
    keyboard.press("Tab")
    assert focused(asker, "el.name") == "event_date"
    happened = timezone.localdate() - timedelta(days=2)
    keyboard.type(happened.strftime(typing_order))
    assert focused(asker, "el.value") == happened.isoformat()
    for _ in range(4):  # past the field's own stops (its day, month and year parts)
        keyboard.press("Tab")
        if focused(asker, "el.type") != "date":
            break
    assert focused(asker, "el.type") == "submit"
    with asker.page.expect_navigation():
        keyboard.press("Enter")
    asker.check("asked")
    asker.finish()

    employee = User.objects.get(username="employee").employee
    case = Case.objects.get(employee=employee, request__channel=Channel.SELF_DIRECTORY)
    assert case.supporter_id == chosen
    assert case.event.category == "aggression"
    assert case.event.event_date == happened


def date_typing_order(visitor: Visitor) -> str:
    """The order in which this Chromium's date fields take day, month and year as one
    types: that follows the browser's own language (headless: often the US order), not
    the page's. Found on a field of the test's own, away from the form."""
    page = visitor.page
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<input type=date id=probe-date>')"
    )
    page.focus("#probe-date")
    page.keyboard.type("02012000")
    value = page.evaluate(
        "(() => { const p = document.getElementById('probe-date'); const v = p.value; p.remove(); return v; })()"
    )
    return {"2000-01-02": "%d%m%Y", "2000-02-01": "%m%d%Y"}[value]


def focused(visitor: Visitor, expression: str) -> str:
    """``expression`` about the element that has the keyboard focus, as ``el``."""
    return str(
        visitor.page.evaluate(
            f"(() => {{ const el = document.activeElement; return {expression}; }})()"
        )
    )


def test_the_dutch_training_page_saved_unchanged_and_a_supporter_undoing_a_step(
    browser: Browsers, hospital: str
) -> None:
    # In Dutch the training date once showed empty and saving erased it.
    trained = Supporter.objects.filter(trained_on__isnull=False).first()
    assert trained is not None and trained.trained_on is not None
    trained_on = trained.trained_on
    coordinator = Visitor.open(browser, hospital, PHONE, "7-dutch-training-unchanged")
    coordinator.sign_in("coordinator", DEMO_PASSWORD)
    coordinator.go(f"/supporters/{trained.pk}/training/", "training")
    assert coordinator.page.input_value("#id_initial-trained_on") == trained_on.isoformat()
    coordinator.submit("form:has(#id_initial-trained_on) button[type=submit]", "training-saved")
    trained.refresh_from_db()
    assert trained.trained_on == trained_on
    coordinator.finish()

    # A supporter records a call by mistake and takes it back.
    supporter_user = User.objects.get(username="supporter")
    own = Supporter.objects.get(employee__user=supporter_user)
    employee = Employee.objects.filter(is_active=True).exclude(pk=own.employee_id).first()
    assert employee is not None
    event = Event.objects.create(
        category=EventCategory.INCIDENT,
        event_date=timezone.localdate() - timedelta(days=1),
        department=employee.department,
    )
    request = SupportRequest.objects.create(event=event, channel=Channel.COORDINATOR)
    case = Case.open_for(request=request, employee=employee)
    case.assign(own, by=None)
    supporter = Visitor.open(browser, hospital, PHONE, "8-supporter-undoes")
    supporter.sign_in("supporter", DEMO_PASSWORD)
    supporter.go(f"/cases/{case.pk}/", "case")
    supporter.submit(step_button(case.pk, "contact_attempt"), "called")
    case.refresh_from_db()
    assert case.contact_attempts == 1
    supporter.submit(step_button(case.pk, "undo"), "undone")
    case.refresh_from_db()
    assert case.contact_attempts == 0 and case.status == Status.ASSIGNED
    assert case.history.order_by("-pk").values_list("action", flat=True)[0] == "undo"
    assert "Teruggedraaid: contactpoging" in supporter.page.content()  # names the step
    supporter.finish()
