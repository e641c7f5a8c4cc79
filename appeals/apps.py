from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Urgent appeals")

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef, Prefetch
        from django.urls import reverse

        from casefile.audit.deletions import audit_deletions
        from casefile.audit.pages import register_object_page
        from casefile.sitemaps import Section, register_section
        from incidents.hooks import (
            register_api_detail_related,
            register_case_filters,
            register_case_page_annotation,
            register_demo_loader,
        )
        from incidents.signals import publication_changed

        from . import roles, workflow  # noqa: F401  (register the rules and the workflow)
        from .api import AppealRefSerializer
        from .filters import case_filters
        from .models import Addressee, Appeal, AppealAddressee, AppealText, AppealVersion
        from .publication import on_incident_publication_changed

        register_demo_loader("load_demo_appeals")
        publication_changed.connect(
            on_incident_publication_changed, dispatch_uid="appeals-public-files"
        )
        # What the case list, page and API show of appeals (incidents cannot import them).
        register_case_filters(
            case_filters(),
            template="appeals/public/_case_filters.html",
            folded=True,
            empty_means_any=True,
        )
        register_case_page_annotation(
            "has_appeals",
            lambda: Exists(Appeal.objects.published().filter(incident=OuterRef("pk"))),
        )
        register_api_detail_related(
            "appeals",
            prefetch=lambda user: Prefetch(
                "appeals",
                queryset=Appeal.objects.visible_to(user).order_by("-created_at", "-id"),
                to_attr="visible_appeals",
            ),
            schema=AppealRefSerializer(many=True, read_only=True),
            represent=lambda incident, request: [
                {
                    "id": appeal.pk,
                    "reference": appeal.reference,
                    "api_url": request.build_absolute_uri(
                        reverse("api:appeal-detail", args=[appeal.pk])
                    ),
                }
                for appeal in incident.visible_appeals
            ],
        )
        register_section(
            "appeals",
            Section(
                "appeals:public_detail",
                "slug",
                lambda: Appeal.objects.published(),
                "reference_slug",
            ),
        )
        # Deletions are audit events (type and id only), whichever screen or cascade made them.
        audit_deletions(Appeal, Addressee)
        audit_deletions(AppealText, AppealAddressee, AppealVersion, parent="appeal")
        register_object_page(Appeal, "appeals:staff_detail")
