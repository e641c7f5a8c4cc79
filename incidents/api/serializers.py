"""How a case reads through the API (list and detail); what a write accepts is in ``writes``.

The read serializers' declared fields document the API (OpenAPI); ``to_representation`` is
written out by hand so a page of 200 rows costs no query and little Python per row.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from rest_framework import serializers

from casefile.roles import can_read_unpublished
from casefile.translatable import original_language_choices, reader_language
from organizations.models import PerpetratorGroup

from ..hooks import api_detail_related
from ..models import Incident, IncidentPerpetrator, Update, ViolationType


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganizationRefSerializer(NamedRefSerializer):
    acronym = serializers.CharField()


class PerpetratorRefSerializer(NamedRefSerializer):
    kind = serializers.ChoiceField(choices=PerpetratorGroup.Kind.choices)
    involvement = serializers.ChoiceField(choices=IncidentPerpetrator.Involvement.choices)


class IncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The public case page.")
    api_url = serializers.URLField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    occurred_on = serializers.DateField(read_only=True)
    date_precision = serializers.ChoiceField(choices=Incident.DatePrecision.choices, read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    country_name = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    place = serializers.CharField(read_only=True)
    location_precision = serializers.ChoiceField(
        choices=Incident.LocationPrecision.choices, read_only=True
    )
    status = serializers.CharField(read_only=True, help_text="Status slug.")
    status_name = serializers.CharField(read_only=True)
    organizations = OrganizationRefSerializer(many=True, read_only=True)
    perpetrators = PerpetratorRefSerializer(many=True, read_only=True)
    publication_state = serializers.ChoiceField(choices=Incident.State.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    language = serializers.CharField(
        read_only=True, help_text="The language asked for (lang or Accept-Language)."
    )
    # Any ISO 639-1 language (the texts' own); "language" and "translations" are interface
    # languages.
    original_language = serializers.ChoiceField(choices=original_language_choices(), read_only=True)
    translations = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Languages the case is translated into, besides its original.",
    )
    untranslated_fields = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Texts given in the original language, for want of a translation.",
    )

    # The texts of the case this representation carries (the detail adds the narrative).
    texts = ("title", "summary")

    def to_representation(self, incident: Incident) -> dict[str, Any]:
        links = self._links()
        code = incident.country.code
        if code not in links["countries"]:
            links["countries"][code] = str(incident.country.name)
        text = incident.localized(reader_language())
        return {
            "id": incident.pk,
            "slug": incident.slug,
            "url": links["case"].replace(SLUG_MARK, quote(incident.slug)),
            "api_url": links["api"].replace(SLUG_MARK, str(incident.pk)),
            "title": text.title.value,
            "summary": text.summary.value,
            "occurred_on": incident.occurred_on.isoformat(),
            "date_precision": incident.date_precision,
            "ended_on": incident.ended_on.isoformat() if incident.ended_on else None,
            "country": code,
            "country_name": links["countries"][code],
            "region": text.region.value,
            "place": text.place.value,
            "location_precision": incident.location_precision,
            "status": incident.status.slug,
            "status_name": incident.status.display_name,
            "organizations": _sorted(incident.organization_items),
            "perpetrators": _sorted(incident.perpetrator_items),
            "publication_state": incident.publication_state,
            "published_at": incident.published_at.isoformat() if incident.published_at else None,
            "language": text.language,
            "original_language": incident.original_language,
            "translations": incident.translated_languages(),
            "untranslated_fields": text.untranslated_fields(self.texts),
        }

    def _links(self) -> dict[str, Any]:
        """URL templates and country names, made once per response rather than per row."""
        links = self.context.get("_incident_links")
        if links is None:
            request = self.context["request"]
            case = reverse("incidents:detail", kwargs={"slug": SLUG_MARK})
            links = self.context["_incident_links"] = {
                "case": absolute(request, case),
                "api": absolute(request, f"/api/v1/incidents/{SLUG_MARK}/"),
                "countries": {},
            }
        return links


SLUG_MARK = "__casefile_slug__"


def _update(update: Update) -> dict[str, Any]:
    text = update.localized(reader_language())
    return {
        "date": update.date.isoformat(),
        "title": text.title.value,
        "body": text.body.value,
        "status": update.status.slug if update.status else None,
        "untranslated_fields": text.untranslated_fields(),
    }


def _sorted(items: list[dict] | None) -> list[dict]:
    return sorted(items or [], key=lambda item: (item["name"], item["id"]))


class ViolationTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ViolationType
        fields = ["id", "code", "name"]


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    reliability = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    counted = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    qualifier = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    according_to = serializers.CharField()
    source = serializers.IntegerField(allow_null=True, help_text="Id of one of the sources.")


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="Status slug at this date.")
    untranslated_fields = serializers.ListField(child=serializers.CharField())


class IncidentDetailSerializer(IncidentSerializer):
    texts = ("title", "summary", "narrative")
    narrative = serializers.CharField(read_only=True)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text="Staff only: coordinates are not public.",
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text="Staff only: coordinates are not public.",
    )
    violation_types = ViolationTypeSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    figures = FigureSerializer(many=True, read_only=True)
    updates = UpdateSerializer(many=True, read_only=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        # What the apps above fill (the appeals, incidents.hooks), for the schema.
        fields = super().get_fields()
        for name, related in api_detail_related.items():
            if related.schema is not None:
                fields[name] = copy.deepcopy(related.schema)
        return fields

    def to_representation(self, incident: Incident) -> dict[str, Any]:
        request = self.context["request"]
        data = super().to_representation(incident)
        staff = can_read_unpublished(request.user)
        text = incident.localized(reader_language())
        data.update(
            {
                "narrative": text.narrative.value,
                # The public page does not show coordinates (an exact spot can endanger
                # the people there); the API does not either.
                "latitude": str(incident.latitude)
                if staff and incident.latitude is not None
                else None,
                "longitude": str(incident.longitude)
                if staff and incident.longitude is not None
                else None,
                "violation_types": [
                    {"id": v.pk, "code": v.code, "name": v.display_name}
                    for v in incident.violation_types.all()
                ],
                "sources": [
                    {
                        "id": s.pk,
                        "kind": s.kind,
                        "title": s.title,
                        "url": s.url,
                        "publisher": s.publisher,
                        "published_on": s.published_on.isoformat() if s.published_on else None,
                        "language": s.language,
                        "reliability": s.reliability,
                    }
                    for s in incident.sources.all()
                ],
                "figures": [
                    {
                        "counted": f.counted,
                        "label": f.localized(reader_language()).label.value,
                        "value": f.value,
                        "qualifier": f.qualifier,
                        "as_of": f.as_of.isoformat() if f.as_of else None,
                        "according_to": f.according_to,
                        "source": f.source_id,
                    }
                    for f in incident.figures.all()
                ],
                "updates": [_update(u) for u in incident.updates.all()],
                # Filled by the apps above this one (appeals), from their prefetch below.
                **{
                    name: related.represent(incident, request)
                    for name, related in api_detail_related.items()
                },
            }
        )
        return data
