from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and perpetrator groups")

    def ready(self) -> None:
        from casefile.audit.deletions import audit_deletions
        from casefile.sitemaps import Section, register_section

        from . import roles  # noqa: F401  (registers the rules)
        from .models import (
            Organization,
            OrganizationTranslation,
            PerpetratorGroup,
            PerpetratorGroupTranslation,
        )

        # Public through published incidents (querysets.py): the sitemap lists only those.
        register_section(
            "organizations",
            Section("organizations:detail", "pk", lambda: Organization.objects.published(), "pk"),
        )
        register_section(
            "perpetrators",
            Section(
                "organizations:perpetrator_detail",
                "pk",
                lambda: PerpetratorGroup.objects.published(),
                "pk",
            ),
        )
        # Deletions are audit events (type and id only), whichever screen or cascade made them.
        audit_deletions(Organization, PerpetratorGroup)
        audit_deletions(OrganizationTranslation, parent="organization")
        audit_deletions(PerpetratorGroupTranslation, parent="group")
