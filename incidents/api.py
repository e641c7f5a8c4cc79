"""The incidents API: cases, statuses and exports.

Lists start from ``Incident.objects.visible_to(user)``: published cases for anonymous
clients, everything for staff readers. Writes go through the staff form
(``IncidentForm``) and ``incident_save``, so the API validates exactly as the staff
screens do and the role rules of ``incidents.roles`` and ``casefile.roles`` apply.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import rules
from django.db import DatabaseError
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import JSONObject
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response

from casefile.api.lookup import MAX_ID, get_by_id_or_slug
from casefile.api.rows import json_list_subquery
from casefile.audit.services import audit_unpublished_read
from casefile.roles import can_read_unpublished
from casefile.translatable import in_reader_language, reader_language
from organizations.models import (
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)

from . import api_rows, export_job_views
from .export_job_api import ExportJobSerializer
from .filters import COUNTRY_CODES, IncidentFilter, RecordIdsFilter
from .forms import IncidentForm
from .hooks import api_detail_related
from .models import Figure, Incident, IncidentPerpetrator, Status, Update, ViolationType
from .services import incident_save
from .vocabulary import status_choices


class IncidentApiFilter(IncidentFilter):
    """The case list's filters, with ids that need not exist: an unknown id matches nothing.

    The page checks chosen organizations and groups against published ones, to name them
    in its chips; the API need not, and answering 200 with no rows (rather than 400) is what
    its schema can promise for any id. Unpublished and missing ids still answer alike.
    """

    organization = RecordIdsFilter(
        label=IncidentFilter.base_filters["organization"].label,
        method="filter_organization",
        help_text=IncidentFilter.base_filters["organization"].extra["help_text"],
    )
    perpetrator = RecordIdsFilter(
        label=IncidentFilter.base_filters["perpetrator"].label,
        method="filter_perpetrator",
        help_text=IncidentFilter.base_filters["perpetrator"].extra["help_text"],
    )


def _document_filter(name: str, schema: dict[str, Any]) -> None:
    """Give the OpenAPI schema of a filter more exactly than drf-spectacular infers it.

    Declared here rather than in filters.py, which the pages use too and which should not
    depend on API tooling. For a filter taking several values, ``schema`` is one value's.
    """
    field = IncidentApiFilter.base_filters[name]
    extend_schema_field({**schema, "description": str(field.extra["help_text"])})(field)


_document_filter("q", {"type": "string", "maxLength": 200, "pattern": r"^[^\x00]*$"})
_document_filter("country", {"type": "string", "enum": [code for code, _n in COUNTRY_CODES]})
_document_filter("status", {"type": "string"})  # its enum: document_status_vocabulary
_document_filter("year", {"type": "integer", "minimum": 1900, "maximum": 2200})
_document_filter("organization", {"type": "integer", "minimum": 1, "maximum": MAX_ID})
_document_filter("perpetrator", {"type": "integer", "minimum": 1, "maximum": MAX_ID})

# Filters where an empty value means "not given", as the case list's form sends them.
EMPTY_MEANS_ANY = frozenset(
    {"q", "year", "occurred_after", "occurred_before", "has_appeal", "appeal_language", "ordering"}
)


def document_status_vocabulary(result: dict[str, Any], generator, **kwargs) -> dict[str, Any]:
    """The incident filters' schema: today's status slugs and the values that may be empty.

    A postprocessing hook (SPECTACULAR_SETTINGS): the vocabulary lives in the database.
    """
    try:
        slugs = [slug for slug, _name in status_choices()]
    except DatabaseError:
        # No database yet (``check --deploy`` on a build machine): any text, then.
        slugs = None
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/incidents/") or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            if parameter.get("in") != "query":
                continue
            if parameter["name"] == "status" and slugs is not None:
                parameter["schema"]["items"]["enum"] = slugs
            elif parameter["name"] in EMPTY_MEANS_ANY:
                parameter["allowEmptyValue"] = True
    return result


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# Serializers. The declared fields document the API (OpenAPI); ``to_representation`` is
# written out by hand so a page of 200 rows costs no query and little Python per row.


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
    original_language = serializers.CharField(read_only=True)
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


class AppealRefSerializer(serializers.Serializer):
    """An appeal in the case detail (the slot the appeals app fills, incidents.hooks)."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    api_url = serializers.URLField()


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
    appeals = AppealRefSerializer(many=True, read_only=True)

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


