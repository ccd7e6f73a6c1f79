"""Delivering the outbox over SMTP: once, or at least once when a worker dies at the
worst moment (see "The window" below), and never lost.

Any number of workers on any number of machines: each message is claimed with a
conditional UPDATE (only one worker's UPDATE matches the row), under a lease. A
worker killed mid-delivery leaves its claim to expire, and the message is tried
again. While the mail server is down, attempts back off exponentially; after
NOTICE_MAX_ATTEMPTS the message is parked as failed, visible in the admin.

The database going away: a worker that has sent a message waits for the database to
record it (for as long as its claim lasts); one that had claimed a message but not yet
sent it gives the claim back when the database returns (release_held). The loop
around both is operations.loop.Loop.

The window: between the SMTP server accepting a message and the worker marking it
sent, a crash (or a database away for longer than the lease) means the claim expires
and the message is sent a second time. Every message carries the same Message-ID on
each attempt, so mail clients and servers that de-duplicate show it once.
"""

import contextlib
import logging
import secrets
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peersupport.notices.models import Delivery, Kind, Message
from peersupport.operations.loop import DATABASE_GONE, reconnect

log = logging.getLogger("peersupport.notices")

# A neutral line per kind: nothing a shoulder-reader learns from.
LINES = {
    Kind.NEW_CASE: lambda: _("A new request for Peer Support has been assigned to you."),
    Kind.FIRST_CONTACT_REMINDER: lambda: _(
        "A request assigned to you is still waiting for a first contact."
    ),
    Kind.CONVERSATION_REMINDER: lambda: _("A conversation in one of your cases is due soon."),
    Kind.FIRST_CONTACT_AT_RISK: lambda: _(
        "A first contact is due within a day and has not been recorded."
    ),
    Kind.FIRST_CONTACT_LATE: lambda: _("A first contact is late."),
    Kind.REQUEST_RECEIVED: lambda: _("Your request for Peer Support has been received."),
    Kind.INTERVISION_DUE: lambda: _("Your yearly intervision meeting is due."),
    Kind.SECOND_FACTOR_RESET: lambda: _(
        "The administrator has reset the second step of your sign-in. You will set it up "
        "again when you next sign in. If you did not ask for this, tell the administrator."
    ),
    Kind.ROLE_CHANGED: lambda: _(
        "A role that opens cases or the application was granted or withdrawn. "
        "The access log shows when and by whom."
    ),
    Kind.ANOTHER_SUPPORTER: lambda: _(
        "A case is waiting for a supporter again: the employee would like someone else."
    ),
    Kind.HAND_OVER: lambda: _(
        "An employee has agreed to be referred to professional help through you. "
        "The link shows who and how to reach them."
    ),
    Kind.CASE_REASSIGNED: lambda: _(
        "One of your cases has been handed to another supporter. You need do nothing more."
    ),
    Kind.SUPPORTER_ASSIGNED: lambda: _(
        "A supporter has been found for you and will contact you soon."
    ),
    Kind.LOG_ANCHOR: lambda: _(
        "Today's anchor of the access log. Keep this message: it lets the log be checked "
        "with manage.py verifylog --anchor."
    ),
}


def deliver_due(
    limit: int = 200,
    now: datetime | None = None,
    stopping: Callable[[], bool] = lambda: False,
    pulse: Callable[[], None] = lambda: None,
) -> int:
    """Deliver what is due now; returns how many were sent. Safe to run anywhere, any time.
    ``stopping`` is asked before each message: a worker told to stop finishes the message
    it holds and takes no other. ``pulse`` is called after each message (the worker's
    heartbeat, so that a long round does not look like a stopped worker)."""
    now = now or timezone.now()
    due = Message.objects.filter(
        Q(status=Delivery.PENDING, next_attempt_at__lte=now)
        | Q(status=Delivery.SENDING, claimed_until__lt=now)
    ).order_by("next_attempt_at", "pk")
    sent = 0
    connection = None
    try:
        for pk in list(due.values_list("pk", flat=True)[:limit]):
            if stopping():
                break
            token = claim(pk, now)
            if token is None:
                continue  # another worker has it
            try:
                message = Message.objects.select_related("recipient").get(pk=pk)
                if connection is None:
                    connection = mailers.default
                sent += _deliver(message, token, connection)
            except DATABASE_GONE:
                _held.append((pk, token))
                raise
            pulse()
    finally:
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
    return sent


# A claim this process took and could not settle because the database went away
# before the message was sent: given back once the database is there again, instead of
# waiting out its lease.
_held: list[tuple[int, str]] = []


