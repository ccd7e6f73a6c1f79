"""Events and the support requests they bring: the first two things the case core
records, before any case.

Structured choices and dates only (`tests/test_no_free_text.py`).
"""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases.constants import (
    MANDATORY_OFFER_CATEGORIES,
    Channel,
    EventCategory,
)
from peersupport.people.models import ApiToken, Department, User
from peersupport.supporters.models import Supporter


@deconstructible(path="peersupport.cases.models.case.ExternalReferenceValidator")
class ExternalReferenceValidator(RegexValidator):
    """An incident number as the hospital's system writes it, by the pattern in the
    settings (EXTERNAL_REFERENCE_PATTERN): an identifier can then never carry a
    sentence, not even one written with underscores and dots."""

    message = _("Not an incident number as this installation expects it (e.g. VIM-2026-00123).")

    def __init__(self) -> None:
        super().__init__()

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(settings.EXTERNAL_REFERENCE_PATTERN)

    @regex.setter
    def regex(self, value: object) -> None:
        pass  # always the settings' pattern


EXTERNAL_REFERENCE_VALIDATOR = ExternalReferenceValidator()
FINGERPRINT_VALIDATOR = RegexValidator(r"^[0-9a-f]{64}$")


class Event(models.Model):
    """What happened, by category only. One event can affect several employees."""

    category = models.CharField(_("category"), max_length=30, choices=EventCategory)
    event_date = models.DateField(_("date of the event"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="events", verbose_name=_("department")
    )
    serious_incident = models.BooleanField(_("serious incident report"), default=False)
    reported_to_inspectorate = models.BooleanField(_("reported to the inspectorate"), default=False)
    offer_mandatory = models.BooleanField(
        _("offer mandatory"),
        default=False,
        help_text=_("Every affected employee must be offered support before the case can close."),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["-event_date"]
        verbose_name = _("impactful event")
        verbose_name_plural = _("impactful events")

    def __str__(self) -> str:
        return gettext("Event %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs) -> None:
        # Procedure §7: these make the offer proactive and mandatory, whoever registers them.
        if (
            self.category in MANDATORY_OFFER_CATEGORIES
            or self.serious_incident
            or self.reported_to_inspectorate
        ):
            self.offer_mandatory = True
        super().save(*args, **kwargs)


class SupportRequest(models.Model):
    """The notice that one or more employees may need support after an event."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="requests", verbose_name=_("event")
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel)
    # Who referred is kept for the access log only; it is never shown with the case.
    referred_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # The manager's answer to "did you discuss this with the employee?" (procedure §8 step 2).
    discussed_with_employee = models.BooleanField(
        _("discussed with the employee"), null=True, blank=True
    )
    # A self-request naming a supporter from the directory.
    requested_supporter = models.ForeignKey(
        Supporter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supporter asked for"),
    )
    # Requests from an integration are idempotent on (integration, external_reference).
    integration = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        validators=[EXTERNAL_REFERENCE_VALIDATOR],
        help_text=_("The incident report's id in the incident-reporting system."),
    )
    # SHA-256 of the submitted content, to tell a repeat from a conflicting resubmission.
    fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, validators=[FINGERPRINT_VALIDATOR]
    )

    class Meta:
        # The table keeps the name it had when the model was called Request.
        db_table = "cases_request"
        ordering = ["-received_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="one_request_per_external_reference",
            )
        ]

    def __str__(self) -> str:
        return gettext("Request %(number)s") % {"number": self.pk}