class IncidentWriteSerializer(serializers.Serializer):
    """What a create or update accepts: the staff form's fields (documentation, and the JSON
    type of each field in ``form_data``). null is the same as empty."""

    title = serializers.CharField(max_length=300)
    slug = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Made from the title when empty.",
    )
    summary = serializers.CharField()
    narrative = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    occurred_on = serializers.DateField()
    date_precision = serializers.ChoiceField(choices=Incident.DatePrecision.choices, required=False)
    ended_on = serializers.DateField(required=False, allow_null=True)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    region = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=12, decimal_places=9, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=12, decimal_places=9, required=False, allow_null=True
    )
    location_precision = serializers.ChoiceField(
        choices=Incident.LocationPrecision.choices, required=False
    )
    status = serializers.CharField(help_text="Status slug (or id).")
    violation_types = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Violation type ids."
    )
    organizations = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Organization ids."
    )


WRITABLE = list(IncidentForm.Meta.fields)
# Fields a client may send back unchanged from a GET (they are ignored).
READ_ONLY = set(IncidentDetailSerializer().fields) - set(WRITABLE)
WRITE_FIELDS = IncidentWriteSerializer().fields
NUMBER_OR_DECIMAL_TEXT = [
    {"type": "number"},
    {"type": "string", "pattern": r"^-?\d{0,3}(?:\.\d{0,9})?$"},
]
ID_OR_REF = [
    {"type": "integer"},
    {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
        "description": "As a GET shows it; only the id is read.",
    },
]


class IncidentWriteSchema(OpenApiSerializerExtension):
    """The write body as ``form_data`` reads it: unknown fields refused (additionalProperties
    false), the GET's own fields accepted and ignored, coordinates as numbers or text and
    list items as ids or the objects a GET shows."""

    target_class = IncidentWriteSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        properties = schema["properties"]
        for name in ("latitude", "longitude"):
            properties[name] = {
                "oneOf": NUMBER_OR_DECIMAL_TEXT,
                "nullable": True,
                "description": "Decimal degrees; staff only.",
            }
        for name in ("violation_types", "organizations"):
            properties[name]["items"] = {"oneOf": ID_OR_REF}
        for name in sorted(READ_ONLY):
            properties[name] = {"description": "Shown by a GET; ignored here."}
        return {**schema, "additionalProperties": False}


def _is_id(item: Any) -> bool:
    if isinstance(item, dict) and set(item) >= {"id"}:
        item = item["id"]
    return isinstance(item, int) and not isinstance(item, bool)


def _json_type_errors(payload: dict[str, Any]) -> dict[str, list[str]]:
    """Values of the wrong JSON type: the form would coerce them (5 for a title), so a
    body the schema refuses would be saved."""
    errors = {}
    for name, value in payload.items():
        field = WRITE_FIELDS.get(name)
        if field is None:
            continue  # a read-only field, ignored
        if value is None:
            ok = field.allow_null
        elif isinstance(field, serializers.ListField):
            ok = isinstance(value, list) and all(_is_id(item) for item in value)
        elif isinstance(field, serializers.DecimalField):
            ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        elif isinstance(field, serializers.DateField):
            ok = isinstance(value, str) and value != ""  # no date is null
        else:
            ok = isinstance(value, str)
        if not ok:
            errors[name] = [str(WRONG_TYPE.get(type(field), WRONG_TYPE[None]))]
    return errors


WRONG_TYPE = {
    serializers.ListField: _("A list of ids."),
    serializers.DecimalField: _("A number."),
    serializers.DateField: _("A date, YYYY-MM-DD (null for none)."),
    None: _("A string."),
}


