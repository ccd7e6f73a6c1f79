"""Assigning and reassigning tell the people it concerns, once each, through the
outbox and without content: the new supporter, the old one, and the employee."""

from peersupport.notices.models import Kind, Message
from peersupport.test import PASSWORD, BaseTestCase


class AssignmentNoticeTests(BaseTestCase):
    def setUp(self) -> None:
        self.case = self.open_case()
        assert self.client.login(username="alice", password=PASSWORD)

    def messages(self) -> list[tuple[int | None, str, str]]:
        return sorted(
            (m.recipient_id, m.kind, m.path)
            for m in Message.objects.exclude(kind=Kind.REQUEST_RECEIVED)
        )

    def test_assigning_tells_the_supporter_and_the_employee_once_each(self) -> None:
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        assert response.status_code == 302
        assert self.messages() == sorted(
            [
                (self.bob_user.pk, Kind.NEW_CASE, f"/cases/{self.case.pk}/"),
                (self.erin_user.pk, Kind.SUPPORTER_ASSIGNED, "/me/"),
            ]
        )

    def test_reassigning_tells_the_old_and_the_new_supporter_and_the_employee(self) -> None:
        self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        Message.objects.all().delete()
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {
                "supporter": self.charlie_supporter.pk,
                "expected": self.bob_supporter.pk,
                "reason": "employee_preference",
            },
        )
        assert response.status_code == 302
        assert self.messages() == sorted(
            [
                (self.charlie_user.pk, Kind.NEW_CASE, f"/cases/{self.case.pk}/"),
                (self.bob_user.pk, Kind.CASE_REASSIGNED, "/cases/"),
                (self.erin_user.pk, Kind.SUPPORTER_ASSIGNED, "/me/"),
            ]
        )

    def test_a_refused_reassignment_tells_nobody(self) -> None:
        self.client.post(
            f"/cases/{self.case.pk}/assign/", {"supporter": self.bob_supporter.pk, "expected": ""}
        )
        Message.objects.all().delete()
        response = self.client.post(
            f"/cases/{self.case.pk}/assign/",
            {"supporter": self.charlie_supporter.pk, "expected": self.bob_supporter.pk},
        )  # no reason: back to the matching page with the error
        assert response.status_code == 302
        assert self.case.history.filter(action="reassign").count() == 0
        assert self.messages() == []

    def test_an_employee_without_an_account_is_not_written_to(self) -> None:
        self.erin.user = None
        self.erin.save()
        self.case.assign(self.bob_supporter, by=self.alice_user)
        assert [k for _r, k, _p in self.messages()] == [Kind.NEW_CASE]
