"""The daily anchor: the chain's head (position and hash), written where the
application cannot take it back: the system log and an e-mail to the privacy
officer. With the latest anchor, `manage.py verifylog --anchor POSITION:HASH` finds
rows deleted from the end, a table emptied, or a stored anchor removed.

The anchor says nothing about anyone: a number and a hash.
"""

import logging
from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peersupport.audit.models import Seal, SealKind, seal
from peersupport.notices.models import Kind, enqueue

log = logging.getLogger("peersupport.audit.anchor")


def anchor_if_due(now: datetime | None = None) -> Seal | None:
    """Write today's anchor unless there is one already; the scheduler calls it."""
    now = now or timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    if Seal.objects.filter(kind=SealKind.ANCHOR, at__gte=midnight).exists():
        return None
    return write_anchor(now)


def write_anchor(now: datetime | None = None) -> Seal:
    with transaction.atomic():
        stamp = seal(SealKind.ANCHOR, now)
        code = f"{stamp.position}:{stamp.hash}"
        if settings.PRIVACY_OFFICER_EMAIL:
            enqueue(
                kind=Kind.LOG_ANCHOR,
                path="/",
                address=settings.PRIVACY_OFFICER_EMAIL,
                code=code,
                dedupe_key=f"log_anchor:{stamp.pk}",
            )
    log.info("access log anchor %s at %s", code, stamp.at.isoformat())
    return stamp
