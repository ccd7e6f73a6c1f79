"""A person at a browser: real Chromium (Debian's package, never a downloaded one)
driven by Playwright, with every page they reach checked by axe-core for WCAG 2.1 AA,
checked for fitting the screen, and photographed into ``test-artifacts/``.

``make test`` installs Chromium and axe-core (``scripts/test-tools``)."""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Frame, Page, sync_playwright

ROOT = Path(settings.BASE_DIR)
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Chromium on a machine without internet: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    locale: str


DESKTOP = Screen("desktop", 1280, 900, "en-GB")
# A phone, and the hospital's own language: the Dutch pages get the same checks.
PHONE = Screen("phone", 375, 740, "nl-NL")


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        raise RuntimeError(
            "Chromium is not installed; `make test` installs it (scripts/test-tools)."
        )
    return found


@contextmanager
def chromium() -> Iterator[Callable[[Screen], Browser]]:
    """Chromium per language: its own controls (a date field's order of day and month)
    follow the language the browser was started in, not the page's."""
    if not AXE_SCRIPT.exists():
        raise RuntimeError("axe-core is not installed; `make test` installs it (npm ci).")
    with sync_playwright() as playwright:
        browsers: dict[str, Browser] = {}

        def browser_for(screen: Screen) -> Browser:
            if screen.locale not in browsers:
                browsers[screen.locale] = playwright.chromium.launch(
                    executable_path=chromium_path(),
                    args=[*CHROMIUM_ARGS, f"--lang={screen.locale}"],
                )
            return browsers[screen.locale]

        try:
            yield browser_for
        finally:
            for browser in browsers.values():
                browser.close()


@dataclass
class Visitor:
    """One person's browser tab. Every page the tab lands on must pass ``check``
    before the journey goes on; ``finish`` fails if one was not checked."""

    page: Page
    context: BrowserContext
    base_url: str
    screen: Screen
    journey: str
    shots: int = 0
    unchecked: list[str] = field(default_factory=list)

    @classmethod
    def open(
        cls, browsers: Callable[[Screen], Browser], base_url: str, screen: Screen, journey: str
    ) -> "Visitor":
        # The page's own CSP forbids inline scripts; axe is injected as one, so only
        # the test browser is allowed to bypass it.
        context = browsers(screen).new_context(
            viewport={"width": screen.width, "height": screen.height},
            locale=screen.locale,
            bypass_csp=True,
        )
        page = context.new_page()
        visitor = cls(page, context, base_url, screen, journey)

        def landed(frame: Frame) -> None:
            if frame == page.main_frame:
                visitor.unchecked.append(frame.url)

        page.on("framenavigated", landed)
        return visitor

    def go(self, path: str, step: str) -> None:
        self.page.goto(self.base_url + path)
        self.check(step)

    def sign_in(self, username: str, password: str) -> None:
        self.go("/login/", "sign-in")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.press("#id_password", "Enter")
        self.check(f"signed-in-{username}")

    def submit(self, button_selector: str, step: str) -> None:
        """Press a button that sends a form, wait for the next page and check it."""
        with self.page.expect_navigation():
            self.page.click(button_selector)
        self.check(step)

    def check(self, step: str) -> None:
        """The page as a user meets it: no WCAG 2.1 AA violation, nothing wider than
        the screen, a title; and a screenshot for people to look at."""
        page = self.page
        page.wait_for_load_state("load")
        self.shots += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = f"{self.journey}-{self.screen.name}-{self.shots:02d}-{slug(step)}.png"
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        page.add_script_tag(path=str(AXE_SCRIPT))
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
            }""",
            WCAG_21_AA,
        )
        where = f"{step} at {page.url} on the {self.screen.name}"
        assert violations == [], f"axe found WCAG 2.1 AA violations on {where}: {violations}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.screen.width, f"{where} is {width}px wide, wider than the screen"
        assert page.title(), f"{where} has no title"
        self.unchecked.clear()

    def finish(self) -> None:
        assert self.unchecked == [], f"pages reached but never checked: {self.unchecked}"
        self.context.close()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
