"""The outbox: every message is stored in the same transaction as the change that
causes it (R-19), and delivered after commit by a worker.

A message names its recipient and a link into the application, never a person
or an event (R-17). This app imports no domain app.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A path inside the application, e.g. /cases/12/: no query string, nothing readable.
PATH_VALIDATOR = RegexValidator(r"^/[a-z0-9/_-]*$", _("A path inside the application."))


class Kind(models.TextChoices):
    NEW_CASE = "new_case", _("A case was assigned to you")


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    path = models.CharField(_("link"), max_length=200, validators=[PATH_VALIDATOR])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


def enqueue(*, recipient_id: int, kind: Kind, path: str) -> Message:
    """Store a message for delivery. Call it inside the transaction of the change it
    reports, so that the change and its message stand or fall together."""
    PATH_VALIDATOR(path)
    return Message.objects.create(recipient_id=recipient_id, kind=kind, path=path)
