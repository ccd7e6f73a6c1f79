"""The production topology, exercised: two app servers (gunicorn), two delivery
workers and one scheduler, each its own process, against one PostgreSQL, with
DEBUG=false and a real SMTP server. Requests are served by both app servers (a
session made on one works on the other), and every message — the scheduler's
reminders and warnings and the notices of new requests — is sent exactly once."""

import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings
from django.utils import timezone

from peersupport.accounts.second_factor import VERIFIED
from peersupport.cases.models import Case
from peersupport.cases.reminders import sweep
from peersupport.notices.models import Delivery, Message
from peersupport.notices.tests.smtp import free_port, smtp_server
from peersupport.people.models import ApiToken, Scope, User

ROOT = Path(settings.BASE_DIR)
SECRET = "topology-" + secrets.token_urlsafe(32)


@pytest.mark.postgresql
class ProductionTopologyTests(TransactionTestCase):
    def test_two_app_servers_two_workers_one_scheduler(self) -> None:
        call_command("loaddemo", stdout=StringIO())
        sent_before = set(Message.objects.filter(status=Delivery.SENT).values_list("pk", flat=True))
        smtp_port, ports = free_port(), [free_port(), free_port()]
        db = connection.settings_dict
        logs = Path(tempfile.mkdtemp(prefix="topology-"))
        env = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        }
        python, gunicorn = sys.executable, str(Path(sys.executable).parent / "gunicorn")
        commands = {
            **{
                f"app-{n}": [gunicorn, "peersupport.wsgi", "--workers", "2",
                             "--bind", f"127.0.0.1:{port}",
                             "--access-logfile", str(logs / f"app-{n}.log")]
                for n, port in enumerate(ports, 1)
            },
            "worker-1": [python, "manage.py", "deliver", "--loop", "--interval", "0.5"],
            "worker-2": [python, "manage.py", "deliver", "--loop", "--interval", "0.5"],
            "scheduler": [python, "manage.py", "schedule", "--loop", "--interval", "1"],
        }  # fmt: skip
        with smtp_server(smtp_port) as inbox:
            processes = {
                name: subprocess.Popen(  # noqa: S603
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=(logs / f"{name}.out").open("wb"),
                    stderr=subprocess.STDOUT,
                )
                for name, command in commands.items()
            }
            try:
                for port in ports:
                    wait_until_serving(port)
                session = signed_in_session("coordinator")
                # The dashboard from both servers in turn, on one session.
                for i in range(20):
                    body = get(ports[i % 2], "/cases/dashboard/", session)
                    assert "What needs doing now" in body
                # A request through each server's API: each makes a case.
                _token, plaintext = ApiToken.issue("topology", Scope.SUBMIT_REQUESTS)
                staff = Case.objects.values_list("employee__staff_number", flat=True)
                free = User.objects.get(username="manager").employee.reports.exclude(
                    staff_number__in=staff
                )
                for port, employee in zip(ports, free[:2], strict=True):
                    post_request(port, plaintext, employee.staff_number, employee.department.code)
                # The scheduler sweeps every second; let it sweep a few times over a
                # drained outbox, so a second sending would show.
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    if not Message.objects.exclude(status=Delivery.SENT).exists():
                        break
                    time.sleep(0.5)
                time.sleep(4)
            finally:
                for process in processes.values():
                    process.terminate()
                for process in processes.values():
                    process.wait(timeout=30)
            outputs = {name: (logs / f"{name}.out").read_text() for name in commands}

        for name, process in processes.items():
            assert process.returncode == 0, (name, outputs[name][-2000:])
        served = [
            (logs / f"app-{n}.log").read_text().count("GET /cases/dashboard/") for n in (1, 2)
        ]
        assert served == [10, 10], served
        posted = [
            (logs / f"app-{n}.log").read_text().count("POST /api/v1/requests") for n in (1, 2)
        ]
        assert posted == [1, 1], posted

        pending = Message.objects.exclude(status=Delivery.SENT)
        assert not pending.exists(), list(pending.values("kind", "status", "attempts"))
        sent_now = Message.objects.filter(status=Delivery.SENT).exclude(pk__in=sent_before)
        reminders = sent_now.exclude(dedupe_key="")
        assert reminders.count() > 0, "the scheduler queued no reminder"
        assert Case.objects.filter(request__external_reference__startswith="TOPO-").count() == 2
        ids = [m["Message-ID"] for m in inbox.messages]
        assert len(ids) == len(set(ids)), "a message was sent twice"
        expected = {
            re.sub(r"^<peersupport-message-(\d+)@.*>$", r"\1", message_id) for message_id in ids
        }
        assert expected == {str(pk) for pk in sent_now.values_list("pk", flat=True)}
        assert sweep() == 0, "a reminder was due that the scheduler had not queued"


def wait_until_serving(port: int) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the app server on port {port} did not start")


def signed_in_session(username: str) -> str:
    """A session as after signing in with both factors (the servers share the database
    and the secret key, so any of them accepts it)."""
    with override_settings(SECRET_KEY=SECRET):
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.session
        session[VERIFIED] = True
        session.save()
        return session.session_key or ""


def get(port: int, path: str, session: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Cookie": f"__Host-sessionid={session}", "Accept-Language": "en"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 200 and response.url.endswith(path), response.url
        return str(response.read().decode())


def post_request(port: int, token: str, staff_number: str, department: str) -> None:
    body = {
        "external_reference": f"TOPO-{port}",
        "category": "incident",
        "event_date": timezone.localdate().isoformat(),
        "department": department,
        "employees": [{"staff_number": staff_number}],
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/requests",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201, response.status
