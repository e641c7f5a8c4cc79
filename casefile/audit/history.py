"""Readable change history from django-simple-history's records: who changed what, when.

Each version is compared with the one before it, field by field: labels instead of column
names, the chosen option's label instead of its code, a related record's name instead of
its id, and long texts as a line-then-word diff (``difflib``) for ``<del>``/``<ins>``.

This module knows no app of ours: the incident and appeal views give it their history
querysets (already limited to a record the user may see) and render what it returns.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

PAGE_VERSIONS = 20
# A single-line value longer than this is diffed like a text.
LONG_VALUE = 120
# Word diffs of blocks larger than this (in words and spaces) are shown as replaced whole:
# difflib is quadratic in the worst case and a history page must stay fast.
MAX_WORD_DIFF_TOKENS = 4000
WORDS = re.compile(r"(\s+)")


@dataclass
class Change:
    label: str
    old: str
    new: str
    # For texts: ("equal" | "delete" | "insert", text) runs; empty for short values.
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Version:
    record: Any
    kind: str  # "created", "changed", "deleted"
    when: datetime.datetime
    who: str
    changes: list[Change]


def version_page(
    history: models.QuerySet, page_number: str | int | None, *, per_page: int = PAGE_VERSIONS
) -> tuple[Page, list[Version]]:
    """One page of versions, newest first, each compared with the version before it."""
    ordered = history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(ordered, per_page).get_page(page_number)
    if not page.paginator.count:
        return page, []
    # The page's records and the one just older than them, which the oldest is compared to
    # (one query; page.object_list is never evaluated).
    records = list(ordered[page.start_index() - 1 : page.end_index() + 1])
    shown = records[: page.end_index() - page.start_index() + 1]
    names = _related_names(records)
    versions = []
    for index, record in enumerate(shown):
        previous = records[index + 1] if index + 1 < len(records) else None
        versions.append(_version(record, previous, names))
    return page, versions


def _version(record: Any, previous: Any | None, names: dict) -> Version:
    kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
    user = record.history_user
    changes = []
    if kind != "deleted":
        for model_field in _fields(record):
            new = _value(record, model_field)
            old = _value(previous, model_field) if previous is not None else None
            if new == old or (previous is None and new in (None, "")):
                continue
            changes.append(_change(model_field, old, new, names))
    return Version(
        record=record,
        kind=kind,
        when=record.history_date,
        who=user.get_username() if user is not None else "",
        changes=changes,
    )


def _fields(record: Any) -> Iterable[models.Field]:
    return [f for f in type(record).tracked_fields if f.editable and not f.primary_key]


def _value(record: Any, model_field: models.Field) -> Any:
    return getattr(record, model_field.attname, None)


def _change(model_field: models.Field, old: Any, new: Any, names: dict) -> Change:
    label = str(model_field.verbose_name)
    label = label[:1].upper() + label[1:]
    old_text, new_text = _display(model_field, old, names), _display(model_field, new, names)
    is_text = isinstance(model_field, models.TextField) or any(
        isinstance(value, str) and ("\n" in value or len(value) > LONG_VALUE)
        for value in (old, new)
    )
    if is_text and not model_field.choices:
        return Change(label, old_text, new_text, text_diff(old_text, new_text))
    return Change(label, old_text, new_text)


def _display(model_field: models.Field, value: Any, names: dict) -> str:
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        name = names.get((model_field.related_model, value))
        return name if name is not None else _("#%(id)s (no longer exists)") % {"id": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value, datetime.UTC)
        return formats.date_format(moment, "DATETIME_FORMAT") + " UTC"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _related_names(records: Sequence[Any]) -> dict[tuple[type[models.Model], Any], str]:
    """Names of every record the versions point at, one query per related model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for record in records:
        for model_field in _fields(record):
            value = _value(record, model_field)
            if model_field.is_relation and value is not None:
                wanted[model_field.related_model].add(value)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of equal, deleted and inserted text: by line first, then by word within them."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            segments.append(("equal", before))
        elif op == "replace":
            segments.extend(_word_diff(before, after))
        elif op == "delete":
            segments.append(("delete", before))
        else:
            segments.append(("insert", after))
    return _merged(segments)


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = WORDS.split(old), WORDS.split(new)
    if len(old_words) + len(new_words) > MAX_WORD_DIFF_TOKENS:
        return [("delete", old), ("insert", new)]
    segments = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(new_words[j1:j2])))
        if op == "equal":
            segments.append(("equal", "".join(old_words[i1:i2])))
    return _grouped(segments)


def _grouped(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ "<del>plain clothes</del><ins>police uniform</ins>", not word by word in turn: a
    space between two changes joins them."""
    grouped: list[tuple[str, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            grouped.append(("delete", "".join(deleted)))
        if inserted:
            grouped.append(("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, text) in enumerate(segments):
        if op == "delete":
            deleted.append(text)
        elif op == "insert":
            inserted.append(text)
        elif (
            (deleted or inserted)
            and text.isspace()
            and index + 1 < len(segments)
            and segments[index + 1][0] != "equal"
        ):
            deleted.append(text)
            inserted.append(text)
        else:
            flush()
            grouped.append((op, text))
    flush()
    return grouped


def _merged(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged
