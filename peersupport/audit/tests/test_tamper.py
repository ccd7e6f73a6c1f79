"""The access log survives an attack on its own database (R-15): someone with full
write access to the tables, but without the key in the settings, cannot delete,
rewrite or empty the log without `verifylog` saying so; retention's own cut by
position raises no false alarm, whatever the order of the timestamps."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import override_settings
from django.utils import timezone

from peersupport.audit.anchor import anchor_if_due, write_anchor
from peersupport.audit.models import AccessLogEntry, Seal, SealKind, purge_before, record
from peersupport.notices.delivery import deliver_due
from peersupport.notices.models import Message
from peersupport.notices.tests.smtp import free_port, smtp_server, smtp_settings
from peersupport.test import BaseTestCase


@contextmanager
def attacker() -> Iterator[CursorWrapper]:
    """A cursor of someone who owns the database: on PostgreSQL with the triggers
    switched off (only a superuser or the tables' owner can)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor


def write(n: int) -> None:
    for i in range(n):
        record(
            user_id=7,
            role="coordinator",
            action="view",
            object_type="case",
            object_id=100 + i,
            allowed=True,
        )


def verifylog(*args: str) -> str:
    out = StringIO()
    call_command("verifylog", *args, stdout=out)
    return out.getvalue()


class TamperMatrixTests(BaseTestCase):
    def setUp(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry")  # the fixtures' rows
        write(6)
        self.anchor = write_anchor()
        assert "intact: 6 rows" in verifylog()

    def positions(self) -> list[int]:
        return list(AccessLogEntry.objects.order_by("position").values_list("position", flat=True))

    def assert_broken_at(self, position: int, *args: str) -> None:
        with pytest.raises(CommandError, match=f"broken at position {position}:"):
            verifylog(*args)

    def test_deleting_the_newest_rows_is_detected_by_the_anchor(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE position >= 5")
        self.assert_broken_at(5)

    def test_deleting_the_newest_rows_and_the_stored_anchors_is_caught_by_the_mailed_anchor(
        self,
    ) -> None:
        mailed = f"{self.anchor.position}:{self.anchor.hash}"
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE position >= 5")
            cursor.execute("DELETE FROM audit_seal")
        assert "intact: 4 rows" in verifylog()  # nothing left inside to compare with
        self.assert_broken_at(5, "--anchor", mailed)

    def test_deleting_the_oldest_rows_is_detected(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE position <= 2")
        self.assert_broken_at(1)

    def test_deleting_a_row_in_the_middle_is_detected(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE position = 3")
        self.assert_broken_at(3)

    def test_rewriting_a_row_and_recomputing_the_chain_without_the_key_is_detected(self) -> None:
        rows = list(AccessLogEntry.objects.order_by("position"))
        previous = rows[1].hash
        with override_settings(ACCESS_LOG_KEY="the attacker's best guess"), attacker() as cursor:
            for row in rows[2:]:
                if row.position == 3:
                    row.object_id = 999
                row.prev_hash = previous
                row.hash = previous = row.compute_hash()
                cursor.execute(
                    "UPDATE audit_accesslogentry SET object_id = %s, prev_hash = %s, hash = %s "
                    "WHERE id = %s",
                    [row.object_id, row.prev_hash, row.hash, row.pk],
                )
        self.assert_broken_at(3)

    def test_emptying_the_table_is_detected(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry")
        self.assert_broken_at(1)
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_seal")
        self.assert_broken_at(1, "--anchor", f"6:{self.anchor.hash}")

    def test_a_forged_checkpoint_is_detected(self) -> None:
        """Hiding deleted oldest rows behind a checkpoint needs the key."""
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry WHERE position <= 2")
        forged = Seal(kind=SealKind.CHECKPOINT, position=2, hash=self.positions_hash(2))
        with override_settings(ACCESS_LOG_KEY="the attacker's best guess"):
            forged.mac = forged.compute_mac()
        forged.save()
        with pytest.raises(CommandError, match="not signed with the key"):
            verifylog()

    def positions_hash(self, position: int) -> str:
        return AccessLogEntry.objects.get(position=position + 1).prev_hash

    def test_rows_added_after_the_anchor_still_verify(self) -> None:
        write(3)
        assert "intact: 9 rows" in verifylog("--anchor", f"6:{self.anchor.hash}")


class RetentionCutTests(BaseTestCase):
    def test_a_purge_with_out_of_order_timestamps_raises_no_alarm(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry")
        # Truly older than two years: PostgreSQL's trigger checks with its own clock.
        base = timezone.now() - timedelta(days=900)
        # Two app servers whose clocks differ: position 4 was written "before" 3.
        for days in (0, 1, 300, 2, 301):
            with time_machine.travel(base + timedelta(days=days), tick=False):
                write(1)
        assert purge_before(base + timedelta(days=10)) == 2
        assert list(
            AccessLogEntry.objects.values_list("position", flat=True).order_by("position")
        ) == [
            3,
            4,
            5,
        ]
        assert "intact: 3 rows" in verifylog()
        checkpoint = Seal.objects.get(kind=SealKind.CHECKPOINT)
        assert checkpoint.position == 2
        assert purge_before(base + timedelta(days=10)) == 0  # idempotent
        assert purge_before(base + timedelta(days=300, hours=12)) == 2  # 3 ages, 4 goes too
        assert "intact: 1 rows" in verifylog()
        write(1)
        assert "intact: 2 rows" in verifylog()

    def test_a_broken_chain_is_not_purged_behind_a_checkpoint(self) -> None:
        with attacker() as cursor:
            cursor.execute("DELETE FROM audit_accesslogentry")
        base = timezone.now() - timedelta(days=900)
        with time_machine.travel(base, tick=False):
            write(3)
        with attacker() as cursor:
            cursor.execute("UPDATE audit_accesslogentry SET role = 'nobody' WHERE position = 2")
        assert purge_before(base + timedelta(days=10)) == 0
        assert not Seal.objects.exists()
        with pytest.raises(CommandError, match="broken at position 2:"):
            verifylog()


class DailyAnchorTests(BaseTestCase):
    @override_settings(PRIVACY_OFFICER_EMAIL="privacy@hospital.test")
    def test_the_anchor_goes_once_a_day_to_the_system_log_and_the_privacy_officer(self) -> None:
        write(2)
        head = AccessLogEntry.objects.order_by("-position").first()
        assert head is not None
        with self.assertLogs("peersupport.audit.anchor", logging.INFO) as logged:
            stamp = anchor_if_due()
        assert stamp is not None and (stamp.position, stamp.hash) == (head.position, head.hash)
        assert anchor_if_due() is None  # once a day
        code = f"{head.position}:{head.hash}"
        assert code in logged.output[0]
        port = free_port()
        with smtp_server(port) as inbox, smtp_settings(port):
            assert deliver_due() == 1
        assert inbox.recipients == [["privacy@hospital.test"]]
        body = inbox.bodies()[0]
        assert code in body
        # Content-free: a number and a hash, no case, role or person.
        for word in ("case", "coordinator", "Erin", "erin", "view"):
            assert word not in body.replace("Peer Support", "")
        assert "intact" in verifylog("--anchor", code)
        with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
            assert anchor_if_due() is not None
        assert Message.objects.filter(address="privacy@hospital.test").count() == 2

    def test_the_deploy_check_refuses_production_without_a_key_or_an_address(self) -> None:
        from peersupport.checks import check_access_log_is_keyed_and_anchored

        with override_settings(DEBUG=False):
            assert [e.id for e in check_access_log_is_keyed_and_anchored(None)] == [
                "peersupport.E003",
                "peersupport.E004",
            ]
        with override_settings(
            DEBUG=False, ACCESS_LOG_KEY="k" * 40, PRIVACY_OFFICER_EMAIL="privacy@hospital.test"
        ):
            assert check_access_log_is_keyed_and_anchored(None) == []
