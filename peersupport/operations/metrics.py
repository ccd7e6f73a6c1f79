"""Metrics for Prometheus, read from the database at each scrape (so that every web
process answers the same): the outbox, the scheduler's last sweep, the processes'
heartbeats, and what the apps contribute (open cases by deadline state, from
cases). Counts and times only. This app imports no domain app: one that has figures
to show registers a function with ``contribute`` when it is ready."""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone
from prometheus_client.core import CollectorRegistry, GaugeMetricFamily
from prometheus_client.registry import Collector

from peersupport.notices.models import Delivery, Message
from peersupport.operations.models import Heartbeat, ProcessKind
from peersupport.operations.watchdog import due, oldest_due, problems

# Functions from the apps' ``ready()``: given the moment of the scrape, their gauges.
Contribution = Callable[[datetime], Iterable[GaugeMetricFamily]]
_contributions: dict[str, Contribution] = {}


def contribute(name: str, gauges: Contribution) -> None:
    """Add an app's gauges to every scrape (once per name, however often called)."""
    _contributions[name] = gauges


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
        for gauges in _contributions.values():
            yield from gauges(now)
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
