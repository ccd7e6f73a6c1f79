"""The crawl's check for a separator alone on its line ("Open" / "·" / "All" on a
phone), tried on the markup that had it and on the markup that fixed it."""

from peersupport.tests.browser import PHONE
from peersupport.tests.conftest import Browsers
from peersupport.tests.test_crawl import LONE_SEPARATORS, NARROWEST


def lone_separators(browser: Browsers, body: str) -> list[str]:
    page = browser(PHONE).new_page(viewport={"width": NARROWEST, "height": 600})
    try:
        page.set_content(f"<!doctype html><html lang=nl><body>{body}</body></html>")
        return list(page.evaluate(LONE_SEPARATORS))
    finally:
        page.close()


def test_a_separator_between_items_stacked_on_a_phone_is_found(browser: Browsers) -> None:
    # The case list's filter before the fix: a column of flex items, the "·" one of them.
    stacked = (
        '<p style="display: flex; flex-direction: column">'
        '<strong>Open</strong> · <a href="?show=all">Alle</a></p>'
    )
    found = lone_separators(browser, stacked)
    assert len(found) == 1 and "Open · Alle" in found[0]


def test_a_separator_bound_to_the_word_before_it_is_not(browser: Browsers) -> None:
    assert (
        lone_separators(browser, '<p><strong>Open</strong>&nbsp;· <a href="?">Alle</a></p>') == []
    )
    # Nor one in a line of text that wraps, nor the separator of a page title.
    text = "<p>" + " · ".join(["Intervisiebijeenkomsten"] * 8) + "</p>"
    assert lone_separators(browser, text) == []
