from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    """Information pages for employees and managers, and the supporters' conversation
    guide (R-24). Text only: nothing here stores anything."""

    name = "peersupport.information"
    label = "information"
    verbose_name = _("Information")
