from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Urgent appeals")

    def ready(self) -> None:
        from audit.deletions import audit_deletions
        from incidents.signals import publication_changed

        from . import roles  # noqa: F401  (registers the rules)
        from .models import Addressee, Appeal, AppealAddressee, AppealText, AppealVersion
        from .publication import on_incident_publication_changed

        publication_changed.connect(on_incident_publication_changed)
        # Deletions are audit events (type and id only), whichever screen or cascade made them.
        audit_deletions(Appeal, Addressee)
        audit_deletions(AppealText, AppealAddressee, AppealVersion, parent="appeal")