def form_data(payload: Any, instance: Incident | None) -> dict[str, Any]:
    """The form data for ``payload`` (a JSON object), over ``instance``'s current values.

    Without ``instance`` (create, PUT) what is left out is empty, or the model's default.
    """
    if not isinstance(payload, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": ["Send a JSON object with the incident's fields."]}
        )
    unknown = sorted(set(payload) - set(WRITABLE) - READ_ONLY)
    if unknown:
        raise exceptions.ValidationError(
            {name: ["This field cannot be written through the API."] for name in unknown}
        )
    wrong_type = _json_type_errors(payload)
    if wrong_type:
        raise exceptions.ValidationError(wrong_type)
    # A field left out takes the model's default (as the staff form's initial value would).
    data: dict[str, Any] = {
        field.name: field.get_default()
        for field in Incident._meta.concrete_fields
        if field.name in WRITABLE and field.has_default()
    }
    if instance is not None:
        for name in WRITABLE:
            value = getattr(instance, "status_id" if name == "status" else name)
            if name in {"violation_types", "organizations"}:
                value = [obj.pk for obj in value.all()]
            elif name == "country":
                value = value.code
            data[name] = value
    for name in WRITABLE:
        if name not in payload:
            continue
        value = payload[name]
        if name in {"violation_types", "organizations"}:
            if not isinstance(value, list):
                raise exceptions.ValidationError({name: ["A list of ids."]})
            value = [item.get("id") if isinstance(item, dict) else item for item in value]
        elif name == "status" and isinstance(value, str) and "\x00" not in value:
            found = Status.objects.filter(slug=value).values_list("pk", flat=True).first()
            value = found if found is not None else value
        elif isinstance(value, dict | list):
            raise exceptions.ValidationError({name: ["A single value."]})
        data[name] = value
    # The form reads "" as empty; JSON null means the same.
    return {name: ("" if value is None else value) for name, value in data.items()}


# Permissions.


