from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Registers the role rules (rules.add_perm) before any permission check.
        from . import roles  # noqa: F401
