"""Every intake page: the request and case(s) it makes, its refusals, and that a
referrer learns nothing more (R-1 to R-4, R-8, R-14)."""

import re
from datetime import timedelta

from django.utils import timezone

from peersupport.cases.constants import Channel, EventCategory, Status
from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.people.models import Role
from peersupport.test import PASSWORD, BaseTestCase


class IntakeTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    def as_user(self, username: str) -> None:
        assert self.client.login(username=username, password=PASSWORD)

    def event_fields(self, **overrides: object) -> dict[str, object]:
        fields: dict[str, object] = {
            "category": EventCategory.AGGRESSION,
            "event_date": self.yesterday,
            "department": self.ward.pk,
            "employees": [self.erin.pk],
        }
        fields.update(overrides)
        return fields

    def counts(self) -> tuple[int, int, int]:
        return Event.objects.count(), SupportRequest.objects.count(), Case.objects.count()


class ReferrerTests(IntakeTestCase):
    def test_a_manager_refers_and_the_case_waits_for_a_supporter_with_its_clock_running(
        self,
    ) -> None:
        self.as_user("mark")
        response = self.client.post(
            "/requests/manager/", self.event_fields(discussed_with_employee="yes")
        )
        assert response["Location"] == "/requests/received/"
        request = SupportRequest.objects.get()
        assert (request.channel, request.discussed_with_employee, request.referred_by) == (
            Channel.MANAGER,
            True,
            self.mark_user,
        )
        case = Case.objects.get()
        assert (case.employee, case.status, case.event.category) == (
            self.erin,
            Status.NEW,
            "aggression",
        )
        assert case.next_deadline_at == request.received_at + timedelta(hours=72)
        self.as_user("alice")
        listing = self.client.get("/cases/").content.decode()
        assert "Erin Employee" in listing and "Waiting for a supporter" in listing
        assert "71 h left" in listing or "72 h left" in listing

    def test_the_manager_form_shows_the_first_care_steps(self) -> None:
        self.as_user("mark")
        page = self.client.get("/requests/manager/").content.decode()
        assert "First care is yours" in page
        assert "Did you discuss this request with the employee?" in page

    def test_each_referrer_channel_makes_its_request(self) -> None:
        self.as_user("olga")
        for number, channel in enumerate(
            [
                Channel.COLLEAGUE,
                Channel.COMPLAINTS_OFFICER,
                Channel.COMPLAINTS_COMMITTEE,
                Channel.LAWYER,
            ]
        ):
            with self.subTest(channel=channel):
                employee = [self.erin, self.bob, self.charlie, self.hanna][number]
                response = self.client.post(
                    "/requests/refer/", self.event_fields(channel=channel, employees=[employee.pk])
                )
                assert response.status_code == 302
                request = SupportRequest.objects.latest("pk")
                assert request.channel == channel
                assert list(request.cases.values_list("employee", flat=True)) == [employee.pk]
                assert not request.event.offer_mandatory

    def test_the_referrer_sees_received_and_nothing_more_ever(self) -> None:
        self.as_user("mark")
        self.client.post("/requests/manager/", self.event_fields(discussed_with_employee="no"))
        case = Case.objects.get()
        page = self.client.get("/requests/received/").content.decode()
        assert "has been received" in page
        assert "Erin" not in page and f"/cases/{case.pk}/" not in page
        assert self.client.get(f"/cases/{case.pk}/").status_code == 404
        assert self.client.get("/cases/").status_code == 403
        case.assign(self.bob_supporter, by=self.alice_user)
        assert self.client.get(f"/cases/{case.pk}/").status_code == 404

    def test_searching_lists_matching_employees_and_keeps_the_chosen_ones(self) -> None:
        self.as_user("mark")
        page = self.client.post(
            "/requests/refer/", {"q": "Erin", "search": "1", "employees": [self.bob.pk]}
        )
        html = page.content.decode()
        assert f'value="{self.erin.pk}"' in html and f'value="{self.bob.pk}" checked' in html
        assert "Please check the form" not in html
        assert self.counts() == (0, 0, 0)
        by_number = self.client.post(
            "/requests/refer/", {"q": "S-olga", "search": "1"}
        ).content.decode()
        assert "Olga Outsider" in by_number

    def test_bad_input_names_the_field_and_saves_nothing(self) -> None:
        self.as_user("mark")
        future = (timezone.localdate() + timedelta(days=1)).isoformat()
        cases = {
            "category": self.event_fields(category=""),
            "event_date": self.event_fields(event_date=future),
            "department": self.event_fields(department=99999),
            "employees": self.event_fields(employees=[99999]),
            "discussed_with_employee": self.event_fields(),
        }
        for field, data in cases.items():
            with self.subTest(field=field):
                page = self.client.post("/requests/manager/", data)
                assert page.status_code == 200
                assert field in page.context["form"].errors
                html = page.content.decode()
                # The summary's link lands on a control that takes focus, which says
                # it is invalid and what is wrong.
                target = re.search(r'<li><a href="#([\w-]+)">[^<]*</a>', html)
                assert target is not None, html
                control = re.search(
                    rf'<(input|select|textarea)\b[^>]*\bid="{target[1]}"[^>]*>', html
                )
                assert control is not None, f"{field}: #{target[1]} is not a form control"
                assert 'aria-invalid="true"' in control[0]
                described = re.search(r'aria-describedby="([^"]+)"', control[0])
                if described is None:  # a group: its fieldset carries the description
                    described = re.search(
                        rf'<fieldset aria-describedby="([^"]+)">(?:(?!</fieldset>).)*id="{target[1]}"',
                        html,
                        re.S,
                    )
                assert described is not None, f"{field}: nothing describes the error"
                assert all(f'id="{i}"' in html for i in described[1].split())
                assert page.context["form"].errors and "<title>Error: " in html
                assert self.counts() == (0, 0, 0)

    def test_no_employee_chosen_is_refused(self) -> None:
        self.as_user("olga")
        page = self.client.post(
            "/requests/refer/", self.event_fields(channel="colleague", employees=[])
        )
        assert page.context["form"].errors["employees"] == ["Choose at least one employee."]
        assert self.counts() == (0, 0, 0)

    def test_a_leaver_cannot_be_referred(self) -> None:
        self.erin.is_active = False
        self.erin.save()
        self.as_user("olga")
        page = self.client.post("/requests/refer/", self.event_fields(channel="colleague"))
        assert "employees" in page.context["form"].errors
        assert self.counts() == (0, 0, 0)

    def test_intake_pages_need_sign_in(self) -> None:
        for url in (
            "/requests/refer/",
            "/requests/manager/",
            "/requests/proactive/",
            "/requests/ask/",
        ):
            assert self.client.get(url)["Location"].startswith("/login/")


