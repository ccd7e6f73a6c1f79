"""The outbox's own queries and deletions, for the sweep and retention: the other
apps ask these, never the table."""

from datetime import timedelta

from django.utils import timezone

from peersupport.notices.models import Delivery, Kind, Message, enqueue, keys_of, purge_sent
from peersupport.test import BaseTestCase


class OutboxApiTests(BaseTestCase):
    def test_keys_of_gives_the_keys_of_those_kinds_only_sent_or_not(self) -> None:
        enqueue(recipient_id=self.alice_user.pk, kind=Kind.FIRST_CONTACT_AT_RISK,
                path="/cases/1/", dedupe_key="at_risk:1:100:7")  # fmt: skip
        late = enqueue(recipient_id=self.alice_user.pk, kind=Kind.FIRST_CONTACT_LATE,
                       path="/cases/1/", dedupe_key="late:1:200:7")  # fmt: skip
        Message.objects.filter(pk=late.pk).update(status=Delivery.SENT, sent_at=timezone.now())
        enqueue(recipient_id=self.bob_user.pk, kind=Kind.CONVERSATION_REMINDER,
                path="/cases/1/", dedupe_key="conversation:1:x:300")  # fmt: skip
        enqueue(recipient_id=self.bob_user.pk, kind=Kind.FIRST_CONTACT_AT_RISK, path="/cases/2/")
        assert keys_of(Kind.FIRST_CONTACT_AT_RISK, Kind.FIRST_CONTACT_LATE) == {
            "at_risk:1:100:7",
            "late:1:200:7",
        }
        assert keys_of(Kind.INTERVISION_DUE) == set()

    def test_purge_sent_deletes_only_messages_sent_before_the_moment(self) -> None:
        now = timezone.now()
        old_sent, new_sent, waiting, failed = (
            enqueue(recipient_id=self.bob_user.pk, kind=Kind.NEW_CASE, path=f"/cases/{n}/")
            for n in range(4)
        )
        Message.objects.filter(pk=old_sent.pk).update(
            status=Delivery.SENT, sent_at=now - timedelta(days=400)
        )
        Message.objects.filter(pk=new_sent.pk).update(
            status=Delivery.SENT, sent_at=now - timedelta(days=1)
        )
        Message.objects.filter(pk=failed.pk).update(
            status=Delivery.FAILED, created_at=now - timedelta(days=400)
        )
        Message.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=400))
        assert purge_sent(before=now - timedelta(days=30)) == 1
        assert set(Message.objects.values_list("pk", flat=True)) == {
            new_sent.pk,
            waiting.pk,
            failed.pk,
        }
        assert purge_sent(before=now - timedelta(days=30)) == 0
