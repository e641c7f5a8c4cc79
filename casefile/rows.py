"""Plain data for services: a record's field values and the rows of its lists.

Services take what a form's ``cleaned_data`` or a serializer's ``validated_data`` holds,
never the form itself, so the staff screens, the API and the commands write the same way.
``Row`` is one entry of a record's list (a source of a case, an addressee of an appeal):
new (no ``pk``), changed, or to delete. ``save_rows`` applies a list of them, and refuses a
``pk`` that is not one of the record's own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import BaseModelFormSet, ModelForm


@dataclass(frozen=True)
class Row:
    pk: int | None
    values: Mapping[str, Any] = field(default_factory=dict)
    delete: bool = False


def check_fields(values: Mapping[str, Any], *, allowed: Iterable[str]) -> None:
    """Refuse a name outside ``allowed`` (before anything is written)."""
    if unknown := set(values).difference(allowed):
        raise ValueError(f"Not a field this save may set: {', '.join(sorted(unknown))}")


def set_fields(record: models.Model, values: Mapping[str, Any], *, allowed: Iterable[str]) -> None:
    """Set ``values`` on ``record``, refusing a name outside ``allowed``: a caller cannot
    set what only the service or the workflow writes (a state, a reference, an author)."""
    check_fields(values, allowed=allowed)
    for name, value in values.items():
        setattr(record, name, value)


def form_values(form: ModelForm) -> dict[str, Any]:
    """A valid model form's values for its model's fields, as ``cleaned_data`` has them.

    A field with a default that the post left out empty keeps the record's value, as
    ``ModelForm.save`` (``construct_instance``) would have it.
    """
    values = {}
    for name in form._meta.fields or ():
        if name not in form.fields or name not in form.cleaned_data:
            continue
        bound, value = form[name], form.cleaned_data[name]
        omitted = bound.field.widget.value_omitted_from_data(form.data, form.files, bound.html_name)
        if omitted and value in bound.field.empty_values and _has_default(form, name):
            continue
        values[name] = value
    return values


def _has_default(form: ModelForm, name: str) -> bool:
    try:
        return form.instance._meta.get_field(name).has_default()
    except LookupError:
        return False


def rows_from_formset(formset: BaseModelFormSet) -> list[Row]:
    """The rows a valid formset adds, changes and deletes (untouched rows are left out)."""
    return [row for _form, row in form_rows(formset)]


def form_rows(formset: BaseModelFormSet) -> list[tuple[ModelForm, Row]]:
    """Each form of a valid formset that adds, changes or deletes a row, with that row: a
    row of another list can then cite it before either is saved (a figure and its source)."""
    # An inline formset adds its key to the parent to every form; save_rows sets it.
    owner = getattr(formset, "fk", None)
    rows = []
    for index, form in enumerate(formset.forms):
        pk = form.instance.pk
        if index < formset.initial_form_count() and pk is None:
            # A stored row's form whose id names no row of this record (tampered, or
            # deleted meanwhile): skipped, as ``BaseModelFormSet.save`` skips it.
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if pk is not None:
                rows.append((form, Row(pk, delete=True)))
        elif form.has_changed():
            values = form_values(form)
            if owner is not None:
                values.pop(owner.name, None)
            rows.append((form, Row(pk, values)))
    return rows


def save_rows(
    record: models.Model, relation: str, rows: Sequence[Row]
) -> list[models.Model | None]:
    """Apply ``rows`` to ``record``'s reverse foreign key ``relation``: deletions and changes
    first, then new rows (a row removed and added back in one save must not collide).

    Returns what each row saved, in the order of ``rows`` (``None`` for a deletion)."""
    manager = getattr(record, relation)
    owner = manager.field.name
    wanted = [row.pk for row in rows if row.pk is not None]
    existing = {obj.pk: obj for obj in manager.filter(pk__in=wanted)}
    if len(existing) != len(set(wanted)):
        # An id from another record, or one deleted meanwhile: never touch another's rows.
        raise PermissionDenied("A row does not belong to this record.")
    if any(owner in row.values for row in rows):
        raise ValueError(f"A row's {owner} is set by the save, never given.")
    saved: list[models.Model | None] = [None] * len(rows)
    for index in _existing_first(rows):
        row = rows[index]
        if row.delete:
            existing[row.pk].delete()
            continue
        obj = existing[row.pk] if row.pk is not None else manager.model(**{owner: record})
        for name, value in row.values.items():
            setattr(obj, name, value)
        obj.save()
        saved[index] = obj
    return saved


def _existing_first(rows: Sequence[Row]) -> list[int]:
    return sorted(range(len(rows)), key=lambda index: rows[index].pk is None)
