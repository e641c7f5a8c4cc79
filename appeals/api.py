"""Urgent appeals on the API, with their ready PDF versions and download addresses.

Anonymous clients see published appeals of published incidents
(``Appeal.objects.published()``); staff readers see every appeal. Download addresses are
only given for public appeals: they are public URLs, which answer 404 for anything else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from casefile.api.lookup import get_by_id_or_slug
from casefile.audit.services import audit_unpublished_read

from .models import Appeal, AppealText, AppealVersion


class AppealVersionSerializer(serializers.Serializer):
    language = serializers.CharField()
    number = serializers.IntegerField()
    size = serializers.IntegerField(allow_null=True, help_text="Bytes.")
    page_count = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(help_text="SHA-256 of the PDF file.")
    ready_at = serializers.DateTimeField()
    download_url = serializers.URLField(allow_null=True, help_text="This version, forever.")


class AppealRefSerializer(serializers.Serializer):
    """An appeal in the case detail (the slot the appeals app fills, incidents.hooks)."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    api_url = serializers.URLField()


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, allow_null=True)
    reference_slug = serializers.CharField(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True, help_text="In the original language.")
    kind = serializers.ChoiceField(choices=Appeal.Kind.choices, read_only=True)
    publication_state = serializers.ChoiceField(choices=Appeal.State.choices, read_only=True)
    state = serializers.ChoiceField(
        choices=Appeal.State.choices,
        read_only=True,
        help_text="Deprecated: the same as publication_state.",
    )
    original_language = serializers.CharField(read_only=True)
    issued_on = serializers.DateField(read_only=True, allow_null=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    follows = serializers.IntegerField(read_only=True, allow_null=True)
    incident = serializers.IntegerField(read_only=True)
    incident_api_url = serializers.URLField(read_only=True)
    url = serializers.URLField(read_only=True, allow_null=True, help_text="The public page.")
    download_url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="/appeals/<slug>.pdf: the latest version, in the reader's language if any.",
    )
    download_urls = serializers.DictField(
        child=serializers.URLField(),
        read_only=True,
        help_text="Language code to /appeals/<slug>.<language>.pdf, the latest in it.",
    )
    versions = AppealVersionSerializer(many=True, read_only=True)

    def to_representation(self, appeal: Appeal) -> dict[str, Any]:
        request = self.context["request"]
        public = appeal.is_public
        slug = appeal.reference_slug
        versions = appeal.ready_versions

        def url(path: str) -> str | None:
            return request.build_absolute_uri(path) if public else None

        languages = sorted({version.language for version in versions})
        return {
            "id": appeal.pk,
            "reference": appeal.reference,
            "reference_slug": slug,
            "title": appeal.original_title or "",
            "kind": appeal.kind,
            "publication_state": appeal.publication_state,
            # The name before issue 13 (one name for both models); kept for old clients.
            "state": appeal.publication_state,
            "original_language": appeal.original_language,
            "issued_on": appeal.issued_on.isoformat() if appeal.issued_on else None,
            "deadline": appeal.deadline.isoformat() if appeal.deadline else None,
            "published_at": appeal.published_at.isoformat() if appeal.published_at else None,
            "follows": appeal.follows_id,
            "incident": appeal.incident_id,
            "incident_api_url": request.build_absolute_uri(
                reverse("api:incident-detail", args=[appeal.incident_id])
            ),
            "url": url(appeal.get_public_url()) if public else None,
            "download_url": url(reverse("appeal_files:latest_pdf", args=[slug]))
            if versions
            else None,
            "download_urls": {
                language: url(reverse("appeal_files:latest_pdf_in", args=[slug, language]))
                for language in languages
            }
            if public
            else {},
            "versions": [
                {
                    "language": version.language,
                    "number": version.number,
                    "size": version.size,
                    "page_count": version.page_count,
                    "sha256": version.sha256,
                    "ready_at": version.ready_at.isoformat(),
                    "download_url": url(version.get_public_url()),
                }
                for version in versions
            ],
        }


@extend_schema(tags=["appeals"])
class AppealViewSet(viewsets.ReadOnlyModelViewSet):
    """Urgent appeals, newest first. Look one up by id or by its reference slug."""

    permission_classes = [AllowAny]
    serializer_class = AppealSerializer
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Appeal]:
        texts = AppealText.objects.filter(appeal=OuterRef("pk"))
        return (
            Appeal.objects.visible_to(self.request.user)
            .with_public_flag()
            .annotate(
                original_title=Coalesce(
                    Subquery(
                        texts.filter(language=OuterRef("original_language")).values("title")[:1]
                    ),
                    Subquery(texts.order_by("pk").values("title")[:1]),
                )
            )
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=AppealVersion.objects.ready().order_by("language", "-number"),
                    to_attr="ready_versions",
                )
            )
            .order_by("-created_at", "-id")
        )

    def retrieve(self, request, *args, **kwargs) -> Response:
        appeal = self.get_object()
        if not appeal.is_public:  # only staff get this far with one
            audit_unpublished_read(request=request, obj=appeal)
        return Response(self.get_serializer(appeal).data)

    def get_object(self) -> Appeal:
        appeal = get_by_id_or_slug(
            self.get_queryset(), self.kwargs[self.lookup_field], slug_field="reference_slug"
        )
        self.check_object_permissions(self.request, appeal)
        return appeal
