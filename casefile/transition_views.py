"""A staff click on a step of the workflow (submit, publish, send back, withdraw), for any
record plugged into ``casefile.workflow``: cases and appeals share this view body, so the
order of checks (role, then note, then the record's own readiness) is the same for both."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from casefile import workflow
from casefile.forms import TransitionForm
from casefile.queue import unsent_tasks


def step_name(action: str) -> str:
    """URLs and form prefixes write ``send-back``; the workflow's table says ``send_back``."""
    return action.replace("-", "_")


def transition_form(action: str, data: Any = None) -> TransitionForm:
    step = workflow.STEPS[step_name(action)]
    return TransitionForm(data, prefix=action, note_required=step.note_required)


def take_step(
    request: HttpRequest,
    record: Any,
    *,
    action: str,
    done_message: str,
    back_url: str,
    queue_down_message: str | None = None,
) -> HttpResponse:
    """Take ``action`` on ``record`` for the signed-in user and go back to ``back_url`` with
    a message; ``queue_down_message`` is shown when a task the step queues was not sent."""
    step = step_name(action)
    # Checked before the note so an unauthorised user gets a 403, not a form error.
    if not rules.has_perm(workflow.permission(type(record), step), request.user, record):
        raise PermissionDenied
    form = transition_form(action, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_url)
    try:
        # The transition checks the role rule again under a row lock (PermissionDenied).
        with unsent_tasks() as unsent:
            workflow.transition(
                actor=request.user, record=record, step=step, note=form.cleaned_data["note"]
            )
    except workflow.StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back_url)
    messages.success(request, done_message)
    if unsent and queue_down_message:
        messages.warning(request, queue_down_message)
    return redirect(back_url)


def confirm_step(
    request: HttpRequest, record: Any, *, action: str, title: str, back_url: str
) -> HttpResponse:
    """The page that asks before a step that changes the public site (publish, withdraw):
    what the staff reach without JavaScript; with it, the same form opens in a dialog."""
    step = workflow.STEPS.get(step_name(action))
    if step is None or not step.changes_the_public:
        raise Http404
    if not rules.has_perm(workflow.permission(type(record), step.name), request.user, record):
        raise PermissionDenied
    return render(
        request,
        "casefile/staff/confirm_step.html",
        {
            "step": step.name,
            "title": title,
            "form": transition_form(action),
            "action_url": request.path,
            "back_url": back_url,
        },
    )
