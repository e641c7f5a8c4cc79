"""Writes to appeals: saving texts and addressees, the workflow, asking for a PDF.

Each function takes the acting user, checks the role rule, and records an AppealEvent in
the same transaction as the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record, current_request
from casefile.queue import send_on_commit

from .models import Addressee, Appeal, AppealEvent, AppealText, RenderJob
from .publication import sync_public_files
from .references import allocate_reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.forms import BaseFormSet, ModelForm

Action = AppealEvent.Action
# Workflow steps that also go to the audit trail (the others are in AppealEvent only).
AUDITED_TRANSITIONS = {
    Action.PUBLISHED: AuditEvent.Action.PUBLISHED,
    Action.WITHDRAWN: AuditEvent.Action.WITHDRAWN,
}


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
        appeal.state = Appeal.State.DRAFT
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
        to_state=appeal.state,
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
        to_state=appeal.state,
        note=f"text in {text.language}",
    )
    return text


def _transition(
    *,
    actor: AbstractBaseUser,
    appeal: Appeal,
    permission: str,
    action: str,
    to_state: str,
    note: str = "",
) -> Appeal:
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().select_related("incident").get(pk=appeal.pk)
        # rules.has_perm, not actor.has_perm: Django lets a superuser past every check,
        # and no one, a superuser included, may publish a draft that skipped review.
        if not rules.has_perm(permission, actor, locked):
            raise PermissionDenied
        from_state = locked.state
        locked.state = to_state
        locked.updated_by = actor
        if to_state == Appeal.State.PUBLISHED:
            if locked.published_at is None:
                locked.published_at = timezone.now()
            allocate_reference(locked, issued_on=timezone.localdate())
        locked.save()
        AppealEvent.objects.create(
            appeal=locked,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
        if action in AUDITED_TRANSITIONS:
            audit_record(
                action=AUDITED_TRANSITIONS[action],
                actor=actor,
                request=current_request(),
                obj=locked,
                detail={"from_state": from_state},
            )
        if to_state == Appeal.State.PUBLISHED:
            # The reference now prints on every page: render each language again.
            for language in locked.texts.values_list("language", flat=True):
                request_render(actor=actor, appeal=locked, language=language, record=False)
        transaction.on_commit(lambda: sync_public_files(locked), robust=True)
    return locked


def appeal_submit(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    return _transition(
        actor=actor,
        appeal=appeal,
        permission="appeals.submit_appeal",
        action=Action.SUBMITTED,
        to_state=Appeal.State.IN_REVIEW,
        note=note,
    )


def appeal_publish(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Issue the appeal: it gets its reference now, and is public once its incident is."""
    return _transition(
        actor=actor,
        appeal=appeal,
        permission="appeals.publish_appeal",
        action=Action.PUBLISHED,
        to_state=Appeal.State.PUBLISHED,
        note=note,
    )


def appeal_send_back(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    return _transition(
        actor=actor,
        appeal=appeal,
        permission="appeals.send_back_appeal",
        action=Action.SENT_BACK,
        to_state=Appeal.State.DRAFT,
        note=note,
    )


def appeal_withdraw(*, actor: AbstractBaseUser, appeal: Appeal, note: str = "") -> Appeal:
    """Take the appeal off the public site; its files leave the public location."""
    return _transition(
        actor=actor,
        appeal=appeal,
        permission="appeals.withdraw_appeal",
        action=Action.WITHDRAWN,
        to_state=Appeal.State.WITHDRAWN,
        note=note,
    )


def request_render(
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
                to_state=appeal.state,
                note=language,
            )
        # If the broker is down the job stays queued and the sweeper sends it later.
        send_on_commit(render_appeal, job.pk)
    return job
