"""What a create or update of a case accepts: ``IncidentWriteSerializer``.

It reads the JSON body, checks it with the rules the staff form checks too
(``incidents.validators``), and gives ``incident_save`` plain values. An API client sees:

- a field the API does not write refused, while the fields a GET shows are accepted and
  ignored, so a GET's body can be edited and sent back;
- values of the wrong JSON type refused before any value is read (5 for a title);
- null the same as empty; a PATCH read over the case's current values, a PUT or POST
  leaving what it leaves out empty, or at the model's default;
- the staff form's messages (Django's own for each kind of field).
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Mapping
from decimal import Decimal, DecimalException
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty, get_error_detail

from organizations.models import Organization

from ..models import Incident, Status, ViolationType
from ..validators import (
    check_latitude,
    check_longitude,
    check_occurred_on,
    check_original_language,
    check_slug,
    rules_across_fields,
)
from .serializers import IncidentDetailSerializer

# The messages of the form fields Django would use for these fields: the staff form's.
REQUIRED = forms.Field.default_error_messages["required"]
NOT_A_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]
NOT_A_RECORD = forms.ModelChoiceField.default_error_messages["invalid_choice"]
NOT_ONE_OF_THE_RECORDS = forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]
NOT_A_NUMBER = forms.DecimalField.default_error_messages["invalid"]
NOT_A_DATE = forms.DateField.default_error_messages["invalid"]

NOT_WRITABLE = _("This field cannot be written through the API.")
NOT_AN_OBJECT = _("Send a JSON object with the incident's fields.")


class BodyField:
    """A field of the body: the JSON type it takes (null: where ``allow_null``) and the
    message for another. Null is read as empty."""

    wrong_type = _("A string.")
    empty_value: Any = ""

    def takes(self, value: Any) -> bool:
        if value is None:
            return self.allow_null
        return isinstance(value, str)

    def run_validation(self, data: Any = empty) -> Any:
        return super().run_validation(self.empty_value if data is None else data)


class Text(BodyField, serializers.CharField):
    """A text column of the case, with the model field's checks. A required one takes no
    empty text; an optional one is empty ("") when left out of a PUT or POST."""

    def __init__(self, name: str, *, required: bool = True, **kwargs: Any) -> None:
        self.model_field = Incident._meta.get_field(name)
        length = self.model_field.max_length
        if not required:
            kwargs.update(allow_blank=True, allow_null=True, default="")
        super().__init__(
            validators=[MaxLengthValidator(length)] if length else [],
            error_messages={"blank": REQUIRED},
            **kwargs,
        )

    def run_validators(self, value: Any) -> None:
        super().run_validators(value)
        # Then the model field's own checks (a slug's characters, no direction controls in a
        # title), only on a value that passed the length: the schema cannot state them (a
        # JSON Schema pattern's \w is ASCII; a slug may be in any script).
        if value not in ("", None):
            self.model_field.run_validators(value)


class Choice(BodyField, serializers.ChoiceField):
    def __init__(self, name: str, **kwargs: Any) -> None:
        field = Incident._meta.get_field(name)
        super().__init__(choices=field.choices, default=field.get_default(), **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if data == "":
            if self.allow_blank:
                return ""
            raise ValidationError(REQUIRED, code="required")
        if str(data) not in self.choice_strings_to_values:
            raise ValidationError(NOT_A_CHOICE % {"value": data}, code="invalid_choice")
        return self.choice_strings_to_values[str(data)]


class Country(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__("country", trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if data not in countries:
            raise ValidationError(NOT_A_CHOICE % {"value": data}, code="invalid_choice")
        return data


@extend_schema_field({"type": "string", "minLength": 1})
class StatusRef(BodyField, serializers.Field):
    """A status by its slug or, as text, its id."""

    def to_internal_value(self, data: Any) -> Status:
        if data == "":
            raise ValidationError(REQUIRED, code="required")
        if "\x00" not in data:
            found = Status.objects.filter(slug=data).first()
            if found is not None:
                return found
        try:
            return Status.objects.get(pk=data)
        except (ValueError, TypeError, DjangoValidationError, Status.DoesNotExist):
            raise ValidationError(NOT_A_RECORD, code="invalid_choice") from None

    def get_attribute(self, instance: Incident) -> int:
        return instance.status_id

    def to_representation(self, value: int) -> str:
        return str(value)


class Date(BodyField, serializers.DateField):
    """A date as the staff form reads one: ISO, or a format of the reader's language."""

    wrong_type = _("A date, YYYY-MM-DD (null for none).")
    empty_value = None

    def takes(self, value: Any) -> bool:
        return super().takes(value) and value != ""

    def to_internal_value(self, data: str) -> datetime.date:
        for format in get_format("DATE_INPUT_FORMATS"):
            try:
                # Only the date is kept: no time zone to be naive about.
                return datetime.datetime.strptime(data.strip(), format).date()  # noqa: DTZ007
            except (ValueError, TypeError):
                continue
        raise ValidationError(NOT_A_DATE, code="invalid")


