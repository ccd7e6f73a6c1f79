"""Heartbeats: each long-running process (web, worker, scheduler) writes when it last
did its work, so that the application can say when its own clock has stopped (R-18).

A heartbeat names a process by host and process id, never a person. This module
imports no domain app, so that the worker (notices) and the scheduler (cases) can
both beat.
"""

import os
import socket
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessKind(models.TextChoices):
    WEB = "web", _("Web server")
    WORKER = "worker", _("Delivery worker")
    SCHEDULER = "scheduler", _("Scheduler")


class Heartbeat(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ProcessKind)
    # host:pid — which process, so that an operator can find it.
    process = models.CharField(_("process"), max_length=120)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    beat_at = models.DateTimeField(_("last beat"), default=timezone.now, db_index=True)
    # How often this process beats; stale after three intervals.
    interval_seconds = models.FloatField(_("interval (seconds)"))
    # The scheduler's last completed sweep.
    swept_at = models.DateTimeField(_("last sweep"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "process"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "process"], name="one_heartbeat_per_process")
        ]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.kind} {self.process}"


def this_process() -> str:
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def beat(kind: ProcessKind, interval: float, *, swept: bool = False) -> None:
    """Record that this process is alive (and, for the scheduler, has swept)."""
    now = timezone.now()
    values: dict[str, object] = {"beat_at": now, "interval_seconds": interval}
    if swept:
        values["swept_at"] = now
    Heartbeat.objects.update_or_create(kind=kind, process=this_process(), defaults=values)


def forget_old(before: datetime) -> int:
    """Processes that stopped long ago are no longer listed."""
    deleted, _by_model = Heartbeat.objects.filter(beat_at__lt=before).delete()
    return deleted
