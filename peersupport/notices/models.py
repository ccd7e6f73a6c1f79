"""The outbox: every message is stored in the same transaction as the change that
causes it (R-19), and delivered after commit by a worker (delivery.py).

A message names its recipient and a link into the application, never a person
or an event (R-17). This app imports no domain app.
"""

from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A path inside the application, e.g. /cases/12/: no query string, nothing readable.
PATH_VALIDATOR = RegexValidator(r"^/[a-z0-9/_-]*$", _("A path inside the application."))
KEY_VALIDATOR = RegexValidator(r"^[a-z0-9_:.-]{1,150}$")
IDENTIFIER_VALIDATOR = RegexValidator(r"^[A-Za-z0-9_.]{0,60}$")


class Kind(models.TextChoices):
    NEW_CASE = "new_case", _("A case was assigned to you")
    FIRST_CONTACT_REMINDER = "first_contact_reminder", _("A first contact is still open")
    CONVERSATION_REMINDER = "conversation_reminder", _("A conversation is due soon")
    FIRST_CONTACT_AT_RISK = "first_contact_at_risk", _("A first contact is at risk")
    FIRST_CONTACT_LATE = "first_contact_late", _("A first contact is late")
    REQUEST_RECEIVED = "request_received", _("A request was received")
    INTERVISION_DUE = "intervision_due", _("Intervision is due")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Your second sign-in step was reset")
    LOG_ANCHOR = "log_anchor", _("The access log's daily anchor")
    ROLE_CHANGED = "role_changed", _("A role was changed")
    ANOTHER_SUPPORTER = "another_supporter", _("A case needs another supporter")
    HAND_OVER = "hand_over", _("A referral was handed over")
    CASE_REASSIGNED = "case_reassigned", _("A case was reassigned")
    SUPPORTER_ASSIGNED = "supporter_assigned", _("A supporter was assigned")


class Delivery(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    # A user, or for messages to a function rather than a person (the privacy
    # officer's copy of the access log's anchor) an address from the settings.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    address = models.EmailField(_("address"), blank=True, default="")
    # A code the message quotes: digits, hex and colons only (the anchor's position:hash).
    code = models.CharField(
        max_length=80, blank=True, default="", validators=[RegexValidator(r"^[0-9a-f:]{0,80}$")]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    path = models.CharField(_("link"), max_length=200, validators=[PATH_VALIDATOR])
    # Reminders swept from deadlines carry a key, so that a second sweep adds nothing.
    dedupe_key = models.CharField(
        max_length=150, null=True, blank=True, unique=True, validators=[KEY_VALIDATOR]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Delivery, default=Delivery.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # A worker's claim: who (a random token) and until when; an expired claim is retried.
    claim_token = models.CharField(
        max_length=32, blank=True, editable=False, validators=[RegexValidator(r"^[0-9a-f]{0,32}$")]
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The exception's class name only: an error text could quote an address.
    last_error = models.CharField(
        _("last error"), max_length=60, blank=True, validators=[IDENTIFIER_VALIDATOR]
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        # Never the kind beside the recipient: together they say who asked for support.
        return f"#{self.pk}"


def enqueue(
    *,
    recipient_id: int | None = None,
    kind: Kind,
    path: str,
    dedupe_key: str | None = None,
    address: str = "",
    code: str = "",
) -> Message:
    """Store a message for delivery. Call it inside the transaction of the change it
    reports, so that the change and its message stand or fall together."""
    PATH_VALIDATOR(path)
    return Message.objects.create(
        recipient_id=recipient_id,
        kind=kind,
        path=path,
        dedupe_key=dedupe_key,
        address=address,
        code=code,
    )


def enqueue_once(messages: list[Message]) -> int:
    """Store swept reminders; those whose dedupe_key exists already are skipped.
    Returns how many are new."""
    keys = [m.dedupe_key for m in messages]
    before = Message.objects.filter(dedupe_key__in=keys).count()
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    return Message.objects.filter(dedupe_key__in=keys).count() - before


def keys_of(*kinds: Kind) -> set[str]:
    """The dedupe keys of every message of these kinds that the outbox holds, sent or
    not: for a sweep that must not warn about one deadline twice, even when the
    recipient changes (the rota turns) and so the key does."""
    keys = Message.objects.filter(kind__in=kinds, dedupe_key__isnull=False)
    return {key for key in keys.values_list("dedupe_key", flat=True) if key}


def purge_sent(before: datetime) -> int:
    """Delete the messages delivered before ``before`` (retention: they hold only a kind
    and a link). Waiting and failed messages stay. Returns how many went."""
    deleted, _by_model = Message.objects.filter(status=Delivery.SENT, sent_at__lt=before).delete()
    return deleted
