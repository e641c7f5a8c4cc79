"""Writes to appeals: saving texts and addressees, the workflow, asking for a PDF.

Each function takes the acting user, checks the role rule, and records an AppealEvent in
the same transaction as the change. The workflow steps are the shared
``casefile.workflow.transition``; what an appeal adds to them is in ``workflow.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from casefile.queue import send_on_commit
from casefile.workflow import transition

from .models import Addressee, Appeal, AppealEvent, AppealText, RenderJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.forms import BaseFormSet, ModelForm

Action = AppealEvent.Action


@transaction.atomic
def appeal_save(
    *,
    actor: AbstractBaseUser,
    form: ModelForm,
    text_form: ModelForm | None = None,
    addressee_formset: BaseFormSet | None = None,
) -> Appeal:
    """Save an appeal form, optionally with one language's text and the addressee list."""
    appeal: Appeal = form.instance
    is_new = appeal.pk is None
    if is_new:
        if not actor.has_perm("appeals.add_appeal"):
            raise PermissionDenied
        appeal.created_by = actor
        appeal.publication_state = Appeal.State.DRAFT
    elif not rules.has_perm("appeals.change_appeal", actor, appeal):
        raise PermissionDenied
    appeal.updated_by = actor
    appeal = form.save()
    if text_form is not None:
        text: AppealText = text_form.instance
        text.appeal = appeal
        if not text.language:
            text.language = appeal.original_language
        text_form.save()
    if addressee_formset is not None:
        addressee_formset.instance = appeal
        addressee_formset.save()
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        action=Action.CREATED if is_new else Action.EDITED,
        to_state=appeal.publication_state,
    )
    return appeal


@transaction.atomic
def addressee_save(*, actor: AbstractBaseUser, form: ModelForm) -> Addressee:
    """Save an addressee (a minister, a prosecutor) that appeals can be sent to."""
    if not actor.has_perm("appeals.change_addressee"):
        raise PermissionDenied
    return form.save()


@transaction.atomic
def appeal_text_save(*, actor: AbstractBaseUser, appeal: Appeal, form: ModelForm) -> AppealText:
    """Save one language's text of an appeal (a new translation or an edit)."""
    if not rules.has_perm("appeals.change_appeal", actor, appeal):
        raise PermissionDenied
    form.instance.appeal = appeal
    text = form.save()
    Appeal.objects.filter(pk=appeal.pk).update(updated_by=actor, updated_at=timezone.now())
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        action=Action.EDITED,
        to_state=appeal.publication_state,
        note=f"text in {text.language}",
    )
    return text


def appeal_submit(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Send a draft appeal to the reviewers."""
    return transition(actor=actor, record=appeal, step="submit", note=note)


def appeal_publish(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Issue the appeal: it gets its reference now, and is public once its incident is."""
    return transition(actor=actor, record=appeal, step="publish", note=note)


def appeal_send_back(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Return an appeal to its editors as a draft, with the reviewer's reasons."""
    return transition(actor=actor, record=appeal, step="send_back", note=note)


def appeal_withdraw(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Take the appeal off the public site; its files leave the public location."""
    return transition(actor=actor, record=appeal, step="withdraw", note=note)


def appeal_request_render(
    *, actor: AbstractBaseUser, appeal: Appeal, language: str, record: bool = True
) -> RenderJob:
    """Queue a PDF render of one language of the appeal (after commit); reuse a pending one."""
    from .tasks import render_appeal

    if not rules.has_perm("appeals.render_appeal", actor, appeal):
        raise PermissionDenied
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
