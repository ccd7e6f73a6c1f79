"""The access log: every view and change of a case (R-15).

It refers to cases and users by number, not by foreign key, so that it outlives
the identifying data that retention deletes.
"""

from contextvars import ContextVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The address of the request being served, set by the project's middleware.
client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(_("user"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=30)
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.BigIntegerField(_("object"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


def record(
    *,
    user_id: int | None,
    role: str,
    action: str,
    object_type: str,
    object_id: int | None,
    allowed: bool,
) -> AccessLogEntry:
    """Write one access-log row. Callers are the access helpers of each domain app."""
    return AccessLogEntry.objects.create(
        user_id=user_id,
        role=role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
    )
