"""The browser tests' shared fixtures: one Chromium per module, and the demo hospital
served by a live server."""

import os
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from peersupport.tests.browser import Screen, chromium

Browsers = Callable[[Screen], Browser]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browsers]:
    # Playwright's synchronous API keeps an event loop in this thread, which makes
    # Django's guard refuse the ORM calls the tests make to set up and read back.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with chromium() as browser:
            yield browser
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def hospital(transactional_db: None, live_server: LiveServer) -> str:
    """The demo hospital `make run` shows, served by a live server; its address."""
    call_command("loaddemo", stdout=StringIO())
    return live_server.url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The crawl's page counts per role, in the closing note of the run."""
    from peersupport.tests.test_crawl import SUMMARY

    if "crawl" in SUMMARY:
        terminalreporter.write_sep("-", "accessibility crawl")
        terminalreporter.write_line(SUMMARY["crawl"])
