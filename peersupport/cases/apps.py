from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "peersupport.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from peersupport.cases import search  # noqa: F401  (gives SQLite its UNACCENT)
        from peersupport.cases.metrics import open_cases
        from peersupport.operations.metrics import contribute

        contribute("open_cases", open_cases)
