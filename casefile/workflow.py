"""The publication workflow incidents and appeals share: one table of steps, one transition.

    draft --submit--> in_review --publish--> published --withdraw--> withdrawn
      ^                   |                                               |
      +---- send_back ----+                                               |
      +---------------------------- send_back ----------------------------+
                                  in_review <--- publish (again) ---------+

Each step says from which states it may be taken, the state it leads to, which role may
take it, the event the record's own log gets, and whether the audit trail gets one too.
``transition`` is the only code that changes a record's publication state: it locks the
row, checks the rule on the row as it stands, changes it, writes both events and lets the
record's app add its side effects (``Workflow``: a reference for an appeal, facet counts
and a signal for an incident).

Permissions are named ``<app>.<step>_<model>`` (``incidents.publish_incident``), so pages
and templates ask the same rule the transition enforces.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record, current_request
from casefile.publication import PublicationState as State
from casefile.roles import is_editor, is_reviewer

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def in_state(*states: str) -> rules.Predicate:
    """A rule that holds for a record in one of ``states``."""

    @rules.predicate
    def predicate(user, record) -> bool:
        return record is not None and record.publication_state in states

    return predicate


@dataclass(frozen=True)
class Step:
    name: str
    from_states: frozenset[str]
    to_state: str
    who: rules.Predicate
    event: str  # the value written to the record's own event log
    audit: str | None = None  # the audit trail's action, for the steps that change the public
    # Sending back without a word leaves the editor guessing what to fix.
    note_required: bool = False

    @property
    def rule(self) -> rules.Predicate:
        return self.who & in_state(*self.from_states)

    @property
    def changes_the_public(self) -> bool:
        """Publishing and withdrawing: the staff screens ask before taking such a step."""
        return self.audit is not None


STEPS = {
    step.name: step
    for step in (
        Step("submit", frozenset({State.DRAFT}), State.IN_REVIEW, is_editor | is_reviewer,
             "submitted"),
        # A withdrawn record comes back through a reviewer: published again, or a draft.
        Step("publish", frozenset({State.IN_REVIEW, State.WITHDRAWN}), State.PUBLISHED,
             is_reviewer, "published", AuditEvent.Action.PUBLISHED),
        Step("send_back", frozenset({State.IN_REVIEW, State.WITHDRAWN}), State.DRAFT,
             is_reviewer, "sent_back", note_required=True),
        Step("withdraw", frozenset({State.PUBLISHED}), State.WITHDRAWN, is_reviewer,
             "withdrawn", AuditEvent.Action.WITHDRAWN),
    )
}  # fmt: skip
# Editors edit drafts. Reviewers may also edit a record in review or already published
# (a typo, a dated update) since they are the ones who vouch for what is public.
MAY_EDIT = (is_editor & in_state(State.DRAFT)) | (
    is_reviewer & in_state(State.DRAFT, State.IN_REVIEW, State.PUBLISHED)
)


class StepRefused(Exception):
    """A step the role rules allow but the record is not ready for (an appeal whose first
    appeal has no reference yet); the message tells the staff what to do first."""


class Workflow:
    """What a model adds to the shared transition. Subclass it and ``register`` it."""

    model: type[models.Model]
    # The record's own log of steps (PublicationEvent, AppealEvent) and its key to the record.
    event_model: type[models.Model]
    event_owner: str
    # Columns ``before_save`` may set, saved with the state (an appeal's reference).
    extra_fields: tuple[str, ...] = ()

    def lock(self, pk: int) -> models.Model:
        return self.model.objects.select_for_update().get(pk=pk)

    def before_save(self, record: Any, *, actor: AbstractBaseUser, step: Step) -> None:
        """Inside the transaction, on the locked row, before it is saved; raise
        ``StepRefused`` to refuse the step (nothing is written)."""

    def record_event(
        self, record: Any, *, actor: AbstractBaseUser, step: Step, from_state: str, note: str
    ) -> models.Model:
        """Write the step to the record's own event log (``event_model``, whose foreign key
        to the record is ``event_owner``), and return it."""
        return self.event_model.objects.create(
            **{self.event_owner: record},
            actor=actor,
            action=step.event,
            from_state=from_state,
            to_state=record.publication_state,
            note=note,
        )

    def after_save(self, record: Any, *, actor: AbstractBaseUser, step: Step) -> None:
        """Inside the transaction, after the save and the events (queue work on commit)."""


_workflows: dict[str, Workflow] = {}
STATE_FIELDS = ("publication_state", "published_at", "updated_by", "updated_at")


def register(workflow: Workflow) -> None:
    """Plug a model into the workflow and add its ``<app>.<step>_<model>`` permissions."""
    meta = workflow.model._meta
    _workflows[meta.label] = workflow
    for step in STEPS.values():
        rules.set_perm(f"{meta.app_label}.{step.name}_{meta.model_name}", step.rule)


def permission(model: type[models.Model], step: str) -> str:
    return f"{model._meta.app_label}.{step}_{model._meta.model_name}"


def transition(
    *,
    actor: AbstractBaseUser,
    record: Any,
    step: str,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Any:
    """Take ``step`` on ``record`` for ``actor``, or raise PermissionDenied; return the row.

    ``at`` is for imports of records whose steps were taken in the past (the demo cases,
    published in 2019): the time of the step, given to the record's event and, on a first
    publication, to ``published_at`` (so an appeal's reference carries that date). Left
    out, it is now. The audit trail and ``updated_at`` keep the time of the write itself.
    """
    workflow = _workflows[record._meta.label]
    chosen = STEPS[step]
    with transaction.atomic():
        # Lock the row: two reviewers clicking at once must not both act on the old state.
        locked = workflow.lock(record.pk)
        # rules.has_perm, not actor.has_perm: Django lets a superuser past every check,
        # and no one, a superuser included, may publish a draft that skipped review.
        if not rules.has_perm(permission(workflow.model, step), actor, locked):
            raise PermissionDenied
        if chosen.note_required and not note.strip():
            raise StepRefused(_("Say what needs to change so the editor knows what to fix."))
        from_state = locked.publication_state
        locked.publication_state = chosen.to_state
        locked.updated_by = actor
        if chosen.to_state == State.PUBLISHED and locked.published_at is None:
            locked.published_at = at or timezone.now()
        workflow.before_save(locked, actor=actor, step=chosen)
        locked.save(update_fields=[*STATE_FIELDS, *workflow.extra_fields])
        event = workflow.record_event(
            locked, actor=actor, step=chosen, from_state=from_state, note=note
        )
        if at is not None:
            # An update, not a value given to create: AppealEvent.at is auto_now_add.
            type(event).objects.filter(pk=event.pk).update(at=at)
        if chosen.audit:
            audit_record(
                action=chosen.audit,
                actor=actor,
                request=current_request(),
                obj=locked,
                detail={"from_state": from_state},
            )
        workflow.after_save(locked, actor=actor, step=chosen)
    return locked
