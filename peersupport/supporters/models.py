"""Peer supporters: the trained colleagues who hold the conversations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peersupport.people.models import Employee


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def assignable(self) -> "SupporterQuerySet":
        """Active and trained: the only supporters who can take a case."""
        return self.filter(is_active=True, trained_on__isnull=False, employee__is_active=True)

    def in_directory(self) -> "SupporterQuerySet":
        return self.assignable().filter(listed_in_directory=True)


class Supporter(models.Model):
    """A supporter's profile. Richer matching data (experience, approach, languages,
    absences, training records) is added by the supporter-pool work."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="supporter", verbose_name=_("employee")
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
