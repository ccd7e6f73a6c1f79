"""Every form of the application, found from the URL map, survives being saved
unchanged, in Dutch and in English: loaded as each role that may see it, submitted
the way a browser would submit it, nothing in the database changes.

A browser drops a date, time or number it cannot read (an ``<input type="date">``
holding ``11-09-2023`` submits an empty value), so the parser below does the same;
that is how a page in Dutch could erase a supporter's training date.

Forms of a single button are verbs (assign, accept, remove): pressing them is meant
to change something, so they are listed by name below. A button-only form that is
not listed, or a POST route of the URL map that no page offers a form for, fails
the test: a form added tomorrow is covered or the test says so."""

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.urls import resolve, reverse

from peersupport.cases.step_views import STEPS
from peersupport.people.models import CallTime, Employee
from peersupport.supporters.models import Supporter
from peersupport.test import PASSWORD, BaseTestCase
from peersupport.tests.test_access_matrix import ROLES, USERS, populate, read_matrix

# Rows that record the visit itself, not anything a form holds.
NOT_COMPARED = {"audit.accesslogentry", "sessions.session"}

# Button-only forms: (route, the one argument that names the verb, if any).
VERBS = {
    ("logout", ""),
    ("set_language", ""),
    ("cases:assign", ""),
    ("cases:remove_shift", ""),
    ("support:delete", ""),
    ("supporters:remove_absence", ""),
    ("supporters:end_absence", ""),
    ("supporters:remove_photo", ""),
    ("reports:publish", ""),  # publishing a year that is over is the verb itself
    ("stay_signed_in", ""),
    ("login_passkey", ""),  # the passkey itself is the input (WebAuthn, in the browser)
    *(("support:respond", answer) for answer in ("accept", "decline", "reopen", "ask_other")),
    *(("cases:step", str(action)) for action, step in STEPS.items() if step.form is None),
}
# POST routes that are not a page's form: the API takes JSON; the single sign-on
# button appears only when a provider is configured (accounts/tests/test_oidc.py).
# Withdrawing a deletion request is offered only while one waits (its own tests are in
# cases/tests/test_journeys.py).
NO_FORM = {"api-requests", "openid_connect_login", "support:withdraw_deletion"}

