from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Registers the role rules (rules.add_perm) before any permission check.
        from django.db.models.signals import post_delete, post_save

        from . import roles  # noqa: F401
        from .models import Status
        from .vocabulary import forget_statuses

        post_save.connect(forget_statuses, sender=Status, dispatch_uid="forget-statuses-saved")
        post_delete.connect(forget_statuses, sender=Status, dispatch_uid="forget-statuses-gone")
