"""The application's clock survives its database going away (issue 21, R-18, R-19).

A private PostgreSQL cluster of the test's own (never the shared one: other tests use
it), two delivery workers, the scheduler and a web server as real processes, and a
real SMTP server. PostgreSQL is restarted mid-delivery (what a minor upgrade, a
failover or nightly maintenance does), and separately stopped for 30 seconds with
messages falling due meanwhile. Every message arrives exactly once, the scheduler
sweeps again, the monitoring says 503 while the database is away, and no process
exits until it is told to — and then it exits 0."""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from peersupport.notices.tests.smtp import free_port, smtp_server

ROOT = Path(settings.BASE_DIR)
TOKEN = "monitoring-" + secrets.token_urlsafe(24)


class PrivatePostgres:
    """A throw-away cluster in a temporary directory, run as the postgres user when
    the test runs as root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        assert found, "PostgreSQL's server binaries are needed (/usr/lib/postgresql/*/bin)"
        self.bin = found[-1].parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="peersupport-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/peersupport"

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603
            [*prefix, *command], check=True, capture_output=True, timeout=120
        )

    def initdb(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-sync")  # fmt: skip
        self.start()
        with psycopg.connect(self.url.replace("/peersupport", "/postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE peersupport")

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop")

    def restart(self) -> None:
        self.pg_ctl("restart")

    def pg_ctl(self, action: str) -> None:
        # The server's output goes to a log file: left on a pipe, pg_ctl would not return.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
                 "-o", options, "-m", "fast", "-w", action)  # fmt: skip

    def remove(self) -> None:
        with_suppressed = subprocess.run  # stop if still running; the directory goes
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        with_suppressed(
            [*prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def sql(self, query: str, *params: object) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url, autocommit=True) as db:
            cursor = db.execute(query, params)
            return cursor.fetchall() if cursor.description else []


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    try:
        cluster.initdb()
        yield cluster
    finally:
        cluster.remove()


def add_messages(db: PrivatePostgres, recipient: int, count: int, due: datetime) -> None:
    for n in range(count):
        db.sql(
            "INSERT INTO notices_message (recipient_id, kind, path, created_at, status, attempts,"
            " next_attempt_at, claim_token, last_error, address, code)"
            " VALUES (%s, 'new_case', %s, %s, 'pending', 0, %s, '', '', '', '')",
            recipient, f"/cases/{n + 1}/", datetime.now(UTC), due,
        )  # fmt: skip


def unsent(db: PrivatePostgres) -> int:
    return int(db.sql("SELECT count(*) FROM notices_message WHERE status <> 'sent'")[0][0])  # type: ignore[call-overload]


def last_sweep(db: PrivatePostgres) -> datetime | None:
    found = db.sql("SELECT max(swept_at) FROM operations_heartbeat WHERE kind = 'scheduler'")
    return found[0][0]  # type: ignore[return-value]


def wait_for(what: str, check: Callable[[], object], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except psycopg.OperationalError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def monitoring(port: int) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/monitoring/status/",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.postgresql
def test_workers_and_scheduler_survive_a_database_restart_and_a_30_second_stop() -> None:
    logs = Path(tempfile.mkdtemp(prefix="restart-"))
    with private_postgres() as db:
        smtp_port, web_port = free_port(), free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": db.url,
            "DEBUG": "false",
            "SECRET_KEY": "restart-" + secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "MONITORING_TOKEN": TOKEN,
        }
        python = sys.executable
        subprocess.run(  # noqa: S603
            [python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
            capture_output=True, timeout=180,
        )  # fmt: skip
        recipient = int(
            db.sql(
                "INSERT INTO people_user (password, is_superuser, username, first_name, last_name,"
                " email, is_staff, is_active, date_joined, language)"
                " VALUES ('!', false, 'sup', '', '', 'sup@hospital.test', false, true, now(), 'en')"
                " RETURNING id"
            )[0][0]  # type: ignore[call-overload]
        )
        gunicorn = str(Path(python).parent / "gunicorn")
        commands = {
            "worker-1": [python, "manage.py", "deliver", "--loop", "--interval", "0.5",
                         "--backoff-cap", "1"],
            "worker-2": [python, "manage.py", "deliver", "--loop", "--interval", "0.5",
                         "--backoff-cap", "1"],
            "scheduler": [python, "manage.py", "schedule", "--loop", "--interval", "1",
                          "--backoff-cap", "1"],
            "web": [gunicorn, "-c", "python:peersupport.operations.gunicorn",
                    "peersupport.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{web_port}"],
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
                wait_for("a first sweep", lambda: last_sweep(db) is not None, 60)
                wait_for("the monitoring's all clear", lambda: monitoring(web_port)[0] == 200, 60)

                # A restart in the middle of delivering 30 messages.
                add_messages(db, recipient, 30, due=datetime.now(UTC))
                wait_for("the first deliveries", lambda: len(inbox.messages) > 0, 30)
                db.restart()
                restarted = datetime.now(UTC)
                add_messages(db, recipient, 10, due=datetime.now(UTC))
                wait_for("every message sent after the restart", lambda: unsent(db) == 0, 60)
                wait_for("a sweep after the restart", lambda: last_sweep(db) > restarted, 30)  # type: ignore[operator]
                assert len(inbox.messages) == 40

                # Stopped for 30 seconds, while ten messages fall due.
                add_messages(db, recipient, 10, due=datetime.now(UTC) + timedelta(seconds=10))
                db.stop()
                stopped = time.monotonic()
                status, reason = monitoring(web_port)
                assert status == 503 and reason.startswith("database: unreachable"), reason
                time.sleep(max(0.0, 30 - (time.monotonic() - stopped)))
                alive = {name: p.poll() for name, p in processes.items()}
                assert set(alive.values()) == {None}, alive
                db.start()
                started = datetime.now(UTC)
                wait_for("every message sent after the stop", lambda: unsent(db) == 0, 60)
                wait_for("a sweep after the stop", lambda: last_sweep(db) > started, 30)  # type: ignore[operator]
                wait_for("the monitoring's all clear", lambda: monitoring(web_port)[0] == 200, 30)
            finally:
                for process in processes.values():
                    process.terminate()
                for process in processes.values():
                    process.wait(timeout=30)
            outputs = {name: (logs / f"{name}.out").read_text() for name in commands}

        for name, process in processes.items():
            assert process.returncode == 0, (name, outputs[name][-3000:])
        # The outage was seen, and survived, by each process that uses the database.
        for name in ("worker-1", "worker-2", "scheduler"):
            assert "database unavailable (OperationalError)" in outputs[name], outputs[name][-3000:]
        ids = [m["Message-ID"] for m in inbox.messages]
        assert len(ids) == len(set(ids)) == 50, "a message was sent twice or not at all"
        sent = {row[0] for row in db.sql("SELECT id FROM notices_message WHERE status = 'sent'")}
        assert {int(re.sub(r"^<peersupport-message-(\d+)@.*>$", r"\1", i)) for i in ids} == sent
        assert not db.sql(
            "SELECT id FROM notices_message WHERE claim_token <> '' AND status <> 'sent'"
        )
        # One heartbeat for each process: two workers, the scheduler, a web worker.
        kinds = db.sql("SELECT kind, count(*) FROM operations_heartbeat GROUP BY kind")
        assert {str(kind): count for kind, count in kinds} == {
            "worker": 2,
            "scheduler": 1,
            "web": 1,
        }
    shutil.rmtree(logs)  # kept only when the test fails, to read