NUMBER_OR_DECIMAL_TEXT = [
    {"type": "number"},
    {"type": "string", "pattern": r"^-?\d{0,3}(?:\.\d{0,9})?$"},
]


@extend_schema_field({"oneOf": NUMBER_OR_DECIMAL_TEXT})
class Coordinate(BodyField, serializers.Field):
    """Decimal degrees, as a number or as text (which keeps every decimal)."""

    wrong_type = _("A number.")
    empty_value = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, default=None, **kwargs)

    def takes(self, value: Any) -> bool:
        return value is None or (
            isinstance(value, int | float | str) and not isinstance(value, bool)
        )

    def to_internal_value(self, data: Any) -> Decimal | None:
        if data == "":
            return None
        try:
            value = Decimal(str(data))
        except DecimalException:
            raise ValidationError(NOT_A_NUMBER, code="invalid") from None
        if not value.is_finite():
            raise ValidationError(NOT_A_NUMBER, code="invalid")
        return value

    def to_representation(self, value: Decimal) -> str:
        return str(value)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer"},
            {
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
                "description": "As a GET shows it; only the id is read.",
            },
        ]
    }
)
class IdOrRef(serializers.Field):
    def to_internal_value(self, data: Any) -> int:
        return data["id"] if isinstance(data, dict) else data


def _is_id(item: Any) -> bool:
    if isinstance(item, dict) and "id" in item:
        item = item["id"]
    return isinstance(item, int) and not isinstance(item, bool)


class Records(BodyField, serializers.ListField):
    """A list of records by id, each one the user may pick (``choices(user)``)."""

    wrong_type = _("A list of ids.")

    def __init__(self, choices, **kwargs: Any) -> None:
        self.choices = choices
        super().__init__(child=IdOrRef(), default=list, **kwargs)

    def takes(self, value: Any) -> bool:
        return isinstance(value, list) and all(_is_id(item) for item in value)

    def to_internal_value(self, data: list) -> list[models.Model]:
        ids = super().to_internal_value(data)
        found = self.choices(self.context["request"].user).in_bulk(ids)
        for pk in ids:
            if pk not in found:
                raise ValidationError(NOT_ONE_OF_THE_RECORDS % {"value": pk}, code="invalid_choice")
        return list(found.values())

    def get_attribute(self, instance: Incident) -> list[int]:
        return list(getattr(instance, self.field_name).values_list("pk", flat=True))

    def to_representation(self, value: list[int]) -> list[int]:
        return value


class Ignored(serializers.JSONField):
    """A field a GET shows: accepted and left alone."""


@functools.cache
def shown_by_a_get() -> tuple[str, ...]:
    return tuple(sorted(IncidentDetailSerializer().fields))