class ProactiveTests(IntakeTestCase):
    def test_the_coordinator_registers_a_calamity_with_several_employees(self) -> None:
        self.as_user("alice")
        response = self.client.post(
            "/requests/proactive/",
            self.event_fields(
                channel=Channel.COORDINATOR,
                category=EventCategory.CALAMITY,
                employees=[self.erin.pk, self.olga.pk, self.hanna.pk],
            ),
        )
        assert response.status_code == 302
        event = Event.objects.get()
        assert event.offer_mandatory
        assert set(event.cases.values_list("employee", flat=True)) == {
            self.erin.pk,
            self.olga.pk,
            self.hanna.pk,
        }
        assert SupportRequest.objects.get().channel == Channel.COORDINATOR

    def test_the_flags_make_the_offer_mandatory_for_any_category(self) -> None:
        self.as_user("alice")
        for flag in ("serious_incident", "reported_to_inspectorate"):
            with self.subTest(flag=flag):
                self.client.post(
                    "/requests/proactive/",
                    self.event_fields(
                        channel=Channel.COORDINATOR,
                        category=EventCategory.COMPLAINT,
                        **{flag: "on"},
                    ),
                )
                assert Event.objects.latest("pk").offer_mandatory
        self.client.post(
            "/requests/proactive/",
            self.event_fields(channel=Channel.COORDINATOR, category=EventCategory.COMPLAINT),
        )
        assert not Event.objects.latest("pk").offer_mandatory

    def test_the_calamity_advisory_group_may_register(self) -> None:
        self.olga_user.roles.create(role=Role.CALAMITY_GROUP)
        self.as_user("olga")
        response = self.client.post(
            "/requests/proactive/",
            self.event_fields(
                channel=Channel.CALAMITY_GROUP, category=EventCategory.DISCIPLINARY_LEGAL
            ),
        )
        assert response.status_code == 302
        assert Event.objects.get().offer_mandatory

    def test_other_roles_may_not_register_proactively(self) -> None:
        for username in ("bob", "erin", "mark", "hanna", "boris"):
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get("/requests/proactive/").status_code == 403
                assert (
                    self.client.post(
                        "/requests/proactive/", self.event_fields(channel="coordinator")
                    ).status_code
                    == 403
                )
        assert self.counts() == (0, 0, 0)