class IncidentPermission(BasePermission):
    """Anyone reads (what they may see); editors and reviewers write by the role rules."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if view.action == "create":
            return request.user.has_perm("incidents.add_incident")
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.has_perm("incidents.change_incident", request.user, obj)


# Views.


def incident_list_queryset(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """One query per page: status joined, organizations and perpetrators as JSON arrays."""
    return (
        queryset.select_related("status")
        .defer("search_vector", "narrative", "latitude", "longitude")
        .annotate(
            organization_items=json_list_subquery(
                Incident.organizations.through.objects.all(),
                "incident",
                JSONObject(
                    id=F("organization_id"),
                    name=in_reader_language(
                        OrganizationTranslation.objects.all(),
                        "name",
                        owner="organization",
                        record="organization_id",
                        original="organization__name",
                    ),
                    acronym=F("organization__acronym"),
                ),
            ),
            perpetrator_items=json_list_subquery(
                IncidentPerpetrator.objects.all(),
                "incident",
                JSONObject(
                    id=F("perpetrator_group_id"),
                    name=in_reader_language(
                        PerpetratorGroupTranslation.objects.all(),
                        "name",
                        owner="group",
                        record="perpetrator_group_id",
                        original="perpetrator_group__name",
                    ),
                    kind=F("perpetrator_group__kind"),
                    involvement=F("involvement"),
                ),
            ),
        )
        .with_reader_translation()
    )


INCIDENT_LOOKUP = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The incident's id or its slug.",
)


WRITE_EXAMPLE = OpenApiExample(
    "A case",
    request_only=True,
    value={
        "title": "Journalist detained in Osh",
        "summary": "Detained after publishing a report on local elections.",
        "occurred_on": "2024-03-02",
        "country": "KG",
        "status": "arbitrary-detention",
        "organizations": [],
    },
)

# Reads are open to anonymous clients (published cases only); writes need a staff login.
ANYONE = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


@extend_schema_view(list=extend_schema(auth=ANYONE), retrieve=extend_schema(auth=ANYONE))
@extend_schema(tags=["incidents"])
class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Cases. Anonymous clients see published cases; staff see what their role allows.

    Lists are newest first (``-occurred_on, -id``) with keyset cursors; ``ordering=date``
    reverses it; ``ordering=relevance`` (with ``q``) ranks the newest 2000 matches.
    """

    permission_classes = [IncidentPermission]
    # JSON only: a form or multipart body cannot carry the lists (organizations,
    # violation_types) the way the schema describes them.
    parser_classes = [JSONParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentApiFilter
    lookup_field = "id"
    lookup_value_regex = r"[^/]+"

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def get_queryset(self) -> QuerySet[Incident]:
        # Unordered here: IncidentFilter orders (date, reverse date or relevance).
        return Incident.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if not api_rows.available():
            page = self.paginate_queryset(incident_list_queryset(queryset))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        writer = api_rows.RowWriter(request)
        page = self.paginate_queryset(api_rows.as_json_rows(queryset))
        body = api_rows.page_body(
            self.paginator.get_next_link(),
            self.paginator.get_previous_link(),
            map(writer.row, page),
        )
        if request.accepted_renderer.format != "json":  # the browsable API renders data
            return Response(json.loads(body))
        return HttpResponse(body, content_type="application/json")

    def get_object(self) -> Incident:
        visible = self.get_queryset()
        incident = get_by_id_or_slug(
            incident_list_queryset(visible).prefetch_related(
                "violation_types",
                "sources",
                Prefetch("figures", queryset=Figure.objects.prefetch_related("translations")),
                "translations",
                Prefetch(
                    "updates",
                    queryset=Update.objects.select_related("status").prefetch_related(
                        "translations"
                    ),
                ),
                *(related.prefetch(self.request.user) for related in api_detail_related.values()),
            ),
            self.kwargs["id"],
        )
        self.check_object_permissions(self.request, incident)
        return incident

    @extend_schema(parameters=[INCIDENT_LOOKUP])
    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        if not incident.is_published:  # only staff get this far with one
            audit_unpublished_read(request=request, obj=incident)
        return Response(self.get_serializer(incident).data)

    @extend_schema(
        request=IncidentWriteSerializer,
        responses={201: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """File a new case (a draft). Editors and reviewers."""
        incident = self._save(Incident(), form_data(request.data, None))
        return Response(self._detail(incident), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[INCIDENT_LOOKUP],
        request=IncidentWriteSerializer,
        responses={200: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def update(self, request, *args, **kwargs):
        """Replace a case's fields. Editors: drafts; reviewers: any case not withdrawn."""
        incident = self.get_object()
        incident = self._save(incident, form_data(request.data, None))
        return Response(self._detail(incident))

    @extend_schema(
        parameters=[INCIDENT_LOOKUP],
        request=IncidentWriteSerializer,
        responses={200: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def partial_update(self, request, *args, **kwargs):
        """Change some of a case's fields; the others keep their values."""
        incident = self.get_object()
        incident = self._save(incident, form_data(request.data, incident))
        return Response(self._detail(incident))

    def _save(self, instance: Incident, data: dict[str, Any]) -> Incident:
        if instance.pk is not None:
            # A fresh, plain instance: the form must not see the list annotations.
            instance = Incident.objects.get(pk=instance.pk)
        form = IncidentForm(data=data, instance=instance, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    name: [error["message"] for error in errors]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        return incident_save(actor=self.request.user, form=form)

    def _detail(self, incident: Incident) -> dict[str, Any]:
        self.kwargs["id"] = str(incident.pk)
        return self.get_serializer(self.get_object()).data


@extend_schema(tags=["incidents"])
class IncidentExportView(GenericAPIView):
    """The filtered cases as a CSV or JSON download, streamed (columns: see README).

    Every match in date order (``ordering=date`` for oldest first); never the relevance
    window. Anonymous clients get published cases only.
    """

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentApiFilter
    pagination_class = None
    export_format = "csv"

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.visible_to(self.request.user)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="CSV rows; the X-Casefile-Rows header says how many.",
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    '{"columns": {name: meaning}, "incidents": [rows], "count": N}: the count '
                    "comes last, so a cut download does not parse."
                ),
            ),
            (202, "application/json"): OpenApiResponse(
                ExportJobSerializer,
                description=(
                    "More rows than EXPORT_BACKGROUND_ROWS: the export is a job. Poll "
                    "status_url (also in the Location header) until download_url is given."
                ),
            ),
        }
    )
    def get(self, request, *args, **kwargs) -> HttpResponse:
        incident_filter = IncidentApiFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not incident_filter.is_valid():
            raise translate_validation(incident_filter.errors)
        # Every match, not the relevance window: an export is not a ranked page.
        ascending = incident_filter.form.cleaned_data.get("ordering") == "date"
        order = ("occurred_on", "id") if ascending else ("-occurred_on", "-id")
        queryset = incident_filter.matching.order_by(*order)
        # Past EXPORT_BACKGROUND_ROWS rows: 202 and a job (incidents.export_job_api).
        return export_job_views.export_response(
            request, queryset, export_format=self.export_format, via="api"
        )


class StatusSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="display_name", read_only=True, help_text="In the language asked for."
    )

    class Meta:
        model = Status
        fields = ["id", "slug", "name", "description"]


@extend_schema(tags=["vocabularies"])
class StatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Where a case stands: the controlled vocabulary (public, small, not paginated)."""

    permission_classes = [AllowAny]
    serializer_class = StatusSerializer
    pagination_class = None
    lookup_field = "slug"
    queryset = Status.objects.order_by("position", "name", "id")