class IncidentWriteSerializer(serializers.Serializer):
    """What a create or update accepts: the staff form's fields, checked by its rules.
    null is the same as empty; what a PUT or POST leaves out is empty or the default."""

    original_language = Choice("original_language", allow_blank=True, allow_null=True)
    title = Text("title")
    slug = Text("slug", required=False, help_text="Made from the title when empty.")
    summary = Text("summary")
    narrative = Text("narrative", required=False)
    occurred_on = Date()
    date_precision = Choice("date_precision")
    ended_on = Date(allow_null=True, default=None)
    country = Country(help_text="ISO 3166-1 alpha-2 code.")
    region = Text("region", required=False)
    place = Text("place", required=False)
    latitude = Coordinate(help_text="Decimal degrees; staff only.")
    longitude = Coordinate(help_text="Decimal degrees; staff only.")
    location_precision = Choice("location_precision")
    status = StatusRef(help_text="Status slug (or id).")
    violation_types = Records(
        lambda _user: ViolationType.objects.all(), help_text="Violation type ids."
    )
    organizations = Records(Organization.objects.visible_to, help_text="Organization ids.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in shown_by_a_get():
            fields.setdefault(
                name, Ignored(required=False, help_text="Shown by a GET; ignored here.")
            )
        return fields

    def run_validation(self, data: Any = empty) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
        return super().run_validation(data)

    def to_internal_value(self, data: Mapping[str, Any]) -> dict[str, Any]:
        fields = {
            name: field for name, field in self.fields.items() if not isinstance(field, Ignored)
        }
        if unknown := sorted(set(data) - set(self.fields)):
            raise ValidationError({name: [NOT_WRITABLE] for name in unknown})
        # Before any value is read: DRF's fields, like a form's, would take 5 for "5" and save
        # a body the schema refuses.
        wrong_type = {
            name: [fields[name].wrong_type]
            for name, value in data.items()
            if name in fields and not fields[name].takes(value)
        }
        if wrong_type:
            raise ValidationError(wrong_type)
        body = {name: value for name, value in data.items() if name in fields}
        if self.partial and self.instance is not None:
            body = {**self._current(fields.values()), **body}

        values, errors = {}, {}
        for name, field in fields.items():
            check = getattr(self, f"validate_{name}", None)
            try:
                value = field.run_validation(field.get_value(body))
                values[name] = check(value) if check else value
            except ValidationError as error:
                errors[name] = error.detail
            except DjangoValidationError as error:
                errors[name] = get_error_detail(error)
            except SkipField:
                pass
        # The rules between fields, and the slug's uniqueness, are checked over the fields
        # that passed, whatever else failed: all the mistakes are told at once.
        for name, error in rules_across_fields(values, failed=errors).items():
            errors[name] = get_error_detail(error)
            values.pop(name, None)
        if "slug" not in errors and values.get("slug"):
            errors.update(self._slug_taken(values["slug"]))
        if errors:
            raise ValidationError(errors)
        return values

    def _current(self, fields) -> dict[str, Any]:
        """The case's values as a body would give them."""
        body = {}
        for field in fields:
            value = field.get_attribute(self.instance)
            body[field.field_name] = None if value is None else field.to_representation(value)
        return body

    def _slug_taken(self, slug: str) -> dict[str, list[str]]:
        # The model says so, with its own message, as a model form would have it say.
        incident = copy.copy(self.instance) if self.instance is not None else Incident()
        incident.slug = slug
        others = [field.name for field in Incident._meta.fields if field.name != "slug"]
        try:
            incident.validate_unique(exclude=others)
        except DjangoValidationError as error:
            return get_error_detail(error)
        return {}

    def validate_original_language(self, language: str) -> str:
        return check_original_language(self.instance or Incident(), language)

    def validate_slug(self, slug: str) -> str:
        return check_slug(slug)

    def validate_occurred_on(self, occurred_on: datetime.date) -> datetime.date:
        return check_occurred_on(occurred_on)

    def validate_latitude(self, latitude: Decimal | None) -> Decimal | None:
        return check_latitude(latitude)

    def validate_longitude(self, longitude: Decimal | None) -> Decimal | None:
        return check_longitude(longitude)


class IncidentWriteSchema(OpenApiSerializerExtension):
    """The one thing the serializer cannot say in its schema: any other field is refused."""

    target_class = IncidentWriteSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}
