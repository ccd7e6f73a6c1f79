"""Every page each role can reach, checked as an auditor would (WCAG 2.2 AA).

For each role of the demo hospital: walk every link from the role's home, add the
pages nothing links to (every argument-free page docs/access-matrix.txt opens to the
role), and check each kind of page (one per route and set of query keys) in English
at desktop width and in Dutch at 375 and 320 pixels: axe-core with the WCAG 2.2 A/AA
tags, nothing wider than the screen, no separator ("·") alone on a line, one <h1>, a
title, the right lang, unique ids.
Then every form on those pages is sent empty and its error state checked the same way,
and for a title starting "Error:" / "Fout:" and focus on the error summary.
The page counts per role are printed in the closing note of the test run."""

import sys
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from playwright.sync_api import Browser, BrowserContext, Page

from peersupport.people.models import User
from peersupport.tests.browser import ARTIFACTS, AXE_SCRIPT, DESKTOP, PHONE, Screen
from peersupport.tests.conftest import Browsers
from peersupport.tests.test_access_matrix import read_matrix

# The crawl drives one browser through some hundred pages; running it once, in the
# PostgreSQL run that `make test` always makes, keeps the suite's time modest.
pytestmark = pytest.mark.postgresql

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NARROWEST = 320
# Demo accounts and the column of the access matrix that describes them.
ROLES = {
    "anonymous": "anonymous",
    "employee": "employee",
    "manager": "referrer",
    "supporter": "supporter",
    "coordinator": "coordinator",
    "hr": "hr",
    "board": "board",
    "cag": "employee",
    "admin": "admin",
}
# Not pages: files to download, the API's data, and the ways out.
NOT_PAGES = ("/static/", "/media/", "/logout/", "/i18n/", "/health")
FILES = (".pdf", ".csv", ".ics", ".json", ".xlsx", ".png", ".jpg", ".svg")
# The sign-in and two-factor forms are checked as pages; their error states belong to
# the sign-in library's own pages, which replace these.
NOT_SENT_EMPTY = ("/login/", "/account/")
SUMMARY: dict[str, str] = {}
ROOT_ARTIFACTS = ARTIFACTS.parent
LOG = ROOT_ARTIFACTS / "crawl.txt"

PAGE_FACTS = """() => {
    const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
    return {
        title: document.title.trim(),
        lang: document.documentElement.lang,
        h1: document.querySelectorAll('h1').length,
        duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
        width: document.documentElement.scrollWidth,
        links: [...document.querySelectorAll('a[href]:not([download])')].map(a => a.href),
    };
}"""
AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
        v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
# Send a form empty: text cleared, nothing chosen, no button's name sent.
SEND_EMPTY = """(index) => {
    const form = document.querySelectorAll('main form[method=post]')[index];
    for (const input of form.querySelectorAll('input, textarea')) {
        if (['hidden', 'submit', 'button'].includes(input.type)) continue;
        if (['checkbox', 'radio'].includes(input.type)) input.checked = false;
        else if (input.type !== 'file') input.value = '';
    }
    for (const select of form.querySelectorAll('select')) select.selectedIndex = -1;
    form.noValidate = true;
    form.requestSubmit();
}"""
# A separator between links ("Open · All") alone on its line: the visible characters
# before and after it in the same block sit on other lines.
LONE_SEPARATORS = r"""() => {
  // A separator ("·") alone on its line: the visible characters before and after it in
  // the same block are on other lines (or there are none).
  const SEPARATORS = "·|•";
  const found = [];
  const isBlock = (el) => !getComputedStyle(el).display.startsWith("inline") && getComputedStyle(el).display !== "contents";
  const rectOf = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    return rects[0] || null;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (![...SEPARATORS].some((s) => node.data.includes(s))) continue;
    let block = node.parentElement;
    while (block && !isBlock(block)) block = block.parentElement;
    if (!block || seen.has(block)) continue;
    seen.add(block);
    const chars = [];
    const inner = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let t = inner.nextNode(); t; t = inner.nextNode()) {
      for (let i = 0; i < t.data.length; i++) if (t.data[i].trim()) chars.push([t, i]);
    }
    const rects = chars.map(([t, i]) => rectOf(t, i));
    chars.forEach(([t, i], k) => {
      if (!SEPARATORS.includes(t.data[i]) || !rects[k]) return;
      const line = (r) => r && Math.abs(r.top + r.height / 2 - (rects[k].top + rects[k].height / 2)) < rects[k].height / 2;
      let before = null, after = null;
      for (let j = k - 1; j >= 0 && !before; j--) before = rects[j];
      for (let j = k + 1; j < chars.length && !after; j++) after = rects[j];
      if (!line(before) && !line(after)) {
        found.push(`"${t.data[i]}" alone on a line in <${block.tagName.toLowerCase()}>: ${block.textContent.trim().replace(/\s+/g, " ").slice(0, 80)}`);
      }
    });
  }
  return found;
}"""
FORMS_WITH_FIELDS = """() => [...document.querySelectorAll('main form[method=post]')]
    .map((form, index) => [index, form.querySelector(
        'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea') !== null])
    .filter(([index, fields]) => fields).map(([index]) => index)"""


