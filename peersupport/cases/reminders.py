"""The sweep: reminders and escalations found from the deadline columns, not
scheduled one by one (R-18).

Each reminder carries a key made of what it is about (kind, case, the deadline it
belongs to, the recipient), so a sweep that runs twice, or two schedulers at once,
add nothing the second time; a reopened case has new deadlines and so new keys.
Warnings go to the coordinator on call at that moment, or to every coordinator
when nobody is on the rota, so that nothing falls through.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from peersupport.cases.constants import DeadlineKind
from peersupport.cases.deadlines import on_the_clock
from peersupport.cases.models import Case, CaseTransition, DeadlinePolicy, OnCallShift
from peersupport.cases.workflow import BEFORE_FIRST_CONTACT, CONVERSATIONS_DUE
from peersupport.notices.models import Kind, Message, enqueue_once, keys_of
from peersupport.people.models import Role, User
from peersupport.reports import facts
from peersupport.supporters.models import Supporter


def _key(*parts: object) -> str:
    return ":".join(str(p) for p in parts)


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def sweep(now: datetime | None = None) -> int:
    """Create every reminder and warning that is due at ``now``; returns how many are new."""
    now = now or timezone.now()
    policy = DeadlinePolicy.current()
    messages: list[Message] = []
    messages += _supporter_reminders(now, policy.first_contact_reminder_hours)
    messages += _coordinator_warnings(now)
    messages += _conversation_reminders(now)
    messages += _intervision_reminders(now)
    record_pool_year(now)
    return enqueue_once(messages)


def record_pool_year(now: datetime) -> None:
    """The year's supporter figures for the annual report, as counts only."""
    year = timezone.localdate(now).year
    active = (
        CaseTransition.objects.filter(at__year=year, supporter__isnull=False)
        .values("supporter")
        .distinct()
        .count()
    )
    trained = Supporter.objects.assignable()
    lasts = trained.with_last_intervision().values_list("last_intervision", flat=True)  # type: ignore[misc]
    facts.record_pool(
        year,
        active=active,
        trained=trained.count(),
        intervision=len([last for last in lasts if not Supporter.intervision_due(last)]),
    )


def _path(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


def _supporter_reminders(now: datetime, hours: int) -> list[Message]:
    # A superset in SQL (the clock can shift an hour), the exact moment in Python.
    cases = Case.objects.filter(
        status__in=BEFORE_FIRST_CONTACT,
        supporter__isnull=False,
        clock_started_at__lte=now - timedelta(hours=hours - 1),
    ).values_list("pk", "clock_started_at", "supporter__employee__user_id")
    return [
        Message(
            recipient_id=user_id,
            kind=Kind.FIRST_CONTACT_REMINDER,
            path=_path(pk),
            dedupe_key=_key("contact_reminder", pk, _stamp(started)),
        )
        for pk, started, user_id in cases
        if user_id and on_the_clock(started, hours) <= now
    ]


def _coordinator_warnings(now: datetime) -> list[Message]:
    cases = list(
        Case.objects.filter(
            status__in=BEFORE_FIRST_CONTACT,
            next_deadline_kind=DeadlineKind.FIRST_CONTACT,
            next_deadline_risk_at__lte=now,
        ).values_list("pk", "next_deadline_risk_at", "next_deadline_at")
    )
    if not cases:
        return []
    recipients = [u.pk for u in OnCallShift.on_call_at(now)] or list(
        User.objects.filter(roles__role=Role.COORDINATOR, is_active=True).values_list(
            "pk", flat=True
        )
    )
    # Once warned about a deadline, a case is not warned about again when the rota turns.
    warned = keys_of(Kind.FIRST_CONTACT_AT_RISK, Kind.FIRST_CONTACT_LATE)
    warned_about = {key.rsplit(":", 1)[0] for key in warned}
    messages = []
    for pk, risk_at, due_at in cases:
        for kind, name, moment in (
            (Kind.FIRST_CONTACT_AT_RISK, "at_risk", risk_at),
            (Kind.FIRST_CONTACT_LATE, "late", due_at),
        ):
            if moment is None or moment > now:
                continue
            about = _key(name, pk, _stamp(moment))
            if about not in warned_about:
                messages += [
                    Message(
                        recipient_id=user, kind=kind, path=_path(pk), dedupe_key=_key(about, user)
                    )
                    for user in recipients
                ]
    return messages


def _conversation_reminders(now: datetime) -> list[Message]:
    cases = Case.objects.filter(
        status__in=CONVERSATIONS_DUE,
        supporter__isnull=False,
        next_deadline_risk_at__lte=now,
    ).values_list("pk", "next_deadline_kind", "next_deadline_at", "supporter__employee__user_id")
    return [
        Message(
            recipient_id=user_id,
            kind=Kind.CONVERSATION_REMINDER,
            path=_path(pk),
            dedupe_key=_key("conversation", pk, kind, _stamp(due_at)),
        )
        for pk, kind, due_at, user_id in cases
        if user_id and due_at is not None
    ]


def _intervision_reminders(now: datetime) -> list[Message]:
    """Monthly, to trained supporters without intervision in the last 12 months."""
    month = timezone.localdate(now).strftime("%Y%m")
    supporters = (
        Supporter.objects.assignable()
        .with_last_intervision()
        .values_list("pk", "employee__user_id", "last_intervision")  # type: ignore[misc]
    )
    return [
        Message(
            recipient_id=user_id,
            kind=Kind.INTERVISION_DUE,
            path=reverse("supporters:profile"),
            dedupe_key=_key("intervision", pk, month),
        )
        for pk, user_id, last in supporters
        if Supporter.intervision_due(last)
    ]
