"""An id or year too large for any row is a 404 (a year: the report's usual 403), logged
like any other request for something that is not there, never a database error."""

from django.urls import reverse

from peersupport.audit.models import AccessLogEntry
from peersupport.test import PASSWORD, BaseTestCase

HUGE = 9999999999999999999999999


class OutOfRangeIdTests(BaseTestCase):
    def test_case_event_report_and_calendar_addresses_answer_404_and_are_logged(self) -> None:
        assert self.client.login(username="alice", password=PASSWORD)
        # A year outside the report's range is refused as /reports/1999/ always was.
        gets = [
            (reverse("cases:detail", args=[HUGE]), 404),
            (reverse("cases:match", args=[HUGE]), 404),
            (reverse("cases:conversation_ics", args=[HUGE, 1]), 404),
            (reverse("cases:event", args=[HUGE]), 404),
            (reverse("reports:annual", args=[HUGE]), 403),
            (reverse("reports:pdf", args=[HUGE]), 403),
            (reverse("reports:csv", args=[HUGE]), 403),
        ]
        for url, expected in gets:
            before = AccessLogEntry.objects.count()
            assert self.client.get(url).status_code == expected, url
            refused = AccessLogEntry.objects.order_by("pk").last()
            assert AccessLogEntry.objects.count() == before + 1, url
            assert refused is not None and refused.object_id is None, url
        for url in (
            reverse("cases:assign", args=[HUGE]),
            reverse("cases:step", args=[HUGE, "offer"]),
            reverse("cases:group_session", args=[HUGE]),
            reverse("cases:remove_shift", args=[HUGE]),
        ):
            assert self.client.post(url).status_code == 404, url

    def test_the_employee_answer_to_a_huge_case_id_is_404(self) -> None:
        assert self.client.login(username="erin", password=PASSWORD)
        assert (
            self.client.post(reverse("support:respond", args=[HUGE, "accept"])).status_code == 404
        )
        assert AccessLogEntry.objects.filter(object_type="case", object_id=None).exists()
