from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyPagesConfig(AppConfig):
    name = "peersupport.mypages"
    label = "mypages"
    verbose_name = _("My pages")
