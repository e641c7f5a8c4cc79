from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from casefile.audit.deletions import audit_deletions
        from casefile.audit.pages import register_object_page
        from casefile.sitemaps import Section, register_pages, register_section
        from organizations.models import Organization, PerpetratorGroup
        from organizations.querysets import register_published_ids

        from . import roles, workflow  # noqa: F401  (register the rules and the workflow)
        from .models import (
            Figure,
            FigureTranslation,
            Incident,
            IncidentPerpetrator,
            IncidentTranslation,
            Source,
            Status,
            StatusTranslation,
            Update,
            UpdateTranslation,
            ViolationType,
        )
        from .search import connect_name_signals
        from .signals import publication_changed
        from .statistics import forget_statistics
        from .vocabulary import forget_statuses

        # Organizations and groups are public through the published incidents naming them.
        register_published_ids(
            Organization, lambda: Incident.objects.published().values("organizations")
        )
        register_published_ids(
            PerpetratorGroup,
            lambda: Incident.objects.published().values("perpetrator_links__perpetrator_group"),
        )
        register_section(
            "cases",
            Section(
                "incidents:detail",
                "slug",
                lambda: Incident.objects.published(),
                "slug",
                "updated_at",
            ),
        )
        register_pages("incidents:home", "incidents:list", "incidents:statistics")
        publication_changed.connect(forget_statistics, dispatch_uid="forget-statistics")
        for model in (Status, StatusTranslation):
            post_save.connect(forget_statuses, sender=model, dispatch_uid=f"forget-{model}-saved")
            post_delete.connect(forget_statuses, sender=model, dispatch_uid=f"forget-{model}-gone")
        # Deletions are audit events (type and id only), whichever screen or cascade made them.
        audit_deletions(Incident, Status, ViolationType)
        audit_deletions(
            Source, Figure, Update, IncidentPerpetrator, IncidentTranslation, parent="incident"
        )
        audit_deletions(UpdateTranslation, parent="update")
        audit_deletions(FigureTranslation, parent="figure")
        register_object_page(Incident, "incidents:staff_detail")
        # Cases are found by their organizations' and groups' names: renames refresh them.
        connect_name_signals()