def release_held() -> None:
    while _held:
        pk, token = _held[0]
        Message.objects.filter(pk=pk, claim_token=token, status=Delivery.SENDING).update(
            status=Delivery.PENDING, claim_token="", claimed_until=None
        )
        _held.pop(0)


def claim(pk: int, now: datetime) -> str | None:
    """Take the message for this worker, if no other worker holds it."""
    token = secrets.token_hex(16)
    claimed = Message.objects.filter(
        Q(status=Delivery.PENDING, next_attempt_at__lte=now)
        | Q(status=Delivery.SENDING, claimed_until__lt=now),
        pk=pk,
    ).update(
        status=Delivery.SENDING,
        claim_token=token,
        claimed_until=now + timedelta(seconds=settings.NOTICE_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _deliver(message: Message, token: str, connection: BaseEmailBackend) -> int:
    mine = Message.objects.filter(pk=message.pk, claim_token=token, status=Delivery.SENDING)
    address = address_of(message)
    if not address:
        mine.update(status=Delivery.FAILED, last_error="NoAddress")
        log.warning("message %s (%s) has no address; parked as failed", message.pk, message.kind)
        return 0
    try:
        connection.send_messages([render(message, address)])
    except ValueError:
        # An address no SMTP server takes (a non-ASCII name before the @): trying again
        # changes nothing. The administrator sees it parked, fixes the address, retries.
        # Never logged: the error text quotes the address.
        mine.update(status=Delivery.FAILED, last_error="InvalidAddress")
        log.warning("message %s (%s) has an unusable address; parked", message.pk, message.kind)
        return 0
    except (smtplib.SMTPException, OSError) as error:
        failed = message.attempts >= settings.NOTICE_MAX_ATTEMPTS
        backoff = timedelta(minutes=min(2 ** (message.attempts - 1), 60))
        mine.update(
            status=Delivery.FAILED if failed else Delivery.PENDING,
            next_attempt_at=timezone.now() + backoff,
            last_error=type(error).__name__[:60],
        )
        log.warning(
            "message %s (%s) attempt %s failed: %s%s",
            message.pk,
            message.kind,
            message.attempts,
            type(error).__name__,
            "; parked as failed" if failed else "",
        )
        return 0
    _mark_sent(message, token)
    log.info("message %s (%s) sent", message.pk, message.kind)
    return 1


def _mark_sent(message: Message, token: str) -> None:
    """The SMTP server has the message: record it, waiting for the database if it has
    gone away meanwhile, for as long as the claim lasts. Only when the database stays
    away past the lease can the message be sent a second time (the window above)."""
    until = (message.claimed_until or timezone.now()) - timedelta(seconds=5)
    wait = 0.5
    while True:
        try:
            Message.objects.filter(
                pk=message.pk, claim_token=token, status=Delivery.SENDING
            ).update(status=Delivery.SENT, sent_at=timezone.now(), last_error="")
            return
        except DATABASE_GONE as error:
            if timezone.now() + timedelta(seconds=wait) > until:
                # Its claim runs out and it is sent again (the window above).
                log.warning(
                    "message %s sent but not recorded (%s); it may be sent again",
                    message.pk,
                    type(error).__name__,
                )
                return
            log.warning(
                "message %s sent; database unavailable (%s), recording it again in %.1f s",
                message.pk,
                type(error).__name__,
                wait,
            )
            reconnect()
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


def address_of(message: Message) -> str:
    recipient = message.recipient
    if recipient is None:
        return message.address
    employee = getattr(recipient, "employee", None)
    return recipient.email or (employee.email if employee is not None else "")


def render(message: Message, address: str) -> EmailMessage:
    """The e-mail in the recipient's language: a neutral line and a link, nothing more."""
    with translation.override(
        getattr(message.recipient, "language", None) or settings.LANGUAGE_CODE
    ):
        link = settings.SITE_URL.rstrip("/") + message.path
        body = "\n\n".join(
            [
                _("Hello,"),
                LINES[Kind(message.kind)](),
                *([_("Code: %(code)s") % {"code": message.code}] if message.code else []),
                _("Please look in Peer Support: %(link)s") % {"link": link},
                _(
                    "This message says nothing more on purpose: what happens in Peer Support "
                    "stays between the people in it."
                ),
            ]
        )
        subject = _("Peer Support: %(what)s") % {"what": Kind(message.kind).label}
    email = EmailMessage(subject, body + "\n", to=[address])
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "peersupport"
    # The same Message-ID on every attempt (Django would invent a new one each time),
    # so that a repeat can be recognised.
    email.extra_headers["Message-ID"] = f"<peersupport-message-{message.pk}@{domain}>"
    return email
