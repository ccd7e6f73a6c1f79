"""The supporter's and the employee's journeys through the real pages (R-9 to R-11,
R-13, R-16, R-20)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from icalendar import Calendar

from peersupport.audit.models import AccessLogEntry
from peersupport.cases.constants import Action, ConversationMode, Reason, Status
from peersupport.cases.models import Conversation, Referral
from peersupport.people.models import DeletionRequest
from peersupport.test import PASSWORD, BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)  # a Monday, four weeks before summer time


class JourneyTestCase(BaseTestCase):
    def setUp(self) -> None:
        with time_machine.travel(START, tick=False):
            self.case = self.open_case()
            self.case.assign(self.bob_supporter, by=self.alice_user)

    def as_user(self, username: str) -> None:
        assert self.client.login(username=username, password=PASSWORD)

    def step(self, action: str, **fields: object) -> object:
        data = {f"{action}-{name}": value for name, value in fields.items()}
        return self.client.post(f"/cases/{self.case.pk}/steps/{action}/", data)

    def offer(self) -> object:
        """Reached the employee just now, by phone."""
        now = timezone.localtime()
        return self.step(
            "offer", day=now.date().isoformat(), time=now.strftime("%H:%M"), mode="phone"
        )

    def conversation(
        self, action: str, number: int, moment: datetime, mode: str = "in_person"
    ) -> object:
        return self.step(
            action,
            number=number,
            day=moment.date().isoformat(),
            time=moment.strftime("%H:%M"),
            mode=mode,
        )


class SupporterJourneyTests(JourneyTestCase):
    def test_from_assignment_through_three_conversations_to_closure(self) -> None:
        self.as_user("bob")
        first, second, third = (
            START + timedelta(days=1, hours=5),
            START + timedelta(days=13),
            START + timedelta(days=34, hours=2),
        )
        with time_machine.travel(START + timedelta(hours=3), tick=False):
            assert self.step("contact_attempt").status_code == 302  # type: ignore[attr-defined]
            assert self.offer().status_code == 302  # type: ignore[attr-defined]
            assert self.step("accept").status_code == 302  # type: ignore[attr-defined]
            assert self.conversation("plan_conversation", 1, first).status_code == 302  # type: ignore[attr-defined]
        with time_machine.travel(first + timedelta(hours=1), tick=False):
            self.conversation("hold_conversation", 1, first)
            self.conversation("plan_conversation", 2, second, mode="phone")
        with time_machine.travel(second + timedelta(hours=1), tick=False):
            self.conversation("hold_conversation", 2, second, mode="phone")
            self.case.refresh_from_db()
            assert self.case.next_deadline_at is None  # two is the standard
            self.conversation("plan_conversation", 3, third, mode="video")
            self.case.refresh_from_db()
            assert self.case.next_deadline_kind == "third_conversation"
        with time_machine.travel(third + timedelta(hours=1), tick=False):
            self.conversation("hold_conversation", 3, third, mode="video")
            assert self.step("close", reason=Reason.RECOVERED).status_code == 302  # type: ignore[attr-defined]
        self.case.refresh_from_db()
        assert (self.case.status, self.case.closure_reason) == (Status.CLOSED, Reason.RECOVERED)
        held = {c.number: c.held_at for c in Conversation.objects.filter(case=self.case)}
        assert held == {1: first, 2: second, 3: third}  # third is in summer time, still 11:00 local
        assert held[3] is not None and held[3].astimezone(AMS).hour == 11
        assert [h.action for h in self.case.history.all()] == [
            "open",
            "assign",
            "contact_attempt",
            "offer",
            "accept",
            "plan_conversation",
            "hold_conversation",
            "plan_conversation",
            "hold_conversation",
            "plan_conversation",
            "hold_conversation",
            "close",
        ]

    def test_a_journey_that_ends_in_a_referral(self) -> None:
        self.as_user("bob")
        with time_machine.travel(START + timedelta(hours=2), tick=False):
            self.offer()
            self.step("accept")
            self.conversation("hold_conversation", 1, START + timedelta(hours=1))
            response = self.step("refer", kind="psychologist", route="hr", consent="yes")
            assert response.status_code == 302  # type: ignore[attr-defined]
            self.step("close", reason=Reason.REFERRED)
        referral = Referral.objects.get(case=self.case)
        assert (referral.kind, referral.route, referral.consent) == ("psychologist", "hr", True)
        self.case.refresh_from_db()
        assert (self.case.status, self.case.closure_reason) == (Status.CLOSED, Reason.REFERRED)

    def test_no_answer_after_the_policy_number_of_calls(self) -> None:
        self.as_user("bob")
        for _call in range(3):
            self.step("contact_attempt")
        self.step("no_answer")
        self.case.refresh_from_db()
        assert (self.case.status, self.case.contact_attempts) == (Status.NO_ANSWER, 3)

    def test_bad_input_names_the_field_and_saves_nothing(self) -> None:
        self.as_user("bob")
        self.offer()
        self.step("accept")
        future = START + timedelta(days=400)
        response = self.conversation("hold_conversation", 1, future)
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert "day" in response.context["forms"]["hold_conversation"].errors  # type: ignore[attr-defined]
        response = self.step(
            "hold_conversation", number=1, day="2026-13-01", time="25:00", mode="x"
        )
        errors = response.context["forms"]["hold_conversation"].errors  # type: ignore[attr-defined]
        assert {"day", "time", "mode"} <= set(errors)
        response = self.step("close", reason="because")
        assert "reason" in response.context["forms"]["close"].errors  # type: ignore[attr-defined]
        assert not Conversation.objects.exists()
        self.case.refresh_from_db()
        assert self.case.status == Status.ACCEPTED

    def test_a_step_the_workflow_does_not_allow_is_refused_with_a_message(self) -> None:
        self.as_user("bob")
        response = self.client.post(f"/cases/{self.case.pk}/steps/accept/", follow=True)
        assert "is not possible for a case that is" in response.content.decode()
        self.case.refresh_from_db()
        assert self.case.status == Status.ASSIGNED

    def test_fields_posted_beyond_the_form_change_nothing(self) -> None:
        self.as_user("bob")
        self.client.post(
            f"/cases/{self.case.pk}/steps/offer/",
            {
                "status": "closed",
                "supporter": self.charlie_supporter.pk,
                "closure_reason": "other",
                "contact_attempts": 9,
            },
        )
        self.client.post(
            f"/cases/{self.case.pk}/steps/close/",
            {
                "close-reason": "recovered",
                "status": "new",
                "employee": self.olga.pk,
                "closed_at": "2020-01-01",
            },
        )
        self.case.refresh_from_db()
        assert (self.case.supporter, self.case.employee, self.case.contact_attempts) == (
            self.bob_supporter,
            self.erin,
            0,
        )
        assert self.case.status == Status.CLOSED and self.case.closed_at.year == 2026  # type: ignore[union-attr]

    def test_an_unknown_step_is_not_found(self) -> None:
        self.as_user("bob")
        assert self.client.post(f"/cases/{self.case.pk}/steps/assign/").status_code == 404
        assert self.client.post(f"/cases/{self.case.pk}/steps/nonsense/").status_code == 404

    def test_only_the_coordinator_reopens_from_the_case_page(self) -> None:
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.case.decline(by=self.erin_user)
        self.as_user("bob")
        assert self.client.post(f"/cases/{self.case.pk}/steps/reopen/").status_code == 404
        self.as_user("alice")
        self.client.post(f"/cases/{self.case.pk}/steps/reopen/")
        self.case.refresh_from_db()
        assert self.case.status == Status.NEW

    def test_the_case_page_shows_the_allowed_steps_and_the_guide(self) -> None:
        self.as_user("bob")
        html = self.client.get(f"/cases/{self.case.pk}/").content.decode()
        assert "Reached them and offered support" in html and "Called, no answer" in html
        assert "They accepted" not in html  # not before the offer
        assert "Conversation guide" in html and "let off steam" in html


class ForbiddenTests(JourneyTestCase):
    def test_another_supporter_cannot_see_or_change_the_case(self) -> None:
        self.as_user("charlie")
        assert self.client.get(f"/cases/{self.case.pk}/").status_code == 404
        for action in ("offer", "contact_attempt", "close"):
            assert (
                self.client.post(
                    f"/cases/{self.case.pk}/steps/{action}/", {"close-reason": "recovered"}
                ).status_code
                == 404
            )
        self.case.refresh_from_db()
        assert (self.case.status, self.case.contact_attempts) == (Status.ASSIGNED, 0)

    def test_hr_managers_and_the_board_cannot_see_or_change_cases(self) -> None:
        for username in ("hanna", "mark", "boris", "olga"):
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get(f"/cases/{self.case.pk}/").status_code == 404
                assert self.client.post(f"/cases/{self.case.pk}/steps/offer/").status_code == 404
                assert self.client.post(f"/me/cases/{self.case.pk}/decline/").status_code == 404
        self.case.refresh_from_db()
        assert self.case.status == Status.ASSIGNED

    def test_the_employee_cannot_record_the_supporters_steps(self) -> None:
        self.as_user("erin")
        assert self.client.post(f"/cases/{self.case.pk}/steps/offer/").status_code == 404


class CalendarTests(JourneyTestCase):
    def test_the_ics_parses_and_holds_the_amsterdam_time_and_no_name(self) -> None:
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.case.accept(by=self.erin_user)
        moment = datetime(2026, 4, 2, 14, 30, tzinfo=AMS)  # summer time
        with time_machine.travel(START, tick=False):
            self.case.plan_conversation(1, moment, "in_person", by=self.bob_user)  # type: ignore[arg-type]
        self.as_user("bob")
        response = self.client.get(f"/cases/{self.case.pk}/conversations/1.ics")
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        event = next(iter(calendar.walk("VEVENT")))
        start = event.decoded("dtstart")
        assert start == moment and start.utcoffset() == timedelta(hours=2)
        assert str(start.tzinfo) in ("Europe/Amsterdam", "CEST")
        text = response.content.decode()
        assert "Erin" not in text and "incident" not in text.lower()
        assert str(event["summary"]) == "Peer Support conversation 1"

    def test_the_ics_is_stamped_when_made_and_a_new_plan_raises_its_sequence(self) -> None:
        with time_machine.travel(START, tick=False):
            self.case.record_offer(mode="phone", by=self.bob_user)
            self.case.accept(by=self.erin_user)
            self.case.plan_conversation(
                1,
                START + timedelta(days=2),
                ConversationMode.PHONE,
                by=self.bob_user,
            )
        self.as_user("bob")
        made = START + timedelta(hours=5)

        def event() -> object:
            with time_machine.travel(made, tick=False):
                response = self.client.get(f"/cases/{self.case.pk}/conversations/1.ics")
            return next(iter(Calendar.from_ical(response.content).walk("VEVENT")))

        first = event()
        assert first.decoded("dtstamp") == made  # type: ignore[attr-defined]
        assert int(first["sequence"]) == 0  # type: ignore[index]
        with time_machine.travel(START + timedelta(hours=1), tick=False):
            self.case.plan_conversation(
                1,
                START + timedelta(days=3),
                ConversationMode.PHONE,
                by=self.bob_user,
            )
        replanned = event()
        assert str(replanned["uid"]) == str(first["uid"])  # type: ignore[index]
        assert int(replanned["sequence"]) == 1  # type: ignore[index]
        assert replanned.decoded("dtstart") == START + timedelta(days=3)  # type: ignore[attr-defined]

    def test_no_ics_for_a_conversation_not_planned_or_a_case_not_yours(self) -> None:
        self.as_user("bob")
        assert self.client.get(f"/cases/{self.case.pk}/conversations/2.ics").status_code == 404
        self.as_user("charlie")
        assert self.client.get(f"/cases/{self.case.pk}/conversations/1.ics").status_code == 404


class EmployeeJourneyTests(JourneyTestCase):
    def test_my_support_names_my_supporter_and_how_to_reach_them(self) -> None:
        self.bob_supporter.phone = "+31 30 123 4567"
        self.bob_supporter.save()
        self.as_user("erin")
        html = self.client.get("/me/").content.decode()
        assert "Bob Supporter" in html and 'href="tel:+31301234567"' in html

    def test_declining_is_one_action_with_no_reason_and_reopening_is_in_the_history(self) -> None:
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.as_user("erin")
        page = self.client.get("/me/").content.decode()
        assert (
            "No thank you" in page
            and "reason" not in page.split("No thank you")[0].split("<form")[-1]
        )
        response = self.client.post(f"/me/cases/{self.case.pk}/decline/")
        assert response["Location"] == "/me/"
        self.case.refresh_from_db()
        assert self.case.status == Status.DECLINED
        self.client.post(f"/me/cases/{self.case.pk}/reopen/")
        self.case.refresh_from_db()
        assert self.case.status == Status.NEW
        actions = list(self.case.history.values_list("action", "by__username"))
        assert actions[-2:] == [(Action.DECLINE, "erin"), (Action.REOPEN, "erin")]

    def test_accepting_in_one_click(self) -> None:
        self.case.record_offer(mode="phone", by=self.bob_user)
        self.as_user("erin")
        self.client.post(f"/me/cases/{self.case.pk}/accept/")
        self.case.refresh_from_db()
        assert self.case.status == Status.ACCEPTED

    def test_an_employee_cannot_answer_for_someone_else(self) -> None:
        other = self.open_case(employee=self.olga)
        self.as_user("erin")
        assert self.client.post(f"/me/cases/{other.pk}/decline/").status_code == 404
        other.refresh_from_db()
        assert other.status == Status.NEW

    def test_my_data_holds_everything_about_me_and_nothing_about_anyone_else(self) -> None:
        with time_machine.travel(START + timedelta(hours=1), tick=False):
            self.case.record_offer(mode="phone", by=self.bob_user)
            self.case.accept(by=self.erin_user)
            self.case.hold_conversation(1, START, "phone", by=self.bob_user)  # type: ignore[arg-type]
        other = self.open_case(employee=self.olga)
        other.assign(self.charlie_supporter, by=self.alice_user)
        self.as_user("erin")
        self.client.get(f"/cases/{self.case.pk}/")
        response = self.client.get("/me/data/?format=json")
        assert response["Content-Disposition"].startswith("attachment")
        data = json.loads(response.content)
        assert data["employee"]["staff_number"] == "S-erin"
        assert data["account"]["username"] == "erin"
        assert [c["case"] for c in data["cases"]] == [self.case.pk]
        mine = data["cases"][0]
        assert mine["supporter"]["name"] == "Bob Supporter"
        assert [c["number"] for c in mine["conversations"]] == [1]
        assert [h["action"] for h in mine["history"]][:3] == ["open", "assign", "offer"]
        assert any(entry["action"] == "view" for entry in data["access_log"])
        assert AccessLogEntry.objects.filter(
            action="export", object_id=self.case.pk, role="employee"
        ).exists()
        text = response.content.decode()
        for stranger in ("Olga", "Charlie", "Mark", "Alice", "alice", "mark", str(other.pk) + ","):
            assert stranger not in text, stranger

    def test_asking_for_deletion_twice_records_one_request(self) -> None:
        self.as_user("erin")
        self.client.post("/me/data/delete/", {"confirm": "yes"})
        self.client.post("/me/data/delete/", {"confirm": "yes"})
        assert DeletionRequest.objects.filter(employee=self.erin).count() == 1
        assert "You asked for deletion on" in self.client.get("/me/data/").content.decode()

    def test_asking_for_deletion_takes_a_confirmation(self) -> None:
        self.as_user("erin")
        asked = self.client.post("/me/data/delete/")
        assert asked.status_code == 200
        assert "Ask for your data to be deleted?" in asked.text
        assert 'name="confirm" value="yes"' in asked.text
        assert not DeletionRequest.objects.filter(employee=self.erin).exists()

    def test_a_deletion_request_can_be_withdrawn_before_it_is_carried_out(self) -> None:
        self.as_user("erin")
        self.client.post("/me/data/delete/", {"confirm": "yes"})
        page = self.client.get("/me/data/").text
        assert "Withdraw the deletion request" in page
        response = self.client.post("/me/data/delete/withdraw/", follow=True)
        assert "Your deletion request is withdrawn" in response.text
        assert not DeletionRequest.objects.filter(employee=self.erin).exists()
        assert "Ask for deletion" in response.text

    def test_a_carried_out_deletion_cannot_be_withdrawn(self) -> None:
        from django.utils import timezone

        done = DeletionRequest.objects.create(employee=self.erin, carried_out_at=timezone.now())
        self.as_user("erin")
        self.client.post("/me/data/delete/withdraw/")
        assert DeletionRequest.objects.filter(pk=done.pk).exists()

    def test_withdrawing_needs_a_post(self) -> None:
        self.as_user("erin")
        assert self.client.get("/me/data/delete/withdraw/").status_code == 405

    def test_the_employee_pages_need_an_employee_record(self) -> None:
        from peersupport.people.models import User

        User.objects.create_user("nobody", password=PASSWORD)
        self.as_user("nobody")
        for url in ("/me/", "/me/data/"):
            assert self.client.get(url).status_code == 403
        assert self.client.post("/me/data/delete/").status_code == 403

    def test_every_look_at_a_case_is_in_the_access_log(self) -> None:
        self.as_user("erin")
        self.client.get(f"/cases/{self.case.pk}/")
        assert AccessLogEntry.objects.filter(
            object_id=self.case.pk, role="employee", action="view"
        ).exists()


class ProfileTests(BaseTestCase):
    def test_a_supporter_edits_their_profile(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        response = self.client.post(
            "/supporters/profile/",
            {
                "phone": "06 1234 5678",
                "capacity": 4,
                "listed_in_directory": "on",
                "departments_known": [self.icu.pk],
                "experience": ["aggression", "calamity"],
                "approach": ["calm"],
                "languages": ["nl", "en"],
                "trained_on": "2020-01-01",
                "is_active": "",
            },
        )
        assert response.status_code == 302
        self.bob_supporter.refresh_from_db()
        assert (self.bob_supporter.phone, self.bob_supporter.capacity) == ("+31612345678", 4)
        assert self.bob_supporter.trained_on.year == 2024 and self.bob_supporter.is_active  # type: ignore[union-attr]
        assert set(self.bob_supporter.experiences.values_list("category", flat=True)) == {
            "aggression",
            "calamity",
        }
        assert list(self.bob_supporter.departments_known.all()) == [self.icu]

    def test_bad_profile_input_names_the_field(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        response = self.client.post(
            "/supporters/profile/", {"phone": "call me maybe", "capacity": 50}
        )
        assert response.status_code == 400
        assert {"phone", "capacity"} <= set(response.context["form"].errors)
        self.bob_supporter.refresh_from_db()
        assert self.bob_supporter.capacity == 3

    def test_absences_are_added_and_checked(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        self.client.post(
            "/supporters/profile/absences/", {"starts_on": "2026-12-24", "ends_on": "2026-12-31"}
        )
        response = self.client.post(
            "/supporters/profile/absences/", {"starts_on": "2026-12-24", "ends_on": "2026-12-01"}
        )
        assert response.status_code == 400 and "ends_on" in response.context["absence_form"].errors
        assert self.bob_supporter.absences.count() == 1

    def test_nobody_else_edits_a_supporters_profile(self) -> None:
        absence = self.bob_supporter.absences.create(starts_on="2026-12-24", ends_on="2026-12-31")
        for username in ("erin", "hanna", "boris", "mark"):
            self.client.login(username=username, password=PASSWORD)
            assert self.client.get("/supporters/profile/").status_code == 403
        self.client.login(username="charlie", password=PASSWORD)
        assert (
            self.client.post(f"/supporters/profile/absences/{absence.pk}/remove/").status_code
            == 404
        )
        assert self.bob_supporter.absences.exists()

    def test_removing_an_absence_or_the_photo_takes_a_confirmation(self) -> None:
        absence = self.bob_supporter.absences.create(starts_on="2026-12-24", ends_on="2026-12-31")
        self.client.login(username="bob", password=PASSWORD)
        url = f"/supporters/profile/absences/{absence.pk}/remove/"
        asked = self.client.post(url)
        assert asked.status_code == 200 and "Remove this absence?" in asked.text
        assert self.bob_supporter.absences.exists()
        assert self.client.post(url, {"confirm": "yes"}).status_code == 302
        assert not self.bob_supporter.absences.exists()
        asked = self.client.post("/supporters/profile/photo/remove/")
        assert asked.status_code == 200 and "Remove your photo?" in asked.text


class InformationTests(BaseTestCase):
    def test_the_information_pages_are_public_in_both_languages(self) -> None:
        for slug in (
            "",
            "what-to-expect/",
            "reactions/",
            "what-makes-it-harder/",
            "examples/",
            "for-managers/",
        ):
            with self.subTest(slug=slug):
                assert self.client.get(f"/info/{slug}").status_code == 200
        assert "nightmares" in self.client.get("/info/reactions/").content.decode()
        dutch = self.client.get("/info/reactions/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        assert "nachtmerries" in dutch
        assert self.client.get("/info/nope/").status_code == 404
