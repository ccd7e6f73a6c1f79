"""Anonymous facts: what happened, counted, with no link to a person or a case.

They are written as cases move (facts.py) and outlive the cases they came from;
the annual report is computed from them alone (R-25, R-26)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peersupport.vocabulary import Channel, EventCategory, ProfessionGroup, Reason, ReferralType


class FactKind(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    NO_ANSWER = "no_answer", _("No answer")
    FIRST_CONTACT = "first_contact", _("First contact")
    CONVERSATION = "conversation", _("Conversation held")
    REFERRAL = "referral", _("Referral")
    CLOSURE = "closure", _("Closure")
    HELP_ARRANGED = "help_arranged", _("Help arranged")


class Fact(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FactKind)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel, blank=True)
    category = models.CharField(
        _("event category"), max_length=30, choices=EventCategory, blank=True
    )
    function_group = models.CharField(
        _("profession group"), max_length=20, choices=ProfessionGroup, blank=True
    )
    mandatory = models.BooleanField(_("offer mandatory"), default=False)
    conversation_number = models.PositiveSmallIntegerField(_("conversation"), null=True, blank=True)
    referral_type = models.CharField(
        _("referred to"), max_length=20, choices=ReferralType, blank=True
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=Reason, blank=True
    )
    hours_to_first_contact = models.PositiveIntegerField(
        _("hours to first contact"), null=True, blank=True
    )
    days_to_help = models.PositiveIntegerField(
        _("days from hand-over to help arranged"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.kind}"


class PoolYear(models.Model):
    """The supporter pool's figures for a year, as counts only; updated daily."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    active = models.PositiveIntegerField(_("supporters with a case"))
    trained = models.PositiveIntegerField(_("supporters trained"))
    intervision = models.PositiveIntegerField(
        _("supporters with intervision in the last 12 months")
    )

    class Meta:
        verbose_name = _("supporter pool in a year")
        verbose_name_plural = _("supporter pool per year")

    def __str__(self) -> str:
        return str(self.year)


class ReportPolicy(models.Model):
    """How small a count may be published (R-26). One row, edited by the administrator."""

    threshold = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Counts from 0 up to this number minus one are shown as “<threshold”."),
    )
    minimum = models.PositiveSmallIntegerField(
        _("smallest total broken down"),
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text=_("A table whose total is below this number shows only “fewer than …”."),
    )

    class Meta:
        verbose_name = _("report policy")
        verbose_name_plural = _("report policy")

    def __str__(self) -> str:
        return str(_("Report policy"))

    @classmethod
    def current(cls) -> "ReportPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class CorrectionReason(models.TextChoices):
    """Why a published year got a new version: a choice, never a sentence (R-13)."""

    LATE_FACTS = "late_facts", _("Steps recorded late were added")
    MISTAKES = "mistakes", _("Steps recorded by mistake were corrected")
    POLICY = "policy", _("The report policy changed")
    OTHER = "other", _("Another correction")


class PublishedReport(models.Model):
    """A year's report as published: the protected figures, frozen. A correction is a
    new version with a note; the figures of a version never change (R-26)."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    note = models.CharField(_("correction"), max_length=20, choices=CorrectionReason, blank=True)
    threshold = models.PositiveSmallIntegerField(_("smallest count shown"))
    minimum = models.PositiveSmallIntegerField(_("smallest total broken down"))
    # {key: token}: see suppression.py. Only what was shown; no count behind it.
    figures = models.JSONField(_("published figures"))
    # Medians and shares, already rounded as shown.
    measures = models.JSONField(_("published measures"))

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="one_report_per_year_version")
        ]
        ordering = ["year", "version"]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"
