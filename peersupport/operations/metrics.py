"""Metrics for Prometheus, read from the database at each scrape (so that every web
process answers the same): the outbox, the scheduler's last sweep, the processes'
heartbeats and open cases by deadline state. Counts and times only."""

from collections.abc import Iterator

from django.db.models import Count, Max, Q
from django.utils import timezone
from prometheus_client.core import CollectorRegistry, GaugeMetricFamily
from prometheus_client.registry import Collector

from peersupport.cases.constants import DeadlineState
from peersupport.cases.models import Case
from peersupport.notices.models import Delivery, Message
from peersupport.operations.models import Heartbeat, ProcessKind
from peersupport.operations.watchdog import due, oldest_due, problems


class PeerSupportCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        outbox = Message.objects.aggregate(
            due=Count("pk", filter=due(now)),
            parked=Count("pk", filter=Q(status=Delivery.FAILED)),
        )
        yield GaugeMetricFamily(
            "peersupport_outbox_due_messages", "Messages due for delivery now.", outbox["due"]
        )
        yield GaugeMetricFamily(
            "peersupport_outbox_parked_messages",
            "Messages parked as failed after their last attempt (see the admin).",
            outbox["parked"],
        )
        oldest = oldest_due(now)
        yield GaugeMetricFamily(
            "peersupport_outbox_oldest_waiting_age_seconds",
            "Age of the oldest message not yet sent, since it was stored (0 when none).",
            (now - oldest).total_seconds() if oldest else 0.0,
        )
        sweep = Heartbeat.objects.filter(kind=ProcessKind.SCHEDULER).aggregate(at=Max("swept_at"))[
            "at"
        ]
        yield GaugeMetricFamily(
            "peersupport_scheduler_last_sweep_timestamp_seconds",
            "When the scheduler last completed a sweep (Unix time; 0 when never).",
            sweep.timestamp() if sweep else 0.0,
        )
        beats = GaugeMetricFamily(
            "peersupport_process_last_beat_timestamp_seconds",
            "The most recent heartbeat of each kind of process (Unix time; 0 when never).",
            labels=["kind"],
        )
        latest = dict(
            Heartbeat.objects.values("kind").annotate(at=Max("beat_at")).values_list("kind", "at")
        )
        for kind in ProcessKind:
            at = latest.get(kind.value)
            beats.add_metric([kind.value], at.timestamp() if at else 0.0)
        yield beats
        cases = Case.objects.open().aggregate(
            none=Count("pk", filter=Q(next_deadline_at__isnull=True)),
            late=Count("pk", filter=Q(next_deadline_at__lte=now)),
            at_risk=Count("pk", filter=Q(next_deadline_at__gt=now, next_deadline_risk_at__lte=now)),
            on_time=Count(
                "pk",
                filter=Q(next_deadline_at__gt=now)
                & (Q(next_deadline_risk_at__isnull=True) | Q(next_deadline_risk_at__gt=now)),
            ),
        )
        open_cases = GaugeMetricFamily(
            "peersupport_open_cases", "Open cases by the state of their next deadline.",
            labels=["deadline_state"],
        )  # fmt: skip
        for state in DeadlineState:
            open_cases.add_metric([state.value], cases[state.value])
        yield open_cases
        watchdog = GaugeMetricFamily(
            "peersupport_watchdog_problem",
            "1 when the watchdog reports this problem (as on the dashboard), else 0.",
            labels=["problem"],
        )
        found = {problem.code for problem in problems(now)}
        for code in ("scheduler", "workers", "outbox"):
            watchdog.add_metric([code], 1.0 if code in found else 0.0)
        yield watchdog


def registry() -> CollectorRegistry:
    """A registry of our own per scrape: nothing of the process's global state."""
    fresh = CollectorRegistry(auto_describe=False)
    fresh.register(PeerSupportCollector())
    return fresh