BROWSER_READABLE = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
    "number": re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"),
}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    editable: bool = False
    submitter: tuple[str, str] | None = None
    selects: dict[str, list[tuple[str, bool, bool]]] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """What a browser would send for each form of a page, left as it was loaded."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.multiple = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        if tag == "form":
            self.form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            return
        form = self.form
        if form is None or "disabled" in attrs:
            return
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            value = attrs.get("value", "")
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit" and form.submitter is None:
                    form.submitter = (name, value)
                return
            if kind != "hidden":
                form.editable = True
            elif name:
                form.hidden.append(name)
            if not name or kind == "file":
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form.fields.append((name, value or "on"))
                return
            pattern = BROWSER_READABLE.get(kind)
            if pattern and not pattern.match(value):
                value = ""
            form.fields.append((name, value))
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit" and form.submitter is None:
                form.submitter = (name, attrs.get("value", ""))
        elif tag == "select":
            form.editable = True
            self.select, self.multiple = name, "multiple" in attrs
            form.selects[name] = []
        elif tag == "option" and self.select is not None:
            form.selects[self.select].append(
                (attrs.get("value", ""), "selected" in attrs, self.multiple)
            )
        elif tag == "textarea":
            form.editable = True
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        form = self.form
        if form is None:
            return
        if tag == "textarea" and self.textarea is not None:
            form.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            for name, options in form.selects.items():
                chosen = [value for value, selected, _multiple in options if selected]
                if not chosen and options and not options[0][2]:
                    chosen = [options[0][0]]  # a single select shows its first option
                form.fields.extend((name, value) for value in chosen)
            if form.submitter and form.submitter[0]:
                form.fields.append(form.submitter)
            self.forms.append(form)
            self.form = None


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label_lower: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_COMPARED
    }


def as_post_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


class FormPages(BaseTestCase):
    """Not a test of its own: the pages whose forms the tests below send."""

    def pages(self) -> list[tuple[str, str]]:
        """(role, URL) for every page of the URL map a role may open, and the case
        pages in the states that show the other steps."""
        args = populate(self)
        offered = self.open_case(event_date=date(2026, 2, 2))
        offered.assign(self.bob_supporter, by=self.alice_user)
        offered.record_offer(mode="phone", by=self.bob_user)
        closed = self.open_case(event_date=date(2026, 2, 3))
        closed.assign(self.charlie_supporter, by=self.alice_user)
        closed.record_offer(mode="phone", by=self.charlie_user)
        closed.decline(by=self.erin_user)
        # The call preference on /me/, filled in: saved unchanged, it stays as it was.
        Employee.objects.filter(pk=self.erin.pk).update(
            preferred_phone="+31612345678", preferred_call_time=CallTime.EVENING
        )
        # The profile offers "remove photo" only to a supporter who has one.
        Supporter.objects.filter(pk=self.bob_supporter.pk).update(photo="photos/0123.jpg")
        pages = []
        for route, (method, expected) in read_matrix().items():
            if method != "GET" or route.startswith(("api-", "admin:")):
                continue
            url = reverse(route, args=args.get(route, []))
            pages += [(role, url) for role in ROLES if expected[role] == 200]
        for case in (offered, closed, args["cases:conversation_ics"][0]):
            url = reverse("cases:detail", args=[getattr(case, "pk", case)])
            pages += [("supporter", url), ("coordinator", url), ("employee", url)]
        return pages


class FormRoundTripTests(FormPages):
    def test_every_form_saved_unchanged_changes_nothing_in_dutch_and_english(self) -> None:
        failures: list[str] = []
        covered: set[tuple[str, str]] = set()
        round_tripped: set[str] = set()
        pages = self.pages()
        for language in ("nl", "en"):
            for role, url in pages:
                self.client.logout()
                if role != "anonymous":
                    assert self.client.login(username=USERS[role], password=PASSWORD)
                self.client.cookies["django_language"] = language
                page = self.client.get(url)
                if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                    continue
                parser = FormParser()
                parser.feed(page.content.decode())
                for form in parser.forms:
                    if form.method != "post":
                        continue
                    target = urlsplit(form.action).path or url
                    match = resolve(target)
                    route = f"{match.namespace}:{match.url_name}".lstrip(":")
                    verb = str(next(iter(match.kwargs.values()), "")) if match.kwargs else ""
                    if route == "cases:step" or route == "support:respond":
                        key = (route, str(match.kwargs["action"]))
                    else:
                        key = (route, "")
                    covered.add((route, key[1]))
                    if not form.editable:
                        if key not in VERBS:
                            failures.append(f"{url} as {role}: a button-only form {key} ({verb})")
                        continue
                    before = snapshot()
                    answer = self.client.post(target, as_post_data(form.fields))
                    after = snapshot()
                    round_tripped.add(f"{route} {key[1]}".strip())
                    if answer.status_code >= 500:
                        failures.append(f"{route} from {url} as {role} ({language}): 500")
                    changed = [label for label in before if before[label] != after[label]]
                    if changed:
                        failures.append(
                            f"{route} {key[1]} from {url} as {role} ({language}) changed {changed}"
                        )
        assert sorted(set(failures)) == []
        posted_routes = {route for route, _verb in covered}
        for route, (method, _expected) in read_matrix().items():
            if method == "POST" and route not in NO_FORM:
                assert route in posted_routes, f"no page offers a form for {route}"
        for action in STEPS:
            assert ("cases:step", str(action)) in covered, f"no page offers the step {action}"
        # HR's step on a hand-over (status and date) among them.
        assert "handovers:detail" in round_tripped
        print("round-tripped:", ", ".join(sorted(round_tripped)))


def sent_empty(form: Form) -> dict[str, list[str]]:
    """What a browser sends for a form whose every field was cleared and nothing
    chosen (the crawl does the same in a browser): hidden fields only."""
    editable = {name for name, _value in form.fields} - set(form.hidden)
    return as_post_data([(n, v) for n, v in form.fields if n not in editable])


class ErrorStateTests(FormPages):
    def test_every_form_sent_empty_says_error_in_the_title_and_focuses_the_summary(
        self,
    ) -> None:
        """WCAG 3.3.1 and 2.4.2: after a failed submit the title starts with "Error:" /
        "Fout:" and the error summary takes focus (autofocus), on every form of the
        application; the case-step forms included."""
        failures: list[str] = []
        failed: set[str] = set()
        pages = self.pages()
        prefix = {"en": "Error: ", "nl": "Fout: "}
        tried: set[tuple[str, str, str, str]] = set()
        for language in ("nl", "en"):
            for role, url in pages:
                self.client.logout()
                if role != "anonymous":
                    assert self.client.login(username=USERS[role], password=PASSWORD)
                self.client.cookies["django_language"] = language
                page = self.client.get(url)
                if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                    continue
                parser = FormParser()
                parser.feed(page.content.decode())
                for form in parser.forms:
                    target = urlsplit(form.action).path or url
                    fields = ",".join(sorted({name for name, _value in form.fields}))
                    key = (language, role, target, fields)
                    if form.method != "post" or not form.editable or key in tried:
                        continue
                    tried.add(key)
                    answer = self.client.post(target, sent_empty(form))
                    html = answer.content.decode()
                    if answer.status_code in (301, 302, 303):
                        continue  # saved or refused with a message: nothing was required
                    # The same page again, or another page: the form was sent with mistakes.
                    match = resolve(target)
                    name = f"{match.namespace}:{match.url_name}".lstrip(":")
                    if match.url_name == "step":
                        name += " " + str(match.kwargs["action"])
                    failed.add(name)
                    title = re.search(r"<title>(.*?)</title>", html, re.S)
                    where = f"{name} from {url} as {role} ({language})"
                    if title is None or not title[1].strip().startswith(prefix[language]):
                        failures.append(f"{where}: title {title[1] if title else None!r}")
                    summaries = re.findall(r'<div class="error-summary"[^>]*\bautofocus\b', html)
                    if len(summaries) != 1:
                        failures.append(f"{where}: {len(summaries)} focused error summaries")
                    if 'aria-invalid="true"' not in html:
                        failures.append(f"{where}: no control marked aria-invalid")
        assert sorted(set(failures)) == []
        # The forms the outside testers found without it are among those checked.
        for step in ("offer", "plan_conversation", "hold_conversation", "refer", "close"):
            assert f"cases:step {step}" in failed, f"the step {step} was not sent with mistakes"
        assert "cases:step correct" in failed
        assert "requests:ask" in failed
        assert "login" in failed
        print("error states checked:", ", ".join(sorted(failed)))