@dataclass
class Findings:
    pages: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unlinked: dict[str, set[str]] = field(default_factory=dict)


def kind_of_page(url: str) -> str | None:
    """One page per route: ``/cases/12/`` and ``/cases/13/?show=all`` are the same
    kind, and so is every model's list (or form) in Django's admin. None for what is
    not a page of ours."""
    parts = urlsplit(url)
    if parts.path.startswith(NOT_PAGES) or parts.path.endswith(FILES):
        return None
    if "format" in dict(parse_qsl(parts.query)):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    api_data = parts.path.startswith("/api/") and match.view_name != "api-docs"
    if api_data or match.url_name in ("conversation_ics", "logout", "login_passkey_options"):
        return None
    if "admin" in match.namespaces and match.url_name:
        return "admin:" + match.url_name.rsplit("_", 1)[-1]
    return match.route


def signed_in(browser: Browser, screen: Screen, username: str, base_url: str) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": screen.width, "height": screen.height},
        locale=screen.locale,
        bypass_csp=True,  # axe is injected as a script of the test's own
    )
    language = "en" if screen.locale.startswith("en") else "nl"
    host = urlsplit(base_url).hostname
    cookies = [
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}
    ]
    if username != "anonymous":
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}
        )
    context.add_cookies(cookies)  # type: ignore[arg-type]
    return context


def audit(page: Page, screen: Screen, language: str, where: str) -> tuple[list[str], list[str]]:
    found, links = _audit(page, screen, language, where)
    for problem in found:
        print(problem, file=sys.stderr, flush=True)
    return found, links


def _audit(page: Page, screen: Screen, language: str, where: str) -> tuple[list[str], list[str]]:
    """The page's problems, and the links on it."""
    page.wait_for_load_state("load")
    facts = page.evaluate(PAGE_FACTS)
    problems = []
    if not facts["title"]:
        problems.append("no title")
    if facts["lang"] != language:
        problems.append(f"lang is {facts['lang']!r}, not {language!r}")
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} <h1> elements")
    if facts["duplicateIds"]:
        problems.append(f"ids used twice: {facts['duplicateIds']}")
    widths = [(screen.width, facts["width"])]
    problems += [f"{lone} at {screen.width}px" for lone in page.evaluate(LONE_SEPARATORS)]
    if screen.width > NARROWEST and screen is PHONE:
        page.set_viewport_size({"width": NARROWEST, "height": screen.height})
        widths.append((NARROWEST, page.evaluate("document.documentElement.scrollWidth")))
        problems += [f"{lone} at {NARROWEST}px" for lone in page.evaluate(LONE_SEPARATORS)]
        page.set_viewport_size({"width": screen.width, "height": screen.height})
    for screen_width, width in widths:
        if width > screen_width:
            problems.append(f"{width}px wide at {screen_width}px")
    page.add_script_tag(path=str(AXE_SCRIPT))
    problems += page.evaluate(AXE, WCAG_22_AA)
    return [f"{where} ({screen.name}): {problem}" for problem in problems], facts["links"]


