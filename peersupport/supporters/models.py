"""Peer supporters: the trained colleagues who hold the conversations."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peersupport.people.models import Department, Employee
from peersupport.vocabulary import Approach, EventCategory, Language

PHONE_VALIDATOR = RegexValidator(r"^\+?[0-9 ()-]{6,30}$", _("Digits, spaces and + ( ) - only."))


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def assignable(self) -> "SupporterQuerySet":
        """Active, trained, and with an account to record their work: the only
        supporters who can take a case."""
        return self.filter(
            is_active=True,
            trained_on__isnull=False,
            employee__is_active=True,
            employee__user__is_active=True,
        )

    def in_directory(self) -> "SupporterQuerySet":
        return self.assignable().filter(listed_in_directory=True)


class Supporter(models.Model):
    """A supporter's profile. Richer matching data (experience, approach, languages,
    absences, training records) is added by the supporter-pool work."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="supporter", verbose_name=_("employee")
    )
    departments_known = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("departments known"),
        help_text=_("Work environments this supporter knows well, besides their own."),
    )
    phone = models.CharField(
        _("phone for Peer Support"),
        max_length=30,
        blank=True,
        validators=[PHONE_VALIDATOR],
        help_text=_("Where employees reach you; your work phone if left empty."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=3, help_text=_("How many open cases at once.")
    )
    trained_on = models.DateField(_("one-day training completed on"), null=True, blank=True)
    listed_in_directory = models.BooleanField(_("listed in the directory"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        ordering = ["employee__name"]
        verbose_name = _("peer supporter")
        verbose_name_plural = _("peer supporters")

    def __str__(self) -> str:
        return self.employee.name

    @property
    def is_trained(self) -> bool:
        return self.trained_on is not None

    @property
    def reach_at(self) -> str:
        return self.phone or self.employee.phone


class Experience(models.Model):
    """A kind of event the supporter has experience with."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="experiences")
    category = models.CharField(_("kind of event"), max_length=30, choices=EventCategory)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experience")
        constraints = [
            models.UniqueConstraint(
                fields=["supporter", "category"], name="one_experience_per_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_category_display())


class ApproachTag(models.Model):
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="approaches")
    approach = models.CharField(_("approach"), max_length=20, choices=Approach)

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "approach"], name="one_tag_per_approach")
        ]

    def __str__(self) -> str:
        return str(self.get_approach_display())


class SpokenLanguage(models.Model):
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "language"], name="one_row_per_language")
        ]

    def __str__(self) -> str:
        return str(self.get_language_display())


class Absence(models.Model):
    """A period in which the supporter cannot take or hold conversations (whole days)."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until and including"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})

    def covers(self, first: date, last: date) -> bool:
        return self.starts_on <= last and self.ends_on >= first
