from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Anonymous facts and the annual report. This app imports neither cases nor
    people: the report can only see counts, so it cannot identify anyone."""

    name = "peersupport.reports"
    label = "reports"
    verbose_name = _("Annual report")
