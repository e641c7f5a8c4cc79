from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and perpetrator groups")

    def ready(self) -> None:
        from audit.deletions import audit_deletions

        from .models import (
            Organization,
            OrganizationTranslation,
            PerpetratorGroup,
            PerpetratorGroupTranslation,
        )

        # Deletions are audit events (type and id only), whichever screen or cascade made them.
        audit_deletions(Organization, PerpetratorGroup)
        audit_deletions(OrganizationTranslation, parent="organization")
        audit_deletions(PerpetratorGroupTranslation, parent="group")
