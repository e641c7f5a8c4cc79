"""The body of a create or update, read into the staff form's data, and its schema.

``IncidentViewSet`` validates what ``form_data`` returns with ``IncidentForm`` and saves it
with ``incident_save``, so the API validates exactly as the staff screens do.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import exceptions, serializers

from ..forms import IncidentForm
from ..models import Incident, Status
from .serializers import IncidentDetailSerializer, IncidentWriteSerializer

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
