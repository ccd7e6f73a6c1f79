from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def time_left(due_at: datetime | None, now: datetime | None = None) -> str:
    """'31 h left' or '5 h late' in whole hours, the unit a 72-hour clock is read in;
    in days beyond 72 hours ('12 days left')."""
    if due_at is None:
        return ""
    seconds = (due_at - (now or timezone.now())).total_seconds()
    hours = int(abs(seconds) // 3600)
    if hours > 72:
        days = hours // 24
        if seconds >= 0:
            return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
        return ngettext("%(n)s day late", "%(n)s days late", days) % {"n": days}
    if seconds >= 0:
        return ngettext("%(n)s h left", "%(n)s h left", hours) % {"n": hours}
    return ngettext("%(n)s h late", "%(n)s h late", hours) % {"n": hours}
