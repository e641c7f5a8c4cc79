"""Writes to incidents: saving a case with its rows, and moving it through the workflow.

Each function takes the acting user, checks the role rule, and writes the audit row
(``PublicationEvent``) in the same transaction as the change. The workflow steps are the
shared ``casefile.workflow.transition``; what an incident adds to them is in ``workflow.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from casefile.rows import Row, save_rows
from casefile.slugs import readable_slug
from casefile.translatable import TranslationBase
from casefile.workflow import transition
from organizations.services import perpetrator_group_save

from .facets import facet_key, refresh_facet_counts
from .models import (
    FigureTranslation,
    Incident,
    IncidentTranslation,
    PublicationEvent,
    UpdateTranslation,
)
from .search import refresh_search_vectors

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

SLUG_MAX_LENGTH = 200
# Addresses under /cases/ that are pages of their own, not cases (incidents/urls.py).
RESERVED_SLUGS = frozenset({"statistics", "feed"})


def incident_unique_slug(*, title: str, exclude_pk: int | None = None) -> str:
    """A readable slug for the title, made unique with a numeric suffix."""
    base = readable_slug(title)[: SLUG_MAX_LENGTH - 8].strip("-") or "case"
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


@dataclass(frozen=True)
class NewPerpetratorGroup:
    """A perpetrator group named in a case's row for the first time: created with the case,
    in its country and language, so it never exists without the kind the editor gave."""

    name: str
    kind: str


# Rows that other rows cite are saved first: a figure may cite a source of the same save.
ROW_SAVE_ORDER = ("perpetrator_links", "sources", "figures", "updates")

# Columns only the workflow writes: never from a form, the API or a command's fields.
WORKFLOW_COLUMNS = frozenset({"publication_state", "published_at", "created_by", "created_at"})


@transaction.atomic
def incident_save(
    *,
    actor: AbstractBaseUser,
    incident: Incident | None = None,
    fields: Mapping[str, Any],
    rows: Mapping[str, Sequence[Row]] | None = None,
    at: datetime.datetime | None = None,
) -> Incident:
    """Create a case (``incident=None``) or change one: its validated field values (many-to-
    many ones too) and its rows, by relation (``sources``, ``figures``, ``updates``,
    ``perpetrator_links``). Records who did it and keeps search and facet counts current.

    The workflow columns are never written here: a reviewer may have withdrawn or an editor
    submitted the case since the form was loaded, and a late save must not undo that.

    ``at`` is for imports of past records (``load_demo``): the time of the save's event
    and, for a new case, its ``created_at``. Left out, it is now.
    """
    if WORKFLOW_COLUMNS & set(fields):
        raise ValueError(f"Not writable here: {sorted(WORKFLOW_COLUMNS & set(fields))}.")
    facet_keys = []
    is_new = incident is None
    if is_new:
        if not actor.has_perm("incidents.add_incident"):
            raise PermissionDenied
        incident = Incident(created_by=actor, publication_state=Incident.State.DRAFT)
        if at is not None:
            incident.created_at = at
    else:
        # Decide on the row as it stands now, locked, not on the copy the form was built on.
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        facet_keys.append(facet_key(incident))
        if not rules.has_perm("incidents.change_incident", actor, incident):
            raise PermissionDenied
    many = {}
    for name, value in fields.items():
        if Incident._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(incident, name, value)
    if not incident.slug:
        incident.slug = incident_unique_slug(title=incident.title, exclude_pk=incident.pk)
    incident.updated_by = actor
    incident.save()
    for name, value in many.items():
        getattr(incident, name).set(value)
    _save_incident_rows(incident, rows or {}, actor=actor)
    refresh_search_vectors([incident.pk])
    refresh_facet_counts([*facet_keys, facet_key(incident)])
    PublicationEvent.objects.create(
        incident=incident,
        actor=actor,
        action=PublicationEvent.Action.CREATED if is_new else PublicationEvent.Action.EDITED,
        from_state="" if is_new else incident.publication_state,
        to_state=incident.publication_state,
        **({"at": at} if at is not None else {}),
    )
    return incident


def _save_incident_rows(
    incident: Incident, rows: Mapping[str, Sequence[Row]], *, actor: AbstractBaseUser
) -> None:
    """Save each relation's rows; a value that is another ``Row`` of this save (a figure's
    new source) becomes what that row saved, a ``NewPerpetratorGroup`` a new group."""
    saved: dict[int, Any] = {}  # id() of a given Row -> the record it saved

    def resolve(value: Any) -> Any:
        if isinstance(value, Row):
            if id(value) not in saved:
                raise ValueError("A row cites a row that this save does not keep.")
            return saved[id(value)]
        if isinstance(value, NewPerpetratorGroup):
            return perpetrator_group_save(
                actor=actor,
                fields={
                    "name": value.name,
                    "kind": value.kind,
                    "country": incident.country,
                    "original_language": incident.original_language,
                },
            )
        return value

    order = {relation: n for n, relation in enumerate(ROW_SAVE_ORDER)}
    for relation in sorted(rows, key=lambda name: order.get(name, len(order))):
        given = rows[relation]
        resolved = [
            Row(row.pk, {name: resolve(v) for name, v in row.values.items()}, row.delete)
            for row in given
        ]
        for row, record in zip(given, save_rows(incident, relation, resolved), strict=True):
            if record is not None:
                saved[id(row)] = record


def incident_submit(
    *,
    actor: AbstractBaseUser,
    incident: Incident,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Incident:
    """Send a draft to the reviewers (``at``: an import's past time, see ``transition``)."""
    return transition(actor=actor, record=incident, step="submit", note=note, at=at)


def incident_publish(
    *,
    actor: AbstractBaseUser,
    incident: Incident,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Incident:
    """Make a reviewed incident public (``at``: an import's past time, see ``transition``)."""
    return transition(actor=actor, record=incident, step="publish", note=note, at=at)


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
    texts: Mapping[str, Any],
    update_texts: Mapping[int, Mapping[str, Any] | None] | None = None,
    figure_labels: Mapping[int, Mapping[str, Any] | None] | None = None,
) -> IncidentTranslation:
    """Save an incident's texts in ``language`` and, by the id of each update and figure of
    the case, their translated texts (``None`` or empty removes that row's translation)."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not rules.has_perm("incidents.change_incident", actor, locked):
        raise PermissionDenied
    if language == locked.original_language:
        raise ValueError("The original language is edited on the incident itself.")
    translation, _created = IncidentTranslation.objects.update_or_create(
        incident=locked, language=language, defaults={**texts, "updated_by": actor}
    )
    _save_row_translations(locked.updates, UpdateTranslation, language, update_texts, actor)
    _save_row_translations(locked.figures, FigureTranslation, language, figure_labels, actor)
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


def _save_row_translations(
    rows: QuerySet,
    translation_model: type[TranslationBase],
    language: str,
    texts: Mapping[int, Mapping[str, Any] | None] | None,
    actor: AbstractBaseUser,
) -> None:
    texts = texts or {}
    owner = rows.model._meta.model_name  # "update", "figure": the translation's key
    found = {row.pk: row for row in rows.filter(pk__in=list(texts))}
    if len(found) != len(texts):
        # An id of another case's row: never write another case's translations.
        raise PermissionDenied
    translations = translation_model.objects
    for pk, values in texts.items():
        lookup = {owner: found[pk], "language": language}
        if values:
            translations.update_or_create(**lookup, defaults={**values, "updated_by": actor})
        else:
            translations.filter(**lookup).delete()
