"""E-mail that is never lost and never sent twice, against a real SMTP server (R-17 to R-19)."""

import subprocess
import sys
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from peersupport.cases.models import Case, Event, SupportRequest
from peersupport.cases.reminders import sweep
from peersupport.notices.delivery import claim, deliver_due
from peersupport.notices.models import Delivery, Kind, Message
from peersupport.notices.tests.smtp import free_port, smtp_server, smtp_settings
from peersupport.people.models import Department, Employee, Function, User
from peersupport.supporters.models import Supporter
from peersupport.test import BaseTestCase

AMS = ZoneInfo("Europe/Amsterdam")


class SmtpTests(BaseTestCase):
    def setUp(self) -> None:
        # These follow the supporter's messages: the affected employees here have no
        # account, so an assignment writes to the supporter alone.
        Employee.objects.filter(pk__in=[self.erin.pk, self.olga.pk]).update(user=None)

    def test_a_new_case_reaches_its_supporter_in_their_language_with_a_link(self) -> None:
        self.bob_user.email, self.bob_user.language = "bob@hospital.test", "en"
        self.bob_user.save()
        self.charlie_user.email, self.charlie_user.language = "charlie@hospital.test", "nl"
        self.charlie_user.save()
        first = self.open_case()
        first.assign(self.bob_supporter, by=self.alice_user)
        second = self.open_case(employee=self.olga)
        second.assign(self.charlie_supporter, by=self.alice_user)
        port = free_port()
        with smtp_server(port) as inbox, smtp_settings(port):
            assert deliver_due() == 2
        by_address = {tuple(r): m for r, m in zip(inbox.recipients, inbox.messages, strict=True)}
        to_bob = by_address[("bob@hospital.test",)]
        assert to_bob["Subject"] == "Peer Support: A case was assigned to you"
        body = to_bob.get_body()
        assert body is not None
        assert f"https://peersupport.hospital.test/cases/{first.pk}/" in body.get_content()
        to_charlie = by_address[("charlie@hospital.test",)]
        assert to_charlie["Subject"] == "Peer Support: Er is een traject aan je toegewezen"
        assert "Bekijk het in Peer Support" in to_charlie.get_body().get_content()  # type: ignore[union-attr]
        assert Message.objects.filter(status=Delivery.SENT).count() == 2

    def test_the_mail_server_down_loses_nothing_and_sends_each_once_when_back(self) -> None:
        self.bob_user.email = "bob@hospital.test"
        self.bob_user.save()
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        port = free_port()  # nothing listens here yet: the server is down
        start = timezone.now()
        with smtp_settings(port):
            for minutes in (0, 1, 3, 7):
                with time_machine.travel(start + timedelta(minutes=minutes, seconds=1), tick=False):
                    assert deliver_due() == 0
            message = Message.objects.get(kind=Kind.NEW_CASE)
            assert (message.status, message.attempts) == (Delivery.PENDING, 4)
            assert message.last_error in (
                "ConnectionRefusedError",
                "SMTPConnectError",
                "SMTPServerDisconnected",
            )
            with (
                smtp_server(port) as inbox,
                time_machine.travel(start + timedelta(minutes=20), tick=False),
            ):
                assert deliver_due() == 1
                assert deliver_due() == 0
        assert len(inbox.messages) == 1

    def test_an_unusable_address_is_parked_and_the_worker_goes_on(self) -> None:
        self.bob_user.email = "zoë@hospital.test"  # SMTP takes no accent before the @
        self.bob_user.save()
        self.charlie_user.email = "charlie@hospital.test"
        self.charlie_user.save()
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        self.open_case(employee=self.olga).assign(self.charlie_supporter, by=self.alice_user)
        port = free_port()
        with (
            smtp_server(port) as inbox,
            smtp_settings(port),
            self.assertLogs("peersupport") as logs,
        ):
            assert deliver_due() == 1
        assert inbox.recipients == [["charlie@hospital.test"]]
        parked = Message.objects.get(recipient=self.bob_user)
        assert (parked.status, parked.last_error) == (Delivery.FAILED, "InvalidAddress")
        assert not any("zoë" in line for line in logs.output)

    def test_after_the_last_attempt_a_message_is_parked_as_failed(self) -> None:
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        Message.objects.update(attempts=settings.NOTICE_MAX_ATTEMPTS - 1)
        self.bob_user.email = "bob@hospital.test"
        self.bob_user.save()
        with smtp_settings(free_port()):
            deliver_due()
        assert set(Message.objects.values_list("status", flat=True)) == {Delivery.FAILED}

    def test_a_worker_killed_mid_delivery_leaves_the_message_to_be_retried(self) -> None:
        self.bob_user.email = "bob@hospital.test"
        self.bob_user.save()
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        message = Message.objects.get(kind=Kind.NEW_CASE)
        assert claim(message.pk, timezone.now()) is not None  # ... and then the worker died
        port = free_port()
        with smtp_server(port) as inbox, smtp_settings(port):
            deliver_due()
            assert Message.objects.get(pk=message.pk).status == Delivery.SENDING  # still leased
            later = timezone.now() + timedelta(seconds=settings.NOTICE_LEASE_SECONDS + 1)
            with time_machine.travel(later, tick=False):
                assert deliver_due() == 1
        assert [m["To"] for m in inbox.messages].count("bob@hospital.test") == 1
        assert Message.objects.get(pk=message.pk).status == Delivery.SENT

    def test_a_message_keeps_its_message_id_on_every_attempt(self) -> None:
        from peersupport.notices.delivery import render

        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        message = Message.objects.get(kind=Kind.NEW_CASE)
        first = render(message, "a@b.test").message()["Message-ID"]
        assert first == render(message, "a@b.test").message()["Message-ID"]

    def test_failed_messages_are_visible_to_the_administrator(self) -> None:
        self.open_case().assign(self.bob_supporter, by=self.alice_user)
        Message.objects.update(status=Delivery.FAILED, last_error="SMTPServerDisconnected")
        User.objects.create_superuser("root", password="x")
        self.client.login(username="root", password="x")
        page = self.client.get("/admin/notices/message/?status__exact=failed")
        assert page.status_code == 200 and "SMTPServerDisconnected" in page.content.decode()
        message = Message.objects.get()
        response = self.client.post(
            "/admin/notices/message/",
            {"action": "retry", "_selected_action": [message.pk]},
        )
        assert response.status_code == 302
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Delivery.PENDING, 0)


