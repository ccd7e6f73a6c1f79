"""A planned conversation as a calendar file (R-20).

A calendar is often visible to colleagues and synced to other devices, so the
file names no employee and no event: only "Peer Support conversation 2", the
time, and a link into the application."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from peersupport.cases.access import CaseAction, get_case_for
from peersupport.people.http import AuthenticatedHttpRequest

CONVERSATION_LENGTH = timedelta(hours=1)


@require_GET
@login_required
def conversation_ics(request: AuthenticatedHttpRequest, case_id: int, number: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, CaseAction.VIEW)
    conversation = case.conversations.filter(number=number, planned_at__isnull=False).first()
    if conversation is None or conversation.planned_at is None:
        raise Http404
    start = conversation.planned_at.astimezone(timezone.get_default_timezone())
    calendar = Calendar()
    calendar.add("prodid", "-//Peer Support//EN")
    calendar.add("version", "2.0")
    event = CalendarEvent()
    event.add("uid", f"conversation-{conversation.pk}@peersupport")
    event.add("summary", _("Peer Support conversation %(number)s") % {"number": number})
    event.add("dtstart", start)
    event.add("dtend", start + CONVERSATION_LENGTH)
    # DTSTAMP is when this file was made; SEQUENCE tells a calendar that a re-planned
    # conversation (same UID) replaces the one it has.
    event.add("dtstamp", timezone.now())
    event.add("sequence", conversation.plan_sequence)
    event.add("url", settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.pk]))
    event.add("class", "PRIVATE")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peer-support-{number}.ics"'
    return response
