"""The access log: every view, change and export of a case, every list that shows
cases, every sign-in and every role change (R-15).

It refers to cases and users by number, not by foreign key, so that it outlives
the identifying data that retention deletes. Rows are numbered (position) and
chained with a keyed hash (chain.py); the key is in the settings, never in the
database. Seals hold the chain's head where the application cannot take it back:
every day an anchor (position and hash) goes to the system log and by e-mail to
the privacy officer (anchor.py), and retention leaves a checkpoint where it cut the
oldest rows off. `manage.py verifylog` checks the chain against both. On
PostgreSQL a trigger refuses UPDATE and TRUNCATE, and DELETE of rows younger than
two years.
"""

import logging
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.audit import chain

HASH_VALIDATOR = RegexValidator(r"^[0-9a-f]{0,64}$")

log = logging.getLogger("peersupport.audit")

# The address of the request being served, set by the project's middleware.
client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


# How an entry reads on the log pages; other actions show as written.
ACTIONS = {
    "list": _("seen in a list"),
    "view": _("opened"),
    "record": _("step recorded"),
    "manage": _("managed"),
    "respond": _("answered"),
    "export": _("exported"),
    "read_log": _("read the access log"),
    "open": _("opened"),
    "create": _("created"),
    "dashboard": _("opened the dashboard"),
    "pool": _("opened the pool"),
    "rota": _("opened the on-call rota"),
    "training": _("opened a supporter's training"),
    "absence": _("opened a supporter's absences"),
    "intervision": _("opened the intervision meetings"),
    "sign_in": _("signed in"),
    "sign_in_failed": _("sign-in failed"),
    "sign_in_locked": _("sign-in locked after too many attempts"),
    "sign_in_lock_lifted": _("a sign-in lock was lifted"),
    "sign_in_sso_refused": _("single sign-on refused"),
    "sign_in_sso_unavailable": _("single sign-on unavailable"),
    "two_factor": _("second sign-in step given"),
    "two_factor_failed": _("second sign-in step failed"),
    "two_factor_setup": _("second sign-in step set up"),
    "two_factor_reset": _("second sign-in step reset"),
    "two_factor_passkey": _("signed in with a passkey"),
    "sign_in_passkey": _("signed in with a passkey alone"),
    "two_factor_passkey_added": _("passkey added"),
}
# Role changes are written as grant_<role> / withdraw_<role> (people.roles).
ROLE_CHANGES = {"grant": _("role granted: %(role)s"), "withdraw": _("role withdrawn: %(role)s")}


def role_words(code: str) -> str:
    """A role (or, for a request, the channel it came by) in the reader's language."""
    from peersupport.vocabulary import Channel, Role

    words = {**dict(Channel.choices), **dict(Role.choices), "integration": _("Integration")}
    return str(words.get(code, code))


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The access log cannot be changed.")


class AccessLogEntry(AppendOnly):
    position = models.BigIntegerField(_("position"), unique=True)
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

    @property
    def what(self) -> str:
        if self.action in ACTIONS:
            return str(ACTIONS[self.action])
        change, _sep, role = self.action.partition("_")
        if change in ROLE_CHANGES and role:
            return str(ROLE_CHANGES[change]) % {"role": role_words(role)}
        return f"{self.action} {self.object_type}"

    @property
    def role_words(self) -> str:
        return role_words(self.role)

    def compute_hash(self) -> str:
        return chain.entry_hash(**chain.fields(self, chain.ENTRY_FIELDS))  # type: ignore[arg-type]


class SealKind(models.TextChoices):
    ANCHOR = "anchor", _("Daily anchor")
    CHECKPOINT = "checkpoint", _("Retention checkpoint")


class Seal(AppendOnly):
    """The chain's head at a moment, signed with the log's key: an anchor (also sent
    out of the database) or the checkpoint retention leaves where it cut."""

    kind = models.CharField(_("kind"), max_length=10, choices=SealKind)
    position = models.BigIntegerField(_("position"))
    hash = models.CharField(max_length=64, blank=True, validators=[HASH_VALIDATOR])
    at = models.DateTimeField(_("at"), default=timezone.now)
    mac = models.CharField(max_length=64, validators=[HASH_VALIDATOR])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("seal")
        verbose_name_plural = _("seals")

    def __str__(self) -> str:
        return f"{self.kind} {self.position}"

    def compute_mac(self) -> str:
        return chain.seal_mac(kind=self.kind, position=self.position, hash=self.hash, at=self.at)


def _lock() -> None:
    if connection.vendor == "postgresql":
        # One writer at a time extends the chain (SQLite serialises writes anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('peersupport.access_log'))")


HEAD = """
SELECT position, hash FROM (
    SELECT position, hash FROM audit_accesslogentry ORDER BY position DESC LIMIT 1
) AS newest
UNION ALL
SELECT position, hash FROM (
    SELECT position, hash FROM audit_seal WHERE kind = %s ORDER BY position DESC LIMIT 1
) AS cut
ORDER BY position DESC LIMIT 1
"""


def head() -> tuple[int, str]:
    """(position, hash) of the newest row; after a purge of everything, of the
    checkpoint. One query, whatever the state of the log."""
    with connection.cursor() as cursor:
        cursor.execute(HEAD, [SealKind.CHECKPOINT.value])
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else (0, "")


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
    return record_many(
        user_id=user_id,
        role=role,
        action=action,
        object_type=object_type,
        object_ids=[object_id],
        allowed=allowed,
    )[0]


