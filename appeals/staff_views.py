"""Staff screens for urgent appeals: writing, translating, the workflow, PDFs.

Reading needs a staff role; what a role may change is decided by the rules in
``appeals.roles`` and enforced again by the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casefile.access import get_for_staff
from casefile.audit.views import Track, history_page, language_tracks
from casefile.forms import error_summary, shown_again, shown_as_typed
from casefile.queue import unsent_tasks
from casefile.rows import form_values, rows_from_formset
from casefile.transition_views import confirm_step, step_name, take_step, transition_form
from casefile.translatable import LANGUAGE_CODES, language_name, text_direction
from casefile.workflow import StepRefused
from incidents.models import Incident

from .checks import publication_gaps
from .forms import (
    ADDRESSEE_PREFIX,
    PREFILLED_FIELDS,
    TEXT_FIELDS,
    AppealForm,
    AppealTextForm,
    addressee_formset,
    sections_to_write,
    text_initial_from_incident,
)
from .models import Appeal, AppealText, AppealVersion, RenderJob
from .rendering import AppealNotRenderable, printable_appeal
from .services import (
    appeal_request_render,
    appeal_save,
    appeal_text_save,
)

if TYPE_CHECKING:
    pass


def get_appeal_for_staff(request: HttpRequest, pk: int, *, is_read: bool = True) -> Appeal:
    """The appeal, if this user may see it; reading an unpublished one is audited.

    ``is_read=False`` for requests that show none of its words (the render status poll).
    """
    appeal = Appeal.objects.select_related(
        "incident__status", "follows", "created_by", "updated_by"
    )
    return get_for_staff(request, appeal, is_read=is_read, pk=pk)


def _text_or_404(appeal: Appeal, language: str) -> AppealText:
    if language not in LANGUAGE_CODES:
        raise Http404
    return get_object_or_404(AppealText, appeal=appeal, language=language)


# Writing an appeal.


@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, incident_pk: int) -> HttpResponse:
    incident = get_for_staff(request, Incident.objects.select_related("status"), pk=incident_pk)
    if not request.user.has_perm("appeals.add_appeal"):
        raise PermissionDenied
    appeal = Appeal(incident=incident)
    data = request.POST if request.method == "POST" else None
    # "Add another" or a picker's "Search" without JavaScript: the page again, unsaved.
    shown = shown_again(data, [ADDRESSEE_PREFIX])
    data = shown or data
    language = _text_language(request)
    form = AppealForm(
        data,
        instance=appeal,
        incident=incident,
        initial={**_appeal_initial(request, incident), "original_language": language},
    )
    # The text starts from the incident's words in the language it will be written in.
    text_initial = text_initial_from_incident(incident, language=language)
    text_form = AppealTextForm(
        data,
        instance=AppealText(),
        initial=text_initial,
        language=language,
        to_write=sections_to_write(text_initial),
    )
    addressees = addressee_formset(data=data, instance=appeal)
    if shown:
        shown_as_typed(form, text_form, addressees)
    elif data is not None:
        # Validate everything (no short-circuit) so every error shows at once.
        valid = [form.is_valid(), text_form.is_valid(), addressees.is_valid()]
        if all(valid):
            appeal = appeal_save(
                actor=request.user,
                incident=incident,
                fields=form_values(form),
                text=form_values(text_form),
                addressees=rows_from_formset(addressees),
            )
            messages.success(request, _("Appeal saved as a draft."))
            return redirect(appeal.get_absolute_url())
    return render(
        request,
        "appeals/staff/appeal_form.html",
        {
            "incident": incident,
            "appeal": None,
            "form": form,
            "text_form": text_form,
            "addressees": addressees,
            "text_language_name": language_name(language),
            "other_text_languages": [
                {"code": code, "name": language_name(code)}
                for code in LANGUAGE_CODES
                if code != language
            ],
            "follows": request.GET.get("follows", ""),
            "error_summary": error_summary(form, text_form, formsets=[(addressees, _addressee_row)])
            if data is not None and shown is None
            else [],
        },
    )


def _text_language(request: HttpRequest) -> str:
    """The language a new appeal's text is written in: the one posted, else the one asked
    for (``?language=``), else the interface's."""
    for asked in (request.POST.get("original_language"), request.GET.get("language")):
        if asked in LANGUAGE_CODES:
            return asked
    language = get_language()
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _appeal_initial(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    # Once an incident has an urgent appeal, the next one is usually an update to it.
    originals = Appeal.objects.filter(incident=incident, follows__isnull=True)
    wanted = request.GET.get("follows", "")
    original = (
        originals.filter(pk=wanted).first()
        if wanted.isdigit()
        else originals.order_by("-created_at", "-pk").first()
    )
    if original is not None:
        initial.update(kind=Appeal.Kind.NEW_INFORMATION, follows=original.pk)
    return initial


@require_http_methods(["GET", "POST"])
def appeal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_staff(request, pk)
    if not rules.has_perm("appeals.change_appeal", request.user, appeal):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    shown = shown_again(data, [ADDRESSEE_PREFIX])
    data = shown or data
    form = AppealForm(data, instance=appeal, incident=appeal.incident)
    addressees = addressee_formset(data=data, instance=appeal)
    if shown:
        shown_as_typed(form, addressees)
    elif data is not None:
        valid = [form.is_valid(), addressees.is_valid()]
        if all(valid):
            appeal_save(
                actor=request.user,
                appeal=appeal,
                fields=form_values(form),
                addressees=rows_from_formset(addressees),
            )
            messages.success(request, _("Saved."))
            return redirect(appeal.get_absolute_url())
    return render(
        request,
        "appeals/staff/appeal_form.html",
        {
            "incident": appeal.incident,
            "appeal": appeal,
            "form": form,
            "text_form": None,
            "addressees": addressees,
            "error_summary": error_summary(form, formsets=[(addressees, _addressee_row)])
            if data is not None and shown is None
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def appeal_text_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    appeal = get_appeal_for_staff(request, pk)
    if language not in LANGUAGE_CODES:
        raise Http404
    if not rules.has_perm("appeals.change_appeal", request.user, appeal):
        raise PermissionDenied
    texts = {text.language: text for text in appeal.texts.all()}
    text = texts.get(language)
    original = texts.get(appeal.original_language) if language != appeal.original_language else None
    initial: dict[str, Any] = {}
    to_write: list[str] = []
    if text is None:
        # A new text starts from the incident's words in its language, never from another
        # language's: the original stays beside each field to translate from.
        initial = text_initial_from_incident(appeal.incident, language=language)
        # Empty here: a section the incident fills in elsewhere, or one the original has.
        to_write = [
            name
            for name in TEXT_FIELDS
            if not initial.get(name) and (name in PREFILLED_FIELDS or getattr(original, name, ""))
        ]
    data = request.POST if request.method == "POST" else None
    form = AppealTextForm(
        data,
        instance=text or AppealText(appeal=appeal, language=language),
        initial=initial,
        language=language,
        to_write=to_write,
    )
    if data is not None and form.is_valid():
        appeal_text_save(
            actor=request.user, appeal=appeal, language=language, fields=form_values(form)
        )
        messages.success(
            request, _("Saved the text in %(language)s.") % {"language": language_name(language)}
        )
        return redirect(appeal.get_absolute_url())
    original_sections = []
    if original is not None:
        original_sections = [
            {"label": form[name].label, "value": getattr(original, name)} for name in TEXT_FIELDS
        ]
    return render(
        request,
        "appeals/staff/text_form.html",
        {
            "appeal": appeal,
            "incident": appeal.incident,
            "form": form,
            "language": language,
            "language_name": language_name(language),
            "is_new": text is None,
            "original": original,
            "original_language_name": language_name(appeal.original_language),
            "original_direction": text_direction(appeal.original_language),
            "rows": [
                {"field": form[name], "original": section}
                for name, section in zip(
                    TEXT_FIELDS,
                    original_sections or [None] * len(TEXT_FIELDS),
                    strict=True,
                )
            ],
            "error_summary": error_summary(form) if data is not None else [],
        },
    )


def _addressee_row(number: int) -> str:
    return _("Addressee %(number)s") % {"number": number}


# One appeal: its record, workflow and PDFs.


def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_staff(request, pk)
    user = request.user
    texts = {text.language: text for text in appeal.texts.all()}
    jobs = _latest_jobs(appeal)
    versions: dict[str, list[AppealVersion]] = {}
    for version in AppealVersion.objects.ready().filter(appeal=appeal).order_by("-number"):
        versions.setdefault(version.language, []).append(version)
    # The getter loaded the incident: the same rule as published(), with no query.
    is_public = appeal.is_published
    language_rows = [
        {
            "code": code,
            "name": language_name(code),
            "direction": text_direction(code),
            "text": texts[code],
            "is_original": code == appeal.original_language,
            "job": jobs.get(code),
            "versions": versions.get(code, []),
        }
        for code in LANGUAGE_CODES
        if code in texts
    ]
    # The original first: translations are read against it.
    language_rows.sort(key=lambda row: not row["is_original"])
    events = appeal.events.select_related("actor")
    can_publish = rules.has_perm("appeals.publish_appeal", user, appeal)
    # A follow-up's reference extends its original's, so the original goes out first.
    waits_for_original = appeal.follows is not None and not appeal.follows.reference
    # What the workflow would refuse publication for, shown before the reviewer clicks.
    may_publish_later = appeal.publication_state != Appeal.State.PUBLISHED
    gaps = publication_gaps(appeal, texts=texts.values()) if may_publish_later else None
    return render(
        request,
        "appeals/staff/detail.html",
        {
            "appeal": appeal,
            "incident": appeal.incident,
            # Not "languages": base.html's language menu sets that name.
            "language_rows": language_rows,
            "missing_languages": [
                {"code": code, "name": language_name(code)}
                for code in LANGUAGE_CODES
                if code not in texts
            ],
            "addressee_links": appeal.addressee_links.select_related("addressee"),
            "follow_ups": appeal.follow_ups.order_by("created_at", "pk"),
            "events": events,
            "is_public": is_public,
            "any_job_active": any(job.state in RenderJob.ACTIVE_STATES for job in jobs.values()),
            "can_edit": rules.has_perm("appeals.change_appeal", user, appeal),
            "can_render": rules.has_perm("appeals.render_appeal", user, appeal),
            "can_add": user.has_perm("appeals.add_appeal"),
            "can_submit": rules.has_perm("appeals.submit_appeal", user, appeal),
            "can_publish": can_publish and not waits_for_original,
            "publication_gaps": gaps,
            "waits_for_original": can_publish and waits_for_original,
            "can_send_back": rules.has_perm("appeals.send_back_appeal", user, appeal),
            "can_withdraw": rules.has_perm("appeals.withdraw_appeal", user, appeal),
            # Keyed for the template, which cannot look up "send-back".
            "transition_forms": {
                step_name(action): transition_form(action) for action in DONE_MESSAGES
            },
        },
    )


def _latest_jobs(appeal: Appeal) -> dict[str, RenderJob]:
    latest: dict[str, RenderJob] = {}
    for job in RenderJob.objects.filter(appeal=appeal).select_related("version"):
        # Ordered newest first (the model's ordering): keep the first seen per language.
        latest.setdefault(job.language, job)
    return latest


# The job is saved and stays queued; the sweeper sends it once the broker answers again.
QUEUE_DOWN = gettext_lazy(
    "The task queue cannot be reached just now: the PDF will be rendered when it is back."
)

# What the staff read after each step of the workflow (casefile.workflow, where the steps
# and their rules are); the URL writes send_back as send-back.
DONE_MESSAGES = {
    "submit": gettext_lazy("Submitted for review."),
    "publish": gettext_lazy(
        "Published. The appeal has its reference; its PDFs are being made again."
    ),
    "send-back": gettext_lazy("Sent back to the editors as a draft."),
    "withdraw": gettext_lazy("Withdrawn from the public site."),
}


@require_http_methods(["GET", "POST"])
def appeal_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST takes the step; GET is the page that asks before publishing or withdrawing."""
    if action not in DONE_MESSAGES:
        raise Http404
    appeal = get_appeal_for_staff(request, pk)
    if request.method == "GET":
        return confirm_step(
            request,
            appeal,
            action=action,
            title=appeal.reference or str(appeal),
            back_url=appeal.get_absolute_url(),
        )
    return take_step(
        request,
        appeal,
        action=action,
        done_message=DONE_MESSAGES[action],
        back_url=appeal.get_absolute_url(),
        queue_down_message=QUEUE_DOWN,
    )


@require_POST
def appeal_render(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    appeal = get_appeal_for_staff(request, pk)
    _text_or_404(appeal, language)
    # The service checks the role rule and raises PermissionDenied.
    try:
        with unsent_tasks() as unsent:
            appeal_request_render(actor=request.user, appeal=appeal, language=language)
    except StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(f"{appeal.get_absolute_url()}#renders")
    messages.success(
        request, _("PDF queued (%(language)s).") % {"language": language_name(language)}
    )
    if unsent:
        messages.warning(request, QUEUE_DOWN)
    return redirect(f"{appeal.get_absolute_url()}#renders")


@require_GET
def render_status(request: HttpRequest, pk: int) -> JsonResponse:
    appeal = get_appeal_for_staff(request, pk, is_read=False)
    jobs = _latest_jobs(appeal)
    response = JsonResponse(
        {
            "jobs": [
                {
                    "language": language,
                    "state": job.state,
                    "state_label": str(job.get_state_display()),
                    "error": job.error,
                    "attempts": job.attempts,
                    "version_number": job.version.number if job.version else None,
                }
                for language, job in sorted(jobs.items())
            ]
        }
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def appeal_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    appeal = get_appeal_for_staff(request, pk)
    _text_or_404(appeal, language)
    try:
        printable = printable_appeal(appeal, language, for_screen=True)
    except AppealNotRenderable as error:
        messages.error(request, str(error))
        return redirect(appeal.get_absolute_url())
    response = HttpResponse(printable.html, content_type="text/html; charset=utf-8")
    # Unpublished words: never kept by a shared cache, never indexed.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def appeal_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Each saved version of the appeal and of its texts, with what changed."""
    appeal = get_appeal_for_staff(request, pk)
    tracks = [Track("appeal", _("The appeal"), Appeal.history.filter(id=appeal.pk))]
    tracks += language_tracks(
        AppealText.history.filter(appeal_id=appeal.pk),
        key="text",
        label=gettext_lazy("Text: %(language)s"),
    )
    name = appeal.reference or _("Draft appeal")
    return history_page(
        request, title=name, back_url=appeal.get_absolute_url(), back_label=name, tracks=tracks
    )
