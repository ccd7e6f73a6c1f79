"""Clean stops and lost connections (issue 21): supervisors (systemd, Kubernetes) send
SIGTERM, a terminal sends SIGINT. A worker finishes the message it holds, takes no
other, and exits 0; a second signal stops it at once. A worker whose database
connection is cut while the SMTP server takes a message records it as sent once the
database answers again, and does not send it twice. Real worker processes against a
real SMTP server."""

import asyncio
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from peersupport.notices.models import Delivery, Kind, Message
from peersupport.notices.tests.smtp import Inbox, free_port
from peersupport.people.models import User

ROOT = Path(settings.BASE_DIR)


class SlowInbox(Inbox):
    """A mail server that takes its time over each message, long enough to be
    interrupted mid-delivery."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.receiving = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.receiving.set()
        await asyncio.sleep(self.seconds)
        return await super().handle_DATA(server, session, envelope)


def start_worker(port: int) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver", "--loop", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.postgresql
class CleanStopTests(TransactionTestCase):
    def due_messages(self, count: int) -> list[Message]:
        user = User.objects.create_user(f"sup{User.objects.count()}", email="sup@hospital.test")
        return [
            Message.objects.create(recipient=user, kind=Kind.NEW_CASE, path=f"/cases/{n}/")
            for n in range(count)
        ]

    def test_sigterm_or_sigint_during_a_delivery_finishes_it_and_exits_0(self) -> None:
        from aiosmtpd.controller import Controller

        for signum in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=signum.name):
                first, second = self.due_messages(2)
                inbox, port = SlowInbox(seconds=2), free_port()
                controller = Controller(inbox, hostname="127.0.0.1", port=port)
                controller.start()
                try:
                    worker = start_worker(port)
                    assert inbox.receiving.wait(timeout=30), "the worker sent nothing"
                    worker.send_signal(signum)  # mid-delivery of the first message
                    out, err = worker.communicate(timeout=30)
                finally:
                    controller.stop()
                assert worker.returncode == 0, err.decode()[-2000:]
                assert out.decode().strip() == "1 messages sent."
                assert len(inbox.messages) == 1
                first.refresh_from_db()
                second.refresh_from_db()
                assert first.status == Delivery.SENT and first.sent_at is not None
                # The next message was not touched: no claim left behind to expire.
                assert (second.status, second.attempts, second.claim_token) == (
                    Delivery.PENDING,
                    0,
                    "",
                )
                Message.objects.all().delete()

    def test_a_second_signal_stops_at_once(self) -> None:
        from aiosmtpd.controller import Controller

        (message,) = self.due_messages(1)
        inbox, port = SlowInbox(seconds=60), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            worker = start_worker(port)
            assert inbox.receiving.wait(timeout=30), "the worker sent nothing"
            worker.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert worker.poll() is None  # still finishing the message it holds
            worker.send_signal(signal.SIGTERM)
            _out, err = worker.communicate(timeout=5)  # not the mail server's 60 s
        finally:
            controller.stop()
        assert worker.returncode == 128 + signal.SIGTERM
        assert "second signal, stopping at once" in err.decode()
        message.refresh_from_db()
        # Not recorded as sent: its claim runs out and another worker sends it.
        assert message.status == Delivery.SENDING and message.claimed_until is not None


@pytest.mark.postgresql
class LostConnectionTests(TransactionTestCase):
    def test_a_connection_cut_mid_delivery_still_records_the_message_sent_once(self) -> None:
        from aiosmtpd.controller import Controller

        user = User.objects.create_user("sup", email="sup@hospital.test")
        message = Message.objects.create(recipient=user, kind=Kind.NEW_CASE, path="/cases/1/")
        inbox, port = SlowInbox(seconds=2), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            worker = start_worker(port)
            assert inbox.receiving.wait(timeout=30), "the worker sent nothing"
            # What a database restart does to the worker's connection, while the mail
            # server still has the message in hand.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchall(), "no worker connection to cut"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                message.refresh_from_db()
                if message.status == Delivery.SENT:
                    break
                time.sleep(0.2)
            time.sleep(1.5)  # three more rounds: a second sending would show
            assert worker.poll() is None, "the worker exited"
            worker.send_signal(signal.SIGTERM)
            out, err = worker.communicate(timeout=30)
        finally:
            controller.stop()
        assert worker.returncode == 0, err.decode()[-2000:]
        message.refresh_from_db()
        assert message.status == Delivery.SENT and message.attempts == 1
        assert len(inbox.messages) == 1
        assert "sent; database unavailable (OperationalError), recording it again" in err.decode()
        assert out.decode().strip() == "1 messages sent."
