from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def time_left(due_at: datetime | None, now: datetime | None = None) -> str:
    """'31 h left' or '5 h late': whole hours, the unit a 72-hour clock is read in."""
    if due_at is None:
        return ""
    seconds = (due_at - (now or timezone.now())).total_seconds()
    hours = int(abs(seconds) // 3600)
    if seconds >= 0:
        return _("%(hours)s h left") % {"hours": hours}
    return _("%(hours)s h late") % {"hours": hours}
