"""The cases' figure for the monitoring endpoint: open cases by the state of their
next deadline (counts only). Given to operations' metrics when the app is ready, so
that operations imports no domain app."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Q
from prometheus_client.core import GaugeMetricFamily

from peersupport.cases.constants import DeadlineState
from peersupport.cases.models import Case


def open_cases(now: datetime) -> Iterator[GaugeMetricFamily]:
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
    gauge = GaugeMetricFamily(
        "peersupport_open_cases", "Open cases by the state of their next deadline.",
        labels=["deadline_state"],
    )  # fmt: skip
    for state in DeadlineState:
        gauge.add_metric([state.value], cases[state.value])
    yield gauge