class SelfRequestTests(IntakeTestCase):
    def ask(self, **fields: object) -> Case:
        self.as_user("erin")
        response = self.client.post(
            "/requests/ask/", {"category": "other", "event_date": self.yesterday, **fields}
        )
        assert response["Location"] == "/requests/asked/"
        return Case.objects.get(employee=self.erin)

    def test_the_named_supporter_takes_it_when_available(self) -> None:
        case = self.ask(supporter=self.bob_supporter.pk)
        assert case.supporter == self.bob_supporter
        assert case.status == Status.ASSIGNED
        assert case.request.channel == Channel.SELF_DIRECTORY
        assert case.event.department == self.erin.department
        assert (
            "Bob Supporter will call you within 72 hours"
            in self.client.get("/requests/asked/").content.decode()
        )

    def test_a_named_supporter_at_capacity_sends_it_to_the_coordinator_kindly(self) -> None:
        self.bob_supporter.capacity = 0
        self.bob_supporter.save()
        case = self.ask(supporter=self.bob_supporter.pk)
        assert case.supporter is None and case.status == Status.NEW
        assert case.request.requested_supporter == self.bob_supporter
        page = self.client.get("/requests/asked/").content.decode()
        assert "cannot take on a conversation right now" in page and "no reflection on you" in page

    def test_letting_the_coordinator_choose(self) -> None:
        case = self.ask()
        assert case.request.channel == Channel.SELF_COORDINATOR
        assert case.event.event_date.isoformat() == self.yesterday
        assert (
            "The coordinator will find a colleague"
            in self.client.get("/requests/asked/").content.decode()
        )

    def test_the_form_is_short_and_lists_only_trained_listed_supporters_not_oneself(self) -> None:
        self.bob_supporter.listed_in_directory = False
        self.bob_supporter.save()
        self.as_user("charlie")
        page = self.client.get("/requests/ask/")
        assert set(page.context["form"].fields) == {"supporter", "category", "event_date"}
        assert list(page.context["form"].fields["supporter"].queryset) == []

    def test_an_unlisted_supporter_cannot_be_forced_by_a_crafted_post(self) -> None:
        self.bob_supporter.listed_in_directory = False
        self.bob_supporter.save()
        self.as_user("erin")
        page = self.client.post(
            "/requests/ask/", {"category": "other", "supporter": self.bob_supporter.pk}
        )
        assert "supporter" in page.context["form"].errors
        assert self.counts() == (0, 0, 0)

    def test_an_account_without_an_employee_record_cannot_ask(self) -> None:
        from peersupport.people.models import User

        User.objects.create_user("nobody", password=PASSWORD)
        self.as_user("nobody")
        assert self.client.get("/requests/ask/").status_code == 403

    def test_the_home_page_offers_help_in_one_click(self) -> None:
        self.as_user("erin")
        assert 'href="/requests/ask/"' in self.client.get("/").content.decode()