def record_many(
    *,
    user_id: int | None,
    role: str,
    action: str,
    object_type: str,
    object_ids: Iterable[int | None],
    allowed: bool,
) -> list[AccessLogEntry]:
    """Write one row per object in a single INSERT: a list page names every case it
    showed without a statement per case."""
    ids = list(object_ids)
    if not ids:
        return []
    with transaction.atomic():
        _lock()
        position, previous = head()
        at = timezone.now()
        entries = []
        for object_id in ids:
            position += 1
            entry = AccessLogEntry(
                position=position,
                at=at,
                user_id=user_id,
                role=role,
                action=action,
                object_type=object_type,
                object_id=object_id,
                outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
                ip=client_address.get(),
                prev_hash=previous,
            )
            entry.hash = previous = entry.compute_hash()
            entries.append(entry)
        AccessLogEntry.objects.bulk_create(entries)
    return entries


def entries_about(
    object_type: str, object_ids: Iterable[int], *, allowed_only: bool = False
) -> "models.QuerySet[AccessLogEntry]":
    """The log's rows about these objects (newest first): for the person they are
    about, who looked (R-15). ``allowed_only`` leaves out refused attempts."""
    entries = AccessLogEntry.objects.filter(object_type=object_type, object_id__in=list(object_ids))
    if allowed_only:
        entries = entries.filter(outcome=Outcome.ALLOWED)
    return entries


def seal(kind: SealKind, now: datetime | None = None) -> Seal:
    """Sign the chain's current head."""
    with transaction.atomic():
        _lock()
        position, hash = head()
        stamp = Seal(kind=kind, position=position, hash=hash, at=now or timezone.now())
        stamp.mac = stamp.compute_mac()
        stamp.save()
    return stamp


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: int | None = None  # the position where the chain breaks
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def verify_chain(anchor: tuple[int, str] | None = None, upto: int | None = None) -> Verdict:
    """Check every row from the latest checkpoint on (up to position `upto`), and the
    head against every anchor: the stored ones and `anchor`, one read from outside
    the database."""
    # The latest checkpoint and the seals after it: older ones vouch for rows gone.
    latest = Seal.objects.filter(kind=SealKind.CHECKPOINT).order_by("-position", "-pk").first()
    seals = list(
        Seal.objects.filter(position__gte=latest.position if latest else 0).order_by("position")
    )
    for stamp in seals:
        if not chain.same(stamp.mac, stamp.compute_mac()):
            return Verdict(0, stamp.position, f"seal {stamp.pk} is not signed with the key")
    start, previous = (latest.position, latest.hash) if latest else (0, "")
    anchors = {s.position: s.hash for s in seals if s.kind == SealKind.ANCHOR}
    if anchor is not None:
        anchors[anchor[0]] = anchor[1]
    expected = start + 1
    checked = 0
    rows = AccessLogEntry.objects.filter(position__gt=start).order_by("position")
    if upto is not None:
        rows = rows.filter(position__lte=upto)
    for entry in rows.iterator(chunk_size=2000):
        if entry.position != expected:
            missing = f"rows {expected} to {entry.position - 1} are missing"
            return Verdict(checked, expected, missing)
        if not chain.same(entry.prev_hash, previous):
            return Verdict(checked, entry.position, "it does not follow the row before it")
        if not chain.same(entry.hash, entry.compute_hash()):
            return Verdict(checked, entry.position, "its content does not match its keyed hash")
        if entry.position in anchors and not chain.same(anchors[entry.position], entry.hash):
            return Verdict(checked, entry.position, "it differs from the anchor")
        previous = entry.hash
        expected += 1
        checked += 1
    newest = expected - 1
    beyond = [position for position in anchors if position > newest and upto is None]
    if beyond:
        return Verdict(
            checked, newest + 1, f"rows {newest + 1} to {max(beyond)} (anchored) are missing"
        )
    return Verdict(checked)


def purge_before(cutoff: datetime) -> int:
    """Remove the oldest rows written before `cutoff`, as a prefix of the chain: up to
    the first younger row, whatever the order of the timestamps. A signed checkpoint
    records where the chain was cut, so that the rest still verifies. Nothing is cut
    from a chain that does not verify: the checkpoint would vouch for it."""
    with transaction.atomic():
        _lock()
        young = AccessLogEntry.objects.filter(at__gte=cutoff).order_by("position")
        first_young = young.values_list("position", flat=True).first()
        if first_young is None:
            first_young = head()[0] + 1
        cut = AccessLogEntry.objects.filter(position__lt=first_young)
        if not cut.exists():
            return 0
        last = cut.order_by("-position").values_list("position", "hash").first()
        assert last is not None
        verdict = verify_chain(upto=last[0])
        if not verdict.intact:
            log.error("access log not purged: broken at position %s", verdict.broken)
            return 0
        checkpoint = Seal(kind=SealKind.CHECKPOINT, position=last[0], hash=last[1])
        checkpoint.mac = checkpoint.compute_mac()
        checkpoint.save()
        return cut._raw_delete(cut.db)  # one statement: the rows refuse delete()
