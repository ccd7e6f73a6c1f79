"""Peer supporters: the trained colleagues who hold the conversations."""

import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.people.models import Department, Employee
from peersupport.people.phones import E164Validator
from peersupport.vocabulary import Approach, EventCategory, Language


def photo_path(instance: "Supporter", filename: str) -> str:
    return f"photos/{uuid.uuid4().hex}.jpg"


INTERVISION_INTERVAL = timedelta(days=365)
# A room or a building: a short label of at most four words and 30 characters, no
# sentences about anyone (no commas, semicolons or line breaks either).
PLACE_VALIDATOR = RegexValidator(
    r"^(?=.{1,30}$)[\w'()/.-]+(?: [\w'()/.-]+){0,3}$",
    _("A short place name: at most four words and 30 characters, e.g. Vergaderzaal 2."),
)


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def current(self) -> "SupporterQuerySet":
        """In the pool: active, and still employed. A leaver from the HR import is out
        at once, from the pool's counts, the dashboard and the attendance lists."""
        return self.filter(is_active=True, employee__is_active=True)

    def gone(self) -> "SupporterQuerySet":
        """No longer able to hold a case: made inactive, left (HR import), or without a
        working account."""
        return self.exclude(
            is_active=True, employee__is_active=True, employee__user__is_active=True
        )

    def absent_on(self, day: date) -> "SupporterQuerySet":
        return self.filter(absences__starts_on__lte=day, absences__ends_on__gte=day)

    def assignable(self) -> "SupporterQuerySet":
        """Active, trained, and with an account to record their work: the only
        supporters who can take a case."""
        return self.filter(
            is_active=True,
            trained_on__isnull=False,
            employee__is_active=True,
            employee__user__is_active=True,
            # Implied by the line above, but said for PostgreSQL's planner: without it, it
            # may walk every employee's index entry (1.5 million nationally) to find the
            # few with an account.
            employee__user__isnull=False,
        )

    def in_directory(self) -> "SupporterQuerySet":
        """Listed, assignable, and not away today: whom an employee may contact."""
        today = timezone.localdate()
        away = Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).values("supporter")
        return self.assignable().filter(listed_in_directory=True).exclude(pk__in=away)

    def with_last_intervision(self) -> "SupporterQuerySet":
        """Annotate ``last_intervision``: the latest meeting attended, up to today.
        (A subquery per supporter, so it combines with other annotations unmultiplied.)"""
        latest = (
            Attendance.objects.filter(
                supporter=models.OuterRef("pk"), meeting__held_on__lte=timezone.localdate()
            )
            .order_by("-meeting__held_on")
            .values("meeting__held_on")[:1]
        )
        return self.annotate(last_intervision=models.Subquery(latest))

    def with_intervision_due(self) -> "SupporterQuerySet":
        """``with_last_intervision`` and ``needs_intervision``: trained, and no intervision
        within the year (``Supporter.intervision_due`` in SQL)."""
        since = timezone.localdate() - INTERVISION_INTERVAL
        return self.with_last_intervision().annotate(
            needs_intervision=models.ExpressionWrapper(
                models.Q(trained_on__isnull=False)
                & (models.Q(last_intervision__isnull=True) | models.Q(last_intervision__lt=since)),
                output_field=models.BooleanField(),
            )
        )


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
        validators=[E164Validator()],
        help_text=_("Where employees reach you; your work phone if left empty."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=3, help_text=_("How many open cases at once.")
    )
    trained_on = models.DateField(_("one-day training completed on"), null=True, blank=True)
    # A random name: a photo's address tells nothing about whose it is.
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
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
    def photo_url(self) -> str:
        if not self.photo or not self.photo.name:
            return ""
        name = self.photo.name.removeprefix("photos/").removesuffix(".jpg")
        return reverse("directory:photo", args=[name])

    @property
    def reach_at(self) -> str:
        return self.phone or self.employee.phone

    @staticmethod
    def intervision_due(last: date | None) -> bool:
        """Procedure §11: intervision every year. ``last`` is the latest meeting attended."""
        return last is None or last < timezone.localdate() - INTERVISION_INTERVAL


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


class Refresher(models.Model):
    """A refresher training a supporter completed (procedure §11)."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="refreshers")
    completed_on = models.DateField(_("completed on"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("refresher training")
        verbose_name_plural = _("refresher trainings")

    def __str__(self) -> str:
        return str(self.completed_on)


class MeetingPlace(models.Model):
    """A room where intervision is held: the list the coordinator keeps, so that a
    meeting's place is picked, never typed."""

    label = models.CharField(_("place"), max_length=30, unique=True, validators=[PLACE_VALIDATOR])

    class Meta:
        ordering = ["label"]
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")

    def __str__(self) -> str:
        return self.label


class IntervisionMeeting(models.Model):
    """A yearly intervision meeting the coordinator plans (procedure §11)."""

    held_on = models.DateField(_("date"))
    place = models.ForeignKey(
        MeetingPlace, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("place")
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("intervision meeting")
        verbose_name_plural = _("intervision meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class Attendance(models.Model):
    meeting = models.ForeignKey(
        IntervisionMeeting, on_delete=models.CASCADE, related_name="attendances"
    )
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "supporter"], name="one_attendance_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.supporter_id}"
