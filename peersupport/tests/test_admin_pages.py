"""The administrator's pages are pages of the product too (issue 22): every add form of
Django's admin passes axe (WCAG 2.2 AA) on a desktop in English and a phone in Dutch.
The crawl checks one page of each kind in the admin; these are all the add forms."""

import pytest
from django.contrib import admin
from django.urls import reverse

from peersupport.tests.browser import AXE_SCRIPT, DESKTOP, PHONE, Screen, Visitor
from peersupport.tests.conftest import Browsers
from peersupport.tests.test_crawl import AXE, WCAG_22_AA
from peersupport.tests.test_journeys import DEMO_PASSWORD


def add_pages() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for model in admin.site._registry
    )


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
def test_every_add_form_of_the_admin_passes_axe(
    browser: Browsers, hospital: str, screen: Screen
) -> None:
    visitor = Visitor.open(browser, hospital, screen, "admin-add")
    visitor.sign_in("admin", DEMO_PASSWORD)
    problems, checked = [], 0
    for path in add_pages():
        answer = visitor.page.goto(hospital + path)
        assert answer is not None
        if answer.status == 403:  # an add nobody may do (the access log, the outbox)
            continue
        assert answer.status == 200, (path, answer.status)
        checked += 1
        visitor.page.add_script_tag(path=str(AXE_SCRIPT))
        problems += [f"{path}: {found}" for found in visitor.page.evaluate(AXE, WCAG_22_AA)]
    assert checked >= 5
    assert problems == [], "\n".join(problems)
    visitor.context.close()