ERROR_STATE = """() => ({
    invalid: document.querySelectorAll('[aria-invalid=true]').length,
    title: document.title,
    focused: document.activeElement.closest('.error-summary') !== null,
})"""
ERROR_PREFIX = {"en": "Error: ", "nl": "Fout: "}


def error_state(page: Page) -> list[str]:
    """A form sent with mistakes says so in the title, and focus is on its summary."""
    state = page.evaluate(ERROR_STATE)
    if not state["invalid"]:
        return []  # nothing was wrong: a form of optional fields, or a verb
    problems = []
    language = page.evaluate("document.documentElement.lang")
    if not state["title"].startswith(ERROR_PREFIX.get(language, "?")):
        problems.append(f"title without the error prefix: {state['title']!r}")
    if not state["focused"]:
        problems.append("focus is not on the error summary")
    return problems


def crawl(
    browser: Browser, screen: Screen, username: str, base_url: str, findings: Findings
) -> None:
    language = "en" if screen.locale.startswith("en") else "nl"
    context = signed_in(browser, screen, username, base_url)
    page = context.new_page()
    origin = base_url.rstrip("/")
    linked: dict[str, str] = {}  # kind of page: the first address seen for it
    queue: deque[str] = deque([origin + "/"])
    column = ROLES[username]
    unlinked = [
        name
        for name, (method, codes) in read_matrix().items()
        if method == "GET" and codes[column] == 200
    ]
    seeded = False
    while queue or not seeded:
        if not queue:
            # Pages nothing links to: every argument-free page the role may open.
            seeded = True
            for name in unlinked:
                try:
                    url = origin + reverse(name)
                except NoReverseMatch:  # a route that needs arguments is reached by links
                    continue
                kind = kind_of_page(url)
                if kind and kind not in linked:
                    findings.unlinked.setdefault(username, set()).add(urlsplit(url).path)
                    queue.append(url)
            continue
        url = queue.popleft()
        kind = kind_of_page(url)
        if kind is None or kind in linked:
            continue
        linked[kind] = url
        response = page.goto(url)
        assert response is not None
        if response.status >= 500:
            findings.problems.append(f"{username} {url}: HTTP {response.status}")
        if urlsplit(page.url).path != urlsplit(url).path and kind_of_page(page.url) in linked:
            continue  # sent on to a page already checked (a sign-in, a home)
        problems, links = audit(page, screen, language, f"{username} {url[len(origin) :]}")
        findings.problems += problems
        for link in links:
            target = urljoin(page.url, link).split("#")[0]
            if target.startswith(origin):
                queue.append(target)
    findings.pages[f"{username} {screen.name}"] = len(linked)
    # The error states: each form sent empty.
    for url in linked.values():
        page.goto(url)
        if urlsplit(page.url).path.startswith(NOT_SENT_EMPTY):
            continue  # the page, or the sign-in page it sent an anonymous visitor to
        for index in page.evaluate(FORMS_WITH_FIELDS):
            page.goto(url)
            with page.expect_navigation() as sent:
                page.evaluate(SEND_EMPTY, index)
            answer = sent.value
            if answer is not None and answer.status >= 500:
                findings.problems.append(f"{username} {url} form {index}: HTTP {answer.status}")
            where = f"{username} {url[len(origin) :]} form {index} sent empty"
            problems, _links = audit(page, screen, language, where)
            findings.problems += problems
            findings.problems += [f"{where} ({screen.name}): {p}" for p in error_state(page)]
    context.close()


def test_every_page_every_role_reaches_meets_wcag_22_aa(browser: Browsers, hospital: str) -> None:
    findings = Findings()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    for screen in (DESKTOP, PHONE):
        for username in ROLES:
            crawl(browser(screen), screen, username, hospital, findings)
    SUMMARY["crawl"] = (
        "pages per role and screen (each kind of page once; Dutch phone pages also at 320 px): "
        + ", ".join(f"{who} {count}" for who, count in findings.pages.items())
        + "; pages nothing links to: "
        + "; ".join(f"{who} {sorted(paths)}" for who, paths in findings.unlinked.items())
        + f"; findings: {len(findings.problems)}"
    )
    LOG.write_text(SUMMARY["crawl"] + "\n" + "\n".join(findings.problems) + "\n")
    assert findings.problems == [], "\n".join(findings.problems)
