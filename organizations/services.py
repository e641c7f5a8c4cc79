"""Writes to organizations and perpetrator groups, recording who acted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Organization, PerpetratorGroup

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.forms import ModelForm


@transaction.atomic
def organization_save(*, actor: AbstractBaseUser, form: ModelForm) -> Organization:
    """Create or change an organization from a validated form."""
    organization: Organization = form.instance
    is_new = organization.pk is None
    permission = "organizations.add_organization" if is_new else "organizations.change_organization"
    if not actor.has_perm(permission):
        raise PermissionDenied
    if is_new:
        organization.created_by = actor
    return form.save()


@transaction.atomic
def perpetrator_group_save(*, actor: AbstractBaseUser, form: ModelForm) -> PerpetratorGroup:
    """Create or change a perpetrator group from a validated form."""
    group: PerpetratorGroup = form.instance
    is_new = group.pk is None
    permission = (
        "organizations.add_perpetratorgroup" if is_new else "organizations.change_perpetratorgroup"
    )
    if not actor.has_perm(permission):
        raise PermissionDenied
    if is_new:
        group.created_by = actor
    return form.save()


@transaction.atomic
def organization_translation_save(
    *,
    actor: AbstractBaseUser,
    record: Organization | PerpetratorGroup,
    language: str,
    texts: dict[str, str],
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
    values = {name: texts.get(name, "").strip() for name in record.translatable_fields}
    if not any(values.values()):
        record.translations.filter(language=language).delete()
        return
    record.translations.update_or_create(
        language=language, defaults={**values, "updated_by": actor}
    )
