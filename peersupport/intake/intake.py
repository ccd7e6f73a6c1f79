"""Every way a request comes in ends here: one event, one request, one case per
affected employee, written together or not at all (R-1 to R-4, R-8)."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from peersupport.audit import models as audit
from peersupport.cases import dates
from peersupport.cases.access import LOGGED_AS
from peersupport.cases.constants import Channel, EventCategory
from peersupport.cases.matching import is_available
from peersupport.cases.models import EXTERNAL_REFERENCE_VALIDATOR, Case, Event, SupportRequest
from peersupport.notices import models as notices
from peersupport.people.models import ApiToken, Department, Employee, User
from peersupport.supporters.models import Supporter


@dataclass
class Intake:
    channel: Channel
    category: EventCategory
    event_date: date
    department: Department
    employees: list[Employee]
    referred_by: User | None = None
    serious_incident: bool = False
    reported_to_inspectorate: bool = False
    discussed_with_employee: bool | None = None
    requested_supporter: Supporter | None = None
    integration: ApiToken | None = None
    external_reference: str = ""
    cases: list[Case] = field(default_factory=list, init=False)

    def fingerprint(self) -> str:
        content = {
            "channel": self.channel,
            "category": self.category,
            "event_date": self.event_date.isoformat(),
            "department": self.department.pk,
            "employees": sorted(e.pk for e in self.employees),
            "serious_incident": self.serious_incident,
            "reported_to_inspectorate": self.reported_to_inspectorate,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class DuplicateConflict(Exception):
    """The external reference was used before, with different content."""

    def __init__(self, existing: SupportRequest) -> None:
        super().__init__(str(existing.pk))
        self.existing = existing


def validate_event_date(value: date) -> None:
    try:
        dates.check_event_date(value)
    except ValidationError as error:
        raise ValidationError({"event_date": error.messages}) from None


def submit(intake: Intake) -> tuple[SupportRequest, bool]:
    """Register the request; returns it and whether it was created now.

    An integration's second submission of the same external reference returns the
    first request (created=False); with different content it raises DuplicateConflict.
    """
    validate_event_date(intake.event_date)
    if intake.external_reference:
        try:
            EXTERNAL_REFERENCE_VALIDATOR(intake.external_reference)
        except ValidationError as error:
            raise ValidationError({"external_reference": error.messages}) from None
    if not intake.employees:
        raise ValidationError({"employees": _("Choose at least one employee.")})
    if intake.external_reference:
        existing = _existing(intake)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return _create(intake), True
    except IntegrityError:
        # Another submission of the same reference won the race: answer as a repeat.
        existing = _existing(intake) if intake.external_reference else None
        if existing is None:
            raise
        return existing, False


def _existing(intake: Intake) -> SupportRequest | None:
    existing = SupportRequest.objects.filter(
        integration=intake.integration, external_reference=intake.external_reference
    ).first()
    if existing is not None and existing.fingerprint != intake.fingerprint():
        raise DuplicateConflict(existing)
    return existing


def _create(intake: Intake) -> SupportRequest:
    event = Event.objects.create(
        category=intake.category,
        event_date=intake.event_date,
        department=intake.department,
        serious_incident=intake.serious_incident,
        reported_to_inspectorate=intake.reported_to_inspectorate,
    )
    request = SupportRequest.objects.create(
        event=event,
        channel=intake.channel,
        referred_by=intake.referred_by,
        discussed_with_employee=intake.discussed_with_employee,
        requested_supporter=intake.requested_supporter,
        integration=intake.integration,
        external_reference=intake.external_reference,
        fingerprint=intake.fingerprint() if intake.external_reference else "",
    )
    for employee in intake.employees:
        case = Case.open_for(request=request, employee=employee, by=intake.referred_by)
        intake.cases.append(case)
        audit.record(
            user_id=intake.referred_by.pk if intake.referred_by else None,
            role="integration" if intake.integration else intake.channel,
            action="create",
            object_type=LOGGED_AS,
            object_id=case.pk,
            allowed=True,
        )
    if intake.referred_by is not None:
        # the referrer and a self-requesting employee hear that it arrived, nothing more.
        self_request = intake.channel in (Channel.SELF_DIRECTORY, Channel.SELF_COORDINATOR)
        notices.enqueue(
            recipient_id=intake.referred_by.pk,
            kind=notices.Kind.REQUEST_RECEIVED,
            path=reverse("support:mine") if self_request else reverse("home"),
        )
    if intake.requested_supporter is not None and len(intake.cases) == 1:
        case = intake.cases[0]
        # the named supporter if they can take it; otherwise the coordinator matches.
        if is_available(intake.requested_supporter, for_employee=case.employee):
            case.assign(intake.requested_supporter, by=intake.referred_by)
    return request
