"""The access log: every view, change and export of a case, every sign-in (R-15).

It refers to cases and users by number, not by foreign key, so that it outlives
the identifying data that retention deletes. Rows are hash-chained (each row's hash
covers the one before), `manage.py verifylog` checks the chain, and on PostgreSQL a
trigger refuses UPDATE, and DELETE of rows younger than two years.
"""

import hashlib
from contextvars import ContextVar
from typing import Any

from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HASH_VALIDATOR = RegexValidator(r"^[0-9a-f]{0,64}$")

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
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, validators=[HASH_VALIDATOR])
    hash = models.CharField(max_length=64, default="", validators=[HASH_VALIDATOR])

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The access log cannot be changed.")

    def compute_hash(self) -> str:
        content = "|".join(
            str(v)
            for v in (
                self.prev_hash,
                self.at.isoformat(),
                self.user_id,
                self.role,
                self.action,
                self.object_type,
                self.object_id,
                self.outcome,
                self.ip,
            )
        )
        return hashlib.sha256(content.encode()).hexdigest()


def record(
    *,
    user_id: int | None,
    role: str,
    action: str,
    object_type: str,
    object_id: int | None,
    allowed: bool,
) -> AccessLogEntry:
    """Write one access-log row, chained to the one before. Callers are the access
    helpers of each domain app."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One writer at a time extends the chain (SQLite serialises writes anyway).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('peersupport.access_log'))")
        last = AccessLogEntry.objects.order_by("-pk").values_list("hash", flat=True).first()
        entry = AccessLogEntry(
            at=timezone.now(),
            user_id=user_id,
            role=role,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
            ip=client_address.get(),
            prev_hash=last or "",
        )
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


def verify_chain() -> tuple[int, int | None]:
    """(rows checked, id of the first broken row or None)."""
    previous: str | None = None
    checked = 0
    for entry in AccessLogEntry.objects.order_by("pk").iterator(chunk_size=2000):
        # The first row left after a purge starts the chain.
        if (
            previous is not None and entry.prev_hash != previous
        ) or entry.hash != entry.compute_hash():
            return checked, entry.pk
        previous = entry.hash
        checked += 1
    return checked, None