@pytest.mark.postgresql
class FourWorkersTests(TransactionTestCase):
    """Four worker processes on PostgreSQL and 1,000 due reminders: each sent once."""

    def test_each_reminder_is_sent_exactly_once(self) -> None:
        ward = Department.objects.create(code="W", name="Ward")
        nurse = Function.objects.create(code="N", name="Nurse")
        user = User.objects.create_user("sup", email="sup@hospital.test")
        person = Employee.objects.create(
            staff_number="s", name="S", department=ward, function=nurse, user=user
        )
        supporter = Supporter.objects.create(
            employee=person, trained_on=date(2025, 1, 1), capacity=2000
        )
        people = Employee.objects.bulk_create(
            Employee(staff_number=str(i), name=f"E{i}", department=ward, function=nurse)
            for i in range(1000)
        )
        event = Event.objects.create(
            category="incident", event_date=date(2026, 11, 1), department=ward
        )
        request = SupportRequest.objects.create(event=event, channel="manager")
        long_ago = timezone.now() - timedelta(hours=30)
        Case.objects.bulk_create(
            Case(
                event=event,
                request=request,
                employee=p,
                supporter=supporter,
                status="assigned",
                clock_started_at=long_ago,
            )
            for p in people
        )
        assert sweep() == 1000 + 1  # 1,000 first-contact reminders and one intervision reminder
        assert sweep() == 0
        port = free_port()
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = {
            "DATABASE_URL": url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "PATH": "/usr/bin:/bin",
        }
        with smtp_server(port) as inbox:
            workers = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "deliver", "--until-empty"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
                for _ in range(4)
            ]
            outputs = [w.communicate(timeout=300) for w in workers]
        assert all(w.returncode == 0 for w in workers), outputs
        sent_by = [int(out.decode().split()[0]) for out, _err in outputs]
        assert sum(sent_by) == 1001 and sum(1 for n in sent_by if n > 0) >= 2, sent_by
        ids = [m["Message-ID"] for m in inbox.messages]
        assert len(ids) == 1001 and len(set(ids)) == 1001
        assert Message.objects.filter(status=Delivery.SENT).count() == 1001
        assert sweep() == 0
