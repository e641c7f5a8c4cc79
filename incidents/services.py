"""Writes to incidents: saving a case with its rows, and moving it through the workflow.

Each function takes the acting user, checks the role rule, and writes the audit row
(``PublicationEvent``) in the same transaction as the change. The workflow steps are the
shared ``casefile.workflow.transition``; what an incident adds to them is in ``workflow.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from casefile.workflow import transition

from .facets import facet_key, refresh_facet_counts
from .models import Incident, IncidentTranslation, PublicationEvent
from .search import refresh_search_vectors

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.forms import BaseInlineFormSet, ModelForm

SLUG_MAX_LENGTH = 200
# Addresses under /cases/ that are pages of their own, not cases (incidents/urls.py).
RESERVED_SLUGS = frozenset({"statistics", "feed"})


def incident_unique_slug(*, title: str, exclude_pk: int | None = None) -> str:
    """A readable slug for the title, made unique with a numeric suffix."""
    base = slugify(title, allow_unicode=True)[: SLUG_MAX_LENGTH - 8].strip("-") or "case"
    taken = (
        set(
            Incident.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def incident_save(
    *,
    actor: AbstractBaseUser,
    form: ModelForm,
    formsets: Iterable[BaseInlineFormSet] = (),
) -> Incident:
    """Save a validated incident form and its inline rows, recording who did it.

    The form never writes the workflow columns: a reviewer may have withdrawn or an editor
    submitted the case since the form was loaded, and a late save must not undo that.
    """
    incident: Incident = form.instance
    is_new = incident.pk is None
    facet_keys = []
    if is_new:
        if not actor.has_perm("incidents.add_incident"):
            raise PermissionDenied
        incident.created_by = actor
        incident.publication_state = Incident.State.DRAFT
        incident.published_at = None
    else:
        # Decide on the row as it stands now, locked, not on the copy the form was built on.
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        facet_keys.append(facet_key(locked))
        if not rules.has_perm("incidents.change_incident", actor, locked):
            raise PermissionDenied
        incident.publication_state = locked.publication_state
        incident.published_at = locked.published_at
    if not incident.slug:
        incident.slug = incident_unique_slug(title=incident.title, exclude_pk=incident.pk)
    incident.updated_by = actor
    incident = form.save(commit=False)
    if is_new:
        incident.save()
    else:
        workflow = {"publication_state", "published_at", "created_by", "created_at"}
        fields = {f.name for f in Incident._meta.concrete_fields if not f.primary_key} - workflow
        incident.save(update_fields=sorted(fields))
    form.save_m2m()
    for formset in formsets:
        formset.instance = incident
        formset.save()
    refresh_search_vectors([incident.pk])
    refresh_facet_counts([*facet_keys, facet_key(incident)])
    PublicationEvent.objects.create(
        incident=incident,
        actor=actor,
        action=PublicationEvent.Action.CREATED if is_new else PublicationEvent.Action.EDITED,
        from_state="" if is_new else incident.publication_state,
        to_state=incident.publication_state,
    )
    return incident


def incident_submit(*, actor: AbstractBaseUser, incident: Incident, note: str = "") -> Incident:
    """Send a draft to the reviewers."""
    return transition(actor=actor, record=incident, step="submit", note=note)


def incident_publish(*, actor: AbstractBaseUser, incident: Incident, note: str = "") -> Incident:
    """Make a reviewed incident public."""
    return transition(actor=actor, record=incident, step="publish", note=note)


def incident_send_back(*, actor: AbstractBaseUser, incident: Incident, note: str = "") -> Incident:
    """Return an incident to its editors as a draft, with the reviewer's reasons."""
    return transition(actor=actor, record=incident, step="send_back", note=note)


def incident_withdraw(*, actor: AbstractBaseUser, incident: Incident, note: str = "") -> Incident:
    """Take a published incident off the public site (it stays in the database)."""
    return transition(actor=actor, record=incident, step="withdraw", note=note)


@transaction.atomic
def incident_delete(*, actor: AbstractBaseUser, incident: Incident) -> None:
    """Delete a case and its rows (the admin's delete); its facet counts follow."""
    if not actor.has_perm("incidents.delete_incident"):
        raise PermissionDenied
    key = facet_key(incident)
    incident.delete()
    refresh_facet_counts([key])


@transaction.atomic
def incident_translation_save(
    *,
    actor: AbstractBaseUser,
    incident: Incident,
    language: str,
    form: ModelForm,
    row_forms: Iterable[ModelForm] = (),
) -> IncidentTranslation:
    """Save an incident's texts in ``language`` and its updates' and figures' translations
    (validated forms; an empty row form removes that row's translation)."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not rules.has_perm("incidents.change_incident", actor, locked):
        raise PermissionDenied
    if language == locked.original_language:
        raise ValueError("The original language is edited on the incident itself.")
    translation = form.save(commit=False)
    translation.incident, translation.language, translation.updated_by = locked, language, actor
    translation.save()
    for row_form in row_forms:
        if row_form.is_empty:
            if row_form.instance.pk is not None:
                row_form.instance.delete()
            continue
        row = row_form.save(commit=False)
        row.language, row.updated_by = language, actor
        row.save()
    refresh_search_vectors([locked.pk])
    PublicationEvent.objects.create(
        incident=locked,
        actor=actor,
        action=PublicationEvent.Action.EDITED,
        from_state=locked.publication_state,
        to_state=locked.publication_state,
        note=f"translation: {language}",
    )
    return translation
