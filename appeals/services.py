"""Writes to appeals: saving texts and addressees, the workflow, asking for a PDF.

Each function takes the acting user, checks the role rule, and records an AppealEvent in
the same transaction as the change. Saves take plain values (a form's ``cleaned_data``
through ``casefile.rows.form_values``, or a command's own), never a form. The workflow
steps are the shared ``casefile.workflow.transition``; what an appeal adds to them is in
``workflow.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefile.queue import send_on_commit
from casefile.rows import Row, check_fields, save_rows, set_fields
from casefile.translatable import language_name
from casefile.workflow import StepRefused, transition

from .checks import language_gaps
from .models import Addressee, Appeal, AppealEvent, AppealText, RenderJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from incidents.models import Incident

Action = AppealEvent.Action

# What a save may set. The state, the reference and the publication time move only through
# the workflow (casefile.workflow.transition), so a caller cannot publish by saving.
_APPEAL_FIELDS = frozenset({"kind", "follows", "original_language", "deadline"})
_TEXT_FIELDS = frozenset(
    field.name
    for field in AppealText._meta.concrete_fields
    if field.editable and field.name not in {"id", "appeal", "language"}
)
_ADDRESSEE_FIELDS = frozenset(
    field.name for field in Addressee._meta.concrete_fields if not field.primary_key
)
_ADDRESSEE_ROW_FIELDS = frozenset({"addressee", "position"})


@transaction.atomic
def appeal_save(
    *,
    actor: AbstractBaseUser,
    appeal: Appeal | None = None,
    incident: Incident | None = None,
    fields: Mapping[str, Any],
    text: Mapping[str, Any] | None = None,
    addressees: Sequence[Row] | None = None,
) -> Appeal:
    """Create a draft appeal about ``incident`` or change ``appeal``; with ``text``, its words
    in its original language; with ``addressees``, the rows of its list to add, change, remove.
    """
    for row in addressees or ():
        check_fields(row.values, allowed=_ADDRESSEE_ROW_FIELDS)
    is_new = appeal is None
    if appeal is None:
        if incident is None:
            raise ValueError("A new appeal needs its incident.")
        if not actor.has_perm("appeals.add_appeal"):
            raise PermissionDenied
        appeal = Appeal(incident=incident, created_by=actor, publication_state=Appeal.State.DRAFT)
    elif not rules.has_perm("appeals.change_appeal", actor, appeal):
        raise PermissionDenied
    set_fields(appeal, fields, allowed=_APPEAL_FIELDS)
    appeal.updated_by = actor
    appeal.save()
    if text is not None:
        words = AppealText.objects.filter(appeal=appeal, language=appeal.original_language).first()
        words = words or AppealText(appeal=appeal, language=appeal.original_language)
        set_fields(words, text, allowed=_TEXT_FIELDS)
        words.save()
    if addressees is not None:
        # Refuses a row id of another appeal (PermissionDenied), rolling the save back.
        save_rows(appeal, "addressee_links", addressees)
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        action=Action.CREATED if is_new else Action.EDITED,
        to_state=appeal.publication_state,
    )
    return appeal


@transaction.atomic
def addressee_save(
    *, actor: AbstractBaseUser, addressee: Addressee | None = None, fields: Mapping[str, Any]
) -> Addressee:
    """Save an addressee (a minister, a prosecutor) that appeals can be sent to."""
    if not actor.has_perm("appeals.change_addressee"):
        raise PermissionDenied
    addressee = addressee or Addressee()
    set_fields(addressee, fields, allowed=_ADDRESSEE_FIELDS)
    addressee.save()
    return addressee


@transaction.atomic
def appeal_text_save(
    *, actor: AbstractBaseUser, appeal: Appeal, language: str, fields: Mapping[str, Any]
) -> AppealText:
    """Save one language's text of an appeal (a new translation or an edit)."""
    if not rules.has_perm("appeals.change_appeal", actor, appeal):
        raise PermissionDenied
    text = AppealText.objects.filter(appeal=appeal, language=language).first()
    text = text or AppealText(appeal=appeal, language=language)
    set_fields(text, fields, allowed=_TEXT_FIELDS)
    text.save()
    Appeal.objects.filter(pk=appeal.pk).update(updated_by=actor, updated_at=timezone.now())
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        action=Action.EDITED,
        to_state=appeal.publication_state,
        note=f"text in {text.language}",
    )
    return text


def appeal_submit(
    *, actor: AbstractBaseUser, appeal: Appeal, note: str = "", at: datetime.datetime | None = None
) -> Appeal:
    """Send a draft appeal to the reviewers. ``at``: an import's past time of the step."""
    return transition(actor=actor, record=appeal, step="submit", note=note, at=at)


def appeal_publish(
    *, actor: AbstractBaseUser, appeal: Appeal, note: str = "", at: datetime.datetime | None = None
) -> Appeal:
    """Issue the appeal: it gets its reference now, and is public once its incident is.

    ``at``: an import's past time of publication (``transition``); the reference then
    carries that date.
    """
    return transition(actor=actor, record=appeal, step="publish", note=note, at=at)


def appeal_send_back(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Return an appeal to its editors as a draft, with the reviewer's reasons."""
    return transition(actor=actor, record=appeal, step="send_back", note=note)


def appeal_withdraw(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Take the appeal off the public site; its files leave the public location."""
    return transition(actor=actor, record=appeal, step="withdraw", note=note)


def appeal_request_render(
    *, actor: AbstractBaseUser, appeal: Appeal, language: str, record: bool = True
) -> RenderJob:
    """Queue a PDF render of one language of the appeal (after commit); reuse a pending one.

    Refused (``StepRefused``) for a published appeal whose text in ``language`` is not whole.
    """
    from .tasks import render_appeal

    if not rules.has_perm("appeals.render_appeal", actor, appeal):
        raise PermissionDenied
    if appeal.publication_state == Appeal.State.PUBLISHED and (
        missing := language_gaps(appeal, language)
    ):
        # A published appeal's PDF goes public when made: a language is issued whole, the
        # same rule as publishing (appeals.checks). A draft's PDF is a private preview.
        raise StepRefused(
            _("The text in %(language)s cannot be issued yet. Missing: %(items)s.")
            % {"language": language_name(language), "items": "; ".join(missing)}
        )
    active = RenderJob.objects.filter(
        appeal=appeal, language=language, state__in=RenderJob.ACTIVE_STATES
    )
    with transaction.atomic():
        if job := active.first():
            return job
        try:
            with transaction.atomic():
                job = RenderJob.objects.create(appeal=appeal, language=language, requested_by=actor)
        except IntegrityError:  # Someone queued the same render a moment ago.
            return active.get()
        if record:
            AppealEvent.objects.create(
                appeal=appeal,
                actor=actor,
                action=Action.RENDER_REQUESTED,
                to_state=appeal.publication_state,
                note=language,
            )
        # If the broker is down the job stays queued and the sweeper sends it later.
        send_on_commit(render_appeal, job.pk)
    return job
