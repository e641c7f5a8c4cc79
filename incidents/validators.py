"""The rules a case's fields follow however it is written: the staff form and the API's write
serializer both call these, so the two cannot drift apart.

Each raises (or returns) Django's ``ValidationError``, with the message a user reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Incident
from .services import RESERVED_SLUGS

# A micro-degree is about 10 cm, finer than anything we document; it is what the column holds.
COORDINATE_STEP = Decimal("0.000001")
LATITUDE_LIMIT = 90
LONGITUDE_LIMIT = 180


def check_slug(slug: str) -> str:
    """The slug, unless it is the address of a page of its own (``/cases/feed/``)."""
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page; choose another."),
            code="reserved",
            params={"slug": slug},
        )
    return slug


def check_original_language(incident: Incident, language: str) -> str:
    """The case's original language: ``language``, or, when it is empty (left out), the one
    it has. It cannot become a language the case is translated into."""
    language = language or incident.original_language
    if incident.pk and incident.translations.filter(language=language).exists():
        raise ValidationError(
            _(
                "This case has a translation into that language. Delete the translation "
                "first, or keep the original language."
            ),
            code="translated",
        )
    return language


def check_occurred_on(occurred_on: datetime.date) -> datetime.date:
    if occurred_on > timezone.localdate():
        raise ValidationError(_("The incident date cannot be in the future."), code="future")
    return occurred_on


def check_coordinate(value: Decimal | None, *, limit: int, name: str) -> Decimal | None:
    """A latitude (``limit`` 90) or longitude (180) in range, rounded to what the column holds."""
    if value is None:
        return None
    if not -limit <= value <= limit:
        raise ValidationError(
            _("%(name)s must be between -%(limit)s and %(limit)s."),
            code="range",
            params={"name": name, "limit": limit},
        )
    # Coordinates pasted from a map often carry more decimals than the column holds.
    return value.quantize(COORDINATE_STEP)


def check_latitude(value: Decimal | None) -> Decimal | None:
    return check_coordinate(value, limit=LATITUDE_LIMIT, name=_("Latitude"))


def check_longitude(value: Decimal | None) -> Decimal | None:
    return check_coordinate(value, limit=LONGITUDE_LIMIT, name=_("Longitude"))


def rules_across_fields(
    values: Mapping[str, Any], *, failed: Collection[str]
) -> dict[str, ValidationError]:
    """What is wrong between fields, by the field to mark: ``values`` are those that passed
    their own checks, ``failed`` the names of those that did not."""
    errors = {}
    occurred_on, ended_on = values.get("occurred_on"), values.get("ended_on")
    if occurred_on and ended_on and ended_on < occurred_on:
        errors["ended_on"] = ValidationError(
            _("The end date cannot be before the date it happened."), code="ends_early"
        )
    # A coordinate that already failed (out of range) is missing from ``values`` too: only
    # complain about a missing partner when the user really left it empty.
    if not {"latitude", "longitude"} & set(failed):
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if latitude is not None and longitude is None:
            errors["longitude"] = ValidationError(
                _("Give the longitude too, or leave both coordinates empty."), code="pair"
            )
        elif longitude is not None and latitude is None:
            errors["latitude"] = ValidationError(
                _("Give the latitude too, or leave both coordinates empty."), code="pair"
            )
    return errors
