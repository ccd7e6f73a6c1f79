"""Around the cases: who is on call, and group sessions after a large incident."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.cases.models.request import Event
from peersupport.people.models import User


class GroupSession(models.Model):
    """A group meeting after a large incident: when, how many, how long. No names."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="group_sessions")
    held_on = models.DateField(_("held on"))
    attendees = models.PositiveSmallIntegerField(
        _("number of attendees"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")

    def __str__(self) -> str:
        return gettext("Group session on %(date)s") % {"date": self.held_on}


class OnCallShift(models.Model):
    """Who is responsible for new requests and warnings in a period (piket), weekends
    and holidays included. The rota's form refuses overlapping and past shifts; the
    queries below still read overlapping rows sensibly. A gap means nobody is."""

    coordinator = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="on_call_shifts", verbose_name=_("coordinator")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call rota")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.coordinator} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    @classmethod
    def on_call_at(cls, moment: datetime) -> list[User]:
        """The coordinators on call at ``moment``, the latest shift first."""
        shifts = cls.objects.filter(starts_at__lte=moment, ends_at__gt=moment).select_related(
            "coordinator"
        )
        return [s.coordinator for s in shifts.order_by("-starts_at", "pk")]

    @classmethod
    def gaps(cls, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The periods between ``start`` and ``end`` that no shift covers."""
        gaps, covered_until = [], start
        for shift in cls.objects.filter(ends_at__gt=start, starts_at__lt=end).order_by("starts_at"):
            if shift.starts_at > covered_until:
                gaps.append((covered_until, shift.starts_at))
            covered_until = max(covered_until, shift.ends_at)
        if covered_until < end:
            gaps.append((covered_until, end))
        return gaps
