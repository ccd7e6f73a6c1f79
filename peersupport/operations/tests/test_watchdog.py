"""The watchdog (issue 21, R-18): when the scheduler or the workers stop, or e-mail
waits too long, the coordinator and the administrator are told at the top of their
pages, and the hospital's monitoring gets a 503 with the reason; metrics in
Prometheus' text format, counts only, for the monitoring's eyes only."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from peersupport.cases.constants import EventCategory
from peersupport.notices.models import Delivery, Kind, Message
from peersupport.operations.models import Heartbeat, ProcessKind, beat
from peersupport.people.models import Employee, Role, User
from peersupport.test import PASSWORD, BaseTestCase

TOKEN = "monitoring-" + "x" * 32
MONITOR = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
STOPPED = "the scheduler has stopped"
NO_WORKER = "no delivery worker is running"
WAITING = "a message has waited over five minutes"


@override_settings(MONITORING_TOKEN=TOKEN)
class WatchdogTests(BaseTestCase):
    def dashboard(self) -> str:
        self.client.login(username="alice", password=PASSWORD)
        page = self.client.get("/cases/dashboard/", headers={"accept-language": "en"})
        assert page.status_code == 200
        return page.content.decode()

    def status(self) -> tuple[int, str]:
        answer = self.client.get("/monitoring/status/", **MONITOR)  # type: ignore[arg-type]
        return answer.status_code, answer.content.decode()

    def test_with_the_scheduler_and_a_worker_running_all_is_quiet(self) -> None:
        call_command("schedule", stdout=StringIO())  # a sweep, recorded in its heartbeat
        beat(ProcessKind.WORKER, 5)
        assert (
            STOPPED not in self.dashboard()
            and "reminders or e-mail have stopped" not in self.dashboard()
        )
        assert self.status() == (200, "ok\n")

    def test_the_scheduler_stopped_shows_on_the_dashboard_and_to_the_monitoring(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            call_command("schedule", stdout=StringIO())  # every 60 s by default
        # Two intervals later: not yet stale.
        with time_machine.travel(start + timedelta(seconds=120), tick=False):
            beat(ProcessKind.WORKER, 5)
            assert STOPPED not in self.dashboard()
            assert self.status()[0] == 200
        # Three intervals and a bit: the scheduler has stopped; the worker still runs.
        with time_machine.travel(start + timedelta(seconds=181), tick=False):
            beat(ProcessKind.WORKER, 5)
            page = self.dashboard()
            assert "reminders or e-mail have stopped" in page
            assert STOPPED in page and "Ask IT to start the scheduler" in page
            assert NO_WORKER not in page
            # At the top: before the first section of the dashboard.
            assert page.index(STOPPED) < page.index('id="on-call"')
            assert self.status() == (
                503,
                "scheduler: Reminders and warnings are not being prepared: "
                "the scheduler has stopped.\n",
            )
            dutch = self.client.get("/cases/dashboard/", headers={"accept-language": "nl"})
            assert "de planner is gestopt" in dutch.content.decode()
            # It sweeps again: all is well at once.
            call_command("schedule", stdout=StringIO())
            assert STOPPED not in self.dashboard()
            assert self.status() == (200, "ok\n")

    def test_no_worker_and_a_message_waiting_too_long(self) -> None:
        self.open_case().assign(self.bob_supporter, by=self.alice_user)  # a notice to bob
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            beat(ProcessKind.WORKER, 5)
            call_command("schedule", stdout=StringIO())
        with time_machine.travel(start + timedelta(minutes=4), tick=False):
            call_command("schedule", stdout=StringIO())
            page = self.dashboard()
            assert NO_WORKER in page and WAITING not in page and STOPPED not in page
            assert self.status() == (
                503,
                "workers: E-mail is not being sent: no delivery worker is running.\n",
            )
        with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
            beat(ProcessKind.WORKER, 5)  # a worker, but the message still waits
            call_command("schedule", stdout=StringIO())
            page = self.dashboard()
            assert WAITING in page and NO_WORKER not in page
            assert self.status()[1].startswith("outbox: ")
            Message.objects.update(status=Delivery.SENT, sent_at=timezone.now())
            assert WAITING not in self.dashboard()

    def test_the_administrator_sees_the_same_on_the_admin_index(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        root.roles.create(role=Role.ADMINISTRATOR)
        self.client.login(username="root", password=PASSWORD)
        page = self.client.get("/admin/", headers={"accept-language": "en"}).content.decode()
        assert STOPPED in page and NO_WORKER in page
        call_command("schedule", stdout=StringIO())
        beat(ProcessKind.WORKER, 5)
        page = self.client.get("/admin/", headers={"accept-language": "en"}).content.decode()
        assert STOPPED not in page and NO_WORKER not in page
        heartbeats = self.client.get("/admin/operations/heartbeat/").content.decode()
        assert "Scheduler" in heartbeats and "Delivery worker" in heartbeats

    def test_heartbeats_of_processes_long_gone_are_forgotten(self) -> None:
        with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
            Heartbeat.objects.create(kind=ProcessKind.WORKER, process="old:1", interval_seconds=5)
        call_command("schedule", stdout=StringIO())
        assert not Heartbeat.objects.filter(process="old:1").exists()


class MonitoringAccessTests(BaseTestCase):
    def test_refused_without_the_settings_permission(self) -> None:
        for path in ("/monitoring/status/", "/monitoring/metrics/"):
            assert self.client.get(path).status_code == 403  # neither set: nobody
            with override_settings(MONITORING_TOKEN=TOKEN):
                assert self.client.get(path).status_code == 403
                wrong = {"HTTP_AUTHORIZATION": "Bearer monitoring-wrong"}
                assert self.client.get(path, **wrong).status_code == 403  # type: ignore[arg-type]
                assert self.client.get(path, **MONITOR).status_code in (200, 503)  # type: ignore[arg-type]
            self.client.login(username="alice", password=PASSWORD)  # a session is not enough
            assert self.client.get(path).status_code == 403
            self.client.logout()

    def test_allowed_addresses_and_networks(self) -> None:
        from ipaddress import ip_network

        for allowed, status in (
            ([ip_network("127.0.0.1/32")], 200),
            ([ip_network("10.0.0.0/8")], 403),
            ([ip_network("127.0.0.0/8"), ip_network("::1/128")], 200),
        ):
            with override_settings(MONITORING_ALLOWED_NETWORKS=allowed):
                answer = self.client.get("/monitoring/metrics/")
                assert answer.status_code == status, allowed
        with override_settings(MONITORING_ALLOWED_NETWORKS=[ip_network("127.0.0.1/32")]):
            elsewhere = self.client.get("/monitoring/metrics/", REMOTE_ADDR="10.1.2.3")
            assert elsewhere.status_code == 403
            # A forwarded-for header is anyone's to write: it opens nothing.
            forged = self.client.get(
                "/monitoring/metrics/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="127.0.0.1"
            )
            assert forged.status_code == 403

    def test_healthz_stays_trivial_and_open(self) -> None:
        answer = self.client.get("/healthz/")
        assert (answer.status_code, answer.content) == (200, b"ok\n")


CANARY = "Quintessa Canaryfield"


@override_settings(MONITORING_TOKEN=TOKEN)
class MetricsTests(BaseTestCase):
    def metrics(self) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
        answer = self.client.get("/monitoring/metrics/", **MONITOR)  # type: ignore[arg-type]
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/plain; version=")
        body = answer.content.decode()
        self.body = body
        return {
            family.name: {tuple(sorted(s.labels.items())): s.value for s in family.samples}
            for family in text_string_to_metric_families(body)
        }

    def test_the_outbox_sweeps_and_cases_by_deadline_state_as_prometheus_text(self) -> None:
        start = timezone.now()
        canary = Employee.objects.create(
            staff_number="C-1", name=CANARY, department=self.icu, function=self.nurse
        )
        with time_machine.travel(start - timedelta(hours=60), tick=False):
            at_risk = self.open_case(employee=canary, category=EventCategory.AGGRESSION)
            at_risk.assign(self.bob_supporter, by=self.alice_user)  # first contact at risk
        with time_machine.travel(start - timedelta(hours=80), tick=False):
            late = self.open_case(employee=self.olga, category=EventCategory.COMPLAINT)
            late.assign(self.charlie_supporter, by=self.alice_user)  # first contact late
        self.open_case()  # on time
        Message.objects.filter(kind=Kind.NEW_CASE).update(status=Delivery.FAILED)
        # The employees' "a supporter was found" are not what this counts.
        Message.objects.filter(kind=Kind.SUPPORTER_ASSIGNED).delete()
        Message.objects.create(
            recipient=self.bob_user, kind=Kind.NEW_CASE, path="/cases/1/",
            created_at=start - timedelta(minutes=7), next_attempt_at=start - timedelta(minutes=7),
        )  # fmt: skip
        with time_machine.travel(start, tick=False):
            call_command("schedule", stdout=StringIO())
            due = Message.objects.filter(status=Delivery.PENDING).count()
            found = self.metrics()
        assert found["peersupport_outbox_due_messages"] == {(): due}
        assert due >= 2  # the one waiting and the scheduler's warnings
        assert found["peersupport_outbox_parked_messages"] == {(): 2}
        assert found["peersupport_outbox_oldest_waiting_age_seconds"] == {(): 7 * 60}
        assert found["peersupport_scheduler_last_sweep_timestamp_seconds"] == {
            (): start.timestamp()
        }
        assert found["peersupport_open_cases"] == {
            (("deadline_state", "none"),): 0,
            (("deadline_state", "on_time"),): 1,
            (("deadline_state", "at_risk"),): 1,
            (("deadline_state", "late"),): 1,
        }
        assert found["peersupport_watchdog_problem"] == {
            (("problem", "scheduler"),): 0,
            (("problem", "workers"),): 1,
            (("problem", "outbox"),): 1,
        }
        assert (
            found["peersupport_process_last_beat_timestamp_seconds"][(("kind", "scheduler"),)]
            == start.timestamp()
        )
        # The canary: no name, no category, no department, no address.
        for secret in (CANARY, "Quintessa", "aggression", "complaint", "Agressie", "Intensive",
                       "hospital.test", "bob", "Bob"):  # fmt: skip
            assert secret not in self.body, secret
