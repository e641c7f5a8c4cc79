"""Writes to organizations and perpetrator groups, recording who acted.

They take plain values (a form's ``cleaned_data`` through ``casefile.rows.form_values``,
a serializer's ``validated_data``, a command's dict), already validated by their caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from casefile.rows import set_fields

from .models import Organization, PerpetratorGroup

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What a writer may set; ``created_by`` and the dates belong to the service and the model.
ORGANIZATION_FIELDS = (
    "original_language",
    "name",
    "acronym",
    "kind",
    "country",
    "city",
    "founded_year",
    "member_organizations",
    "about",
    "website",
)
PERPETRATOR_GROUP_FIELDS = (
    "original_language",
    "name",
    "aliases",
    "kind",
    "country",
    "description",
)


@transaction.atomic
def organization_save(
    *,
    actor: AbstractBaseUser,
    organization: Organization | None = None,
    fields: Mapping[str, Any],
) -> Organization:
    """Create an organization (``organization=None``) or change one, with ``fields``."""
    permission = (
        "organizations.add_organization"
        if organization is None
        else "organizations.change_organization"
    )
    if not actor.has_perm(permission):
        raise PermissionDenied
    if organization is None:
        organization = Organization(created_by=actor)
    return _save(organization, actor=actor, fields=fields, allowed=ORGANIZATION_FIELDS)


@transaction.atomic
def perpetrator_group_save(
    *,
    actor: AbstractBaseUser,
    group: PerpetratorGroup | None = None,
    fields: Mapping[str, Any],
) -> PerpetratorGroup:
    """Create a perpetrator group (``group=None``) or change one, with ``fields``."""
    permission = (
        "organizations.add_perpetratorgroup"
        if group is None
        else "organizations.change_perpetratorgroup"
    )
    if not actor.has_perm(permission):
        raise PermissionDenied
    if group is None:
        group = PerpetratorGroup(created_by=actor)
    return _save(group, actor=actor, fields=fields, allowed=PERPETRATOR_GROUP_FIELDS)


def _save[R: Organization | PerpetratorGroup](
    record: R, *, actor: AbstractBaseUser, fields: Mapping[str, Any], allowed: tuple[str, ...]
) -> R:
    language = fields.get("original_language")
    if language and record.pk and record.translations.filter(language=language).exists():
        # The form says so to the editor; this holds for every other writer too.
        raise ValueError("The record is translated into that language: delete that first.")
    set_fields(record, fields, allowed=allowed)
    # The history row names the actor also when a command writes (no request to read it from).
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def organization_translation_save(
    *,
    actor: AbstractBaseUser,
    record: Organization | PerpetratorGroup,
    language: str,
    texts: Mapping[str, str],
) -> None:
    """Set ``record``'s translatable texts in ``language``; all empty removes the translation."""
    permission = (
        "organizations.change_organization"
        if isinstance(record, Organization)
        else "organizations.change_perpetratorgroup"
    )
    if not actor.has_perm(permission):
        raise PermissionDenied
    if language == record.original_language:
        raise ValueError("The original language is edited on the record itself.")
    values = {name: (texts.get(name) or "").strip() for name in record.translatable_fields}
    if not any(values.values()):
        record.translations.filter(language=language).delete()
        return
    record.translations.update_or_create(
        language=language, defaults={**values, "updated_by": actor}
    )
