"""The organisation's deadline policy (R-9)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases.constants import Anchor

MAX_CONVERSATIONS = 3
# Bounds that keep every deadline a date a calendar can hold: a month of hours, a year of days.
MAX_HOURS = 24 * 31
MAX_DAYS = 366


class DeadlinePolicy(models.Model):
    """The organisation's deadlines (R-9). One row, edited by the administrator.

    Hour-based deadlines count hours on the organisation's wall clock
    (``deadlines.on_the_clock``): across a daylight-saving change 72 hours on the
    clock are 71 or 73 hours elapsed. Day-based deadlines count calendar days in the
    organisation's time zone and fall due at the end of the last day.
    """

    first_contact_hours = models.PositiveSmallIntegerField(
        _("first contact within (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
    )
    first_contact_risk_hours = models.PositiveSmallIntegerField(
        _("first contact at risk after (hours)"),
        default=48,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
    )
    first_contact_reminder_hours = models.PositiveSmallIntegerField(
        _("remind the supporter when no first contact after (hours)"),
        default=24,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
    )
    first_contact_anchor = models.CharField(
        _("first contact counts from"), max_length=20, choices=Anchor, default=Anchor.REQUEST
    )
    first_conversation_hours = models.PositiveSmallIntegerField(
        _("first conversation within (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
    )
    first_conversation_risk_hours = models.PositiveSmallIntegerField(
        _("first conversation at risk after (hours)"),
        default=48,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
    )
    first_conversation_anchor = models.CharField(
        _("first conversation counts from"), max_length=20, choices=Anchor, default=Anchor.REQUEST
    )
    second_conversation_days = models.PositiveSmallIntegerField(
        _("second conversation within (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
    )
    second_conversation_anchor = models.CharField(
        _("second conversation counts from"), max_length=20, choices=Anchor, default=Anchor.EVENT
    )
    third_conversation_days = models.PositiveSmallIntegerField(
        _("third conversation aimed for within (days)"),
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
    )
    third_conversation_window_days = models.PositiveSmallIntegerField(
        _("third conversation at the latest within (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
    )
    third_conversation_anchor = models.CharField(
        _("third conversation counts from"), max_length=20, choices=Anchor, default=Anchor.EVENT
    )
    conversation_risk_days = models.PositiveSmallIntegerField(
        _("a conversation is at risk this many days before its deadline"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DAYS)],
    )
    standard_conversations = models.PositiveSmallIntegerField(
        _("standard number of conversations"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_CONVERSATIONS)],
        help_text=_("2: a third only when planned (procedure). 3: always three (web page)."),
    )
    no_answer_after_attempts = models.PositiveSmallIntegerField(
        _("no answer after (contact attempts)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    retention_months = models.PositiveSmallIntegerField(
        _("delete identifying data of closed cases after (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    event_years_back = models.PositiveSmallIntegerField(
        _("an event can be at most this many years ago"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    planning_horizon_days = models.PositiveSmallIntegerField(
        _("a conversation can be planned at most this many days ahead"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    undo_hours = models.PositiveSmallIntegerField(
        _("a supporter can undo their own last step within (hours)"),
        default=24,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
        help_text=_("0: supporters cannot undo; the coordinator can still correct."),
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policy")

    def __str__(self) -> str:
        return gettext("Deadline policy")

    def clean(self) -> None:
        # (field, must be below or equal, the field it is compared with, strictly?, message)
        rules = [
            (
                "first_contact_risk_hours",
                "first_contact_hours",
                True,
                _("Must be less than the first-contact deadline."),
            ),
            (
                "first_contact_reminder_hours",
                "first_contact_hours",
                True,
                _("Must be less than the first-contact deadline."),
            ),
            (
                "first_conversation_risk_hours",
                "first_conversation_hours",
                True,
                _("Must be less than the first-conversation deadline."),
            ),
            (
                "conversation_risk_days",
                "second_conversation_days",
                True,
                _("Must be less than the second-conversation deadline."),
            ),
            (
                "second_conversation_days",
                "third_conversation_days",
                False,
                _("Must not be later than the third conversation's aim."),
            ),
            (
                "third_conversation_days",
                "third_conversation_window_days",
                False,
                _("Must not be later than the third conversation's last day."),
            ),
        ]
        errors = {}
        for low, high, strict, message in rules:
            a, b = getattr(self, low), getattr(self, high)
            # A field that failed its own validation is None here and has its own error.
            if a is None or b is None:
                continue
            if a > b or (strict and a == b):
                errors[low] = message
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> "DeadlinePolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
