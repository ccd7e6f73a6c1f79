"""A canary: a unique employee name and the event's category never appear in any
message sent, nor in the application's log output (R-17)."""

import logging
from datetime import timedelta

import time_machine
from django.utils import timezone

from peersupport.cases.models import Case, OnCallShift
from peersupport.cases.reminders import sweep
from peersupport.handovers.models import HandOver
from peersupport.notices.delivery import deliver_due
from peersupport.notices.tests.smtp import free_port, smtp_server, smtp_settings
from peersupport.people.models import Employee
from peersupport.test import PASSWORD, BaseTestCase

CANARY = "Quintessa Canaryfield"


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class CanaryTests(BaseTestCase):
    def test_no_name_and_no_category_in_any_message_or_log_line(self) -> None:
        canary = Employee.objects.create(
            staff_number="C-1",
            name=CANARY,
            email="canary@hospital.test",
            department=self.icu,
            function=self.nurse,
        )
        for user in (self.bob_user, self.alice_user, self.mark_user, self.hanna_user):
            user.email = f"{user.username}@hospital.test"
            user.save()
        root = logging.getLogger()
        handler, level = Everything(), root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        port = free_port()
        try:
            with smtp_server(port) as inbox, smtp_settings(port):
                start = timezone.now()
                OnCallShift.objects.create(
                    coordinator=self.alice_user, starts_at=start, ends_at=start + timedelta(days=7)
                )
                self.client.login(username="mark", password=PASSWORD)
                self.client.post(
                    "/requests/manager/",
                    {
                        "discussed_with_employee": "yes",
                        "employees": [canary.pk],
                        "category": "aggression",
                        "event_date": timezone.localdate().isoformat(),
                        "department": self.icu.pk,
                    },
                )
                # The employee search is a POST, so a name never lands in an access log's URL.
                self.client.post("/requests/manager/", {"q": CANARY.split()[0], "search": "1"})
                case = Case.objects.get(employee=canary)
                self.client.get(f"/cases/{case.pk}/")  # the manager's forbidden look
                self.client.login(username="alice", password=PASSWORD)
                self.client.post(
                    f"/cases/{case.pk}/assign/",
                    {"supporter": self.bob_supporter.pk, "expected": ""},
                )
                for hours in (0, 25, 49, 73):
                    with time_machine.travel(start + timedelta(hours=hours), tick=False):
                        sweep()
                        deliver_due()
                # The supporter refers via HR with consent: HR's e-mail and HR's page.
                case.record_offer(mode="phone", by=self.bob_user)
                case.accept(by=self.bob_user)
                self.client.login(username="bob", password=PASSWORD)
                self.client.post(
                    f"/cases/{case.pk}/steps/refer/",
                    {"refer-kind": "psychologist", "refer-route": "hr", "refer-consent": "yes"},
                )
                deliver_due()
                self.client.login(username="hanna", password=PASSWORD)
                hr_pages = [self.client.get("/"), self.client.get("/handovers/")]
                hand_over = HandOver.objects.get(referral__case=case)
                hr_pages.append(self.client.get(f"/handovers/{hand_over.pk}/"))
                hr_pages.append(
                    self.client.post(
                        f"/handovers/{hand_over.pk}/",
                        {"status": "help_arranged", "on": timezone.localdate().isoformat()},
                    )
                )
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        kinds = {m["Subject"] for m in inbox.messages}
        assert len(inbox.messages) >= 6, kinds  # received, assigned, reminder, at risk, late
        assert any("hanna@hospital.test" in m["To"] for m in inbox.messages), kinds  # HR's
        # HR needs the name to arrange help; never the event's category.
        assert CANARY in hr_pages[2].content.decode()
        for response in hr_pages:
            page = response.content.decode()
            for secret in ("aggression", "Aggression", "Agressie", "agressie"):
                assert secret not in page, secret
        texts = [m.as_string() for m in inbox.messages] + handler.lines
        for text in texts:
            for secret in (
                CANARY,
                "Quintessa",
                "Canaryfield",
                "aggression",
                "Aggression",
                "Agressie",
                "agressie",
            ):
                assert secret not in text, (secret, text[:200])
        assert any("sent" in line for line in handler.lines)  # the log did see the deliveries
