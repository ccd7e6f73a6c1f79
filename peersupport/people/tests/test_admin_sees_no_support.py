"""The administrator runs the application, not the support (R-14, SECURITY.md): no
page of /admin/ shows a case, a request, or an employee's name beside a message;
and a role the administrator grants (themself included) is in the access log and
told to every coordinator."""

import re
from datetime import date
from html import unescape

from django.utils import timezone

from peersupport.audit.models import AccessLogEntry
from peersupport.notices.delivery import render
from peersupport.notices.models import Delivery, Kind, Message, enqueue
from peersupport.people.models import Employee, Role, RoleGrant, User
from peersupport.test import PASSWORD, BaseTestCase

HREF = re.compile(r'href="(/admin/[^"#]*)"')


class AdministratorCrawlTests(BaseTestCase):
    def setUp(self) -> None:
        self.canary_user = User.objects.create_user("qcanary", password=PASSWORD)
        self.canary = Employee.objects.create(
            staff_number="990001",
            name="Quintus Canary",
            email="quintus.canary@hospital.test",
            department=self.ward,
            function=self.nurse,
            user=self.canary_user,
        )
        self.case = self.open_case(employee=self.canary)
        self.case.assign(self.bob_supporter, by=self.alice_user)
        enqueue(recipient_id=self.canary_user.pk, kind=Kind.REQUEST_RECEIVED, path="/me/")
        Message.objects.update(status=Delivery.FAILED, last_error="SMTPRecipientsRefused")
        self.root = User.objects.create_superuser("root", password=PASSWORD)
        RoleGrant.objects.create(user=self.root, role=Role.ADMINISTRATOR)

    def crawl(self) -> dict[str, str]:
        self.client.login(username="root", password=PASSWORD)
        seen: dict[str, str] = {}
        todo = ["/admin/"]
        while todo and len(seen) < 800:
            url = todo.pop()
            if url in seen or "logout" in url:
                continue
            response = self.client.get(url)
            html = unescape(response.content.decode()) if response.status_code == 200 else ""
            seen[url] = html
            todo.extend(unescape(link) for link in HREF.findall(response.content.decode()))
        return seen

    def test_no_admin_page_shows_a_case_a_request_or_a_name_beside_a_message(self) -> None:
        pages = self.crawl()
        assert len(pages) > 40 and "/admin/notices/message/" in pages
        case_words = re.compile(
            rf"\b(Case|Request|Event) ({self.case.pk}|{self.case.request_id}|{self.case.event_id})\b"
        )
        for url, html in pages.items():
            assert not case_words.search(html), url
            assert not re.search(r'href="/cases/\d', html) and 'href="/me/' not in html, url
            for kind in (Kind.REQUEST_RECEIVED, Kind.NEW_CASE):
                assert kind.value not in html and str(kind.label) not in html, url
            if "/notices/" in url:
                for who in ("Quintus", "Canary", "qcanary", "quintus.canary@", "Bob", "bob"):
                    assert who not in html, (url, who)
        parked = pages["/admin/notices/message/"]
        assert "q•••@hospital.test" in parked and "SMTPRecipientsRefused" in parked

    def test_the_outbox_cannot_be_filtered_by_kind_or_recipient_from_the_url(self) -> None:
        """Found from outside: ?kind=request_received&recipient=<id>, then the employee
        list filtered by that user, named who asked for support."""
        self.client.login(username="root", password=PASSWORD)
        for query in (
            "kind=request_received",
            f"recipient={self.canary_user.pk}",
            f"recipient__id={self.canary_user.pk}",
            "kind__startswith=req",
            "path__contains=me",
        ):
            response = self.client.get(f"/admin/notices/message/?{query}")
            assert response.status_code == 400, query  # Django's answer to a refused lookup
        assert self.client.get("/admin/notices/message/?status=failed").status_code == 200


class RoleChangeTests(BaseTestCase):
    def test_a_grant_in_the_admin_is_logged_and_told_to_every_coordinator(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        admin_grant = RoleGrant.objects.create(user=root, role=Role.ADMINISTRATOR)
        self.client.login(username="root", password=PASSWORD)
        now = timezone.localtime()
        response = self.client.post(
            f"/admin/people/user/{root.pk}/change/",
            {
                "username": "root",
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "date_joined_0": now.date().isoformat(),
                "date_joined_1": now.strftime("%H:%M:%S"),
                "roles-TOTAL_FORMS": "2",
                "roles-INITIAL_FORMS": "1",
                "roles-MIN_NUM_FORMS": "0",
                "roles-MAX_NUM_FORMS": "1000",
                "roles-0-id": str(admin_grant.pk),
                "roles-0-user": str(root.pk),
                "roles-0-role": Role.ADMINISTRATOR,
                "roles-1-id": "",
                "roles-1-user": str(root.pk),
                "roles-1-role": Role.COORDINATOR,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert root.has_role(Role.COORDINATOR)
        entry = AccessLogEntry.objects.get(action="grant_coordinator")
        assert (entry.user_id, entry.object_type, entry.object_id) == (root.pk, "user", root.pk)
        told = Message.objects.filter(kind=Kind.ROLE_CHANGED)
        # alice, and root: a coordinator now
        assert set(told.values_list("recipient_id", flat=True)) == {self.alice_user.pk, root.pk}
        body = str(render(told.first(), "a@hospital.test").body)  # type: ignore[arg-type]
        for word in ("root", "coordinator", "Coordinator", str(root.pk) + " "):
            assert word not in body

    def test_withdrawing_a_role_and_the_superuser_flag_are_logged(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        self.client.login(username="root", password=PASSWORD)
        harry = User.objects.create_user("harry", password=PASSWORD)
        grant = RoleGrant.objects.create(user=harry, role=Role.HR)
        response = self.client.post(
            f"/admin/people/user/{harry.pk}/change/",
            {
                "username": "harry",
                "is_active": "on",
                "is_superuser": "on",
                "date_joined_0": date.today().isoformat(),
                "date_joined_1": "12:00:00",
                "roles-TOTAL_FORMS": "1",
                "roles-INITIAL_FORMS": "1",
                "roles-MIN_NUM_FORMS": "0",
                "roles-MAX_NUM_FORMS": "1000",
                "roles-0-id": str(grant.pk),
                "roles-0-user": str(harry.pk),
                "roles-0-role": grant.role,
                "roles-0-DELETE": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        actions = set(
            AccessLogEntry.objects.filter(object_id=harry.pk, user_id=root.pk).values_list(
                "action", flat=True
            )
        )
        assert actions == {"grant_superuser", "withdraw_hr"}
        assert (
            Message.objects.filter(kind=Kind.ROLE_CHANGED, recipient=self.alice_user).count() == 2
        )
