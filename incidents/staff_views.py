"""Staff screens for incidents: the dashboard, a case's full record, its form and workflow.

Reading needs a staff role; what a role may change is decided by the rules in
``incidents.roles`` and enforced again by the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from casefile.access import get_for_staff, staff_required
from casefile.audit.views import Track, history_page, language_tracks
from casefile.forms import error_summary, shown_again, shown_as_typed
from casefile.roles import is_reviewer
from casefile.rows import form_values
from casefile.transition_views import confirm_step, take_step, transition_form
from casefile.translatable import LANGUAGE_CODES, language_name

from .duplicates import possible_duplicates
from .forms import (
    FigureTranslationForm,
    IncidentForm,
    IncidentTranslationForm,
    UpdateTranslationForm,
    incident_formsets,
    incident_rows,
)
from .models import (
    Figure,
    FigureTranslation,
    Incident,
    IncidentPerpetrator,
    IncidentTranslation,
    PublicationEvent,
    Update,
    UpdateTranslation,
)
from .services import (
    incident_save,
    incident_submit,
    incident_translation_save,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from django import forms

DASHBOARD_ROWS = 20
STATE_PAGE_ROWS = 50


def get_incident_for_staff(request: HttpRequest, pk: int) -> Incident:
    return get_for_staff(
        request, Incident.objects.select_related("status", "created_by", "updated_by"), pk=pk
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.visible_to(request.user)
    counts = dict(
        incidents.order_by()
        .values_list("publication_state")
        .annotate(n=Count("pk"))
        .values_list("publication_state", "n")
    )
    only_state = request.GET.get("state")
    if only_state not in Incident.State.values:
        only_state = None
    sections = []
    page = None
    for state, label in Incident.State.choices:
        if only_state and state != only_state:
            continue
        rows = (
            incidents.in_state(state)
            .select_related("status", "updated_by")
            .order_by("-updated_at", "-pk")
        )
        if only_state:
            page = Paginator(rows, STATE_PAGE_ROWS).get_page(request.GET.get("page"))
            rows = page.object_list
        else:
            rows = rows[:DASHBOARD_ROWS]
        sections.append(
            {"state": state, "label": label, "count": counts.get(state, 0), "rows": rows}
        )
    return render(
        request,
        "incidents/staff/dashboard.html",
        {
            "sections": sections,
            "only_state": only_state,
            "page": page,
            "dashboard_rows": DASHBOARD_ROWS,
            "can_add": request.user.has_perm("incidents.add_incident"),
            # The predicate itself: has_perm would ask the model backend too (a query).
            "can_read_audit": is_reviewer(request.user),
        },
    )


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_staff(request, pk)
    user = request.user
    return render(
        request,
        "incidents/staff/detail.html",
        {
            "incident": incident,
            "organizations": incident.organizations.all(),
            "violation_types": incident.violation_types.all(),
            "perpetrator_links": IncidentPerpetrator.objects.filter(
                incident=incident
            ).select_related("perpetrator_group"),
            "sources": incident.sources.all(),
            "figures": Figure.objects.filter(incident=incident).select_related("source"),
            "updates": Update.objects.filter(incident=incident).select_related("status"),
            "events": PublicationEvent.objects.filter(incident=incident).select_related("actor"),
            "translation_rows": _translation_rows(incident),
            "can_edit": rules.has_perm("incidents.change_incident", user, incident),
            "can_submit": rules.has_perm("incidents.submit_incident", user, incident),
            "can_publish": rules.has_perm("incidents.publish_incident", user, incident),
            "can_send_back": rules.has_perm("incidents.send_back_incident", user, incident),
            "can_withdraw": rules.has_perm("incidents.withdraw_incident", user, incident),
            "send_back_form": transition_form("send-back"),
            "withdraw_form": transition_form("withdraw"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("incidents.add_incident"):
        raise PermissionDenied
    return _incident_form_page(request, Incident())


@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_staff(request, pk)
    if not rules.has_perm("incidents.change_incident", request.user, incident):
        raise PermissionDenied
    return _incident_form_page(request, incident)


def _incident_form_page(request: HttpRequest, incident: Incident) -> HttpResponse:
    is_new = incident.pk is None
    duplicates: list[Incident] = []
    data = request.POST if request.method == "POST" else None
    # "Add another" or a picker's "Search" without JavaScript: the page again, unsaved.
    shown = shown_again(data, ROW_NAMES)
    data = shown or data
    form = IncidentForm(data, instance=incident, user=request.user)
    formsets = incident_formsets(data=data, instance=incident, user=request.user)
    # Submitting is offered with the save only while the case is a draft.
    may_submit = is_new or rules.has_perm("incidents.submit_incident", request.user, incident)
    if shown:
        shown_as_typed(form, *formsets.values())
    elif data is not None:
        # Validate everything (no short-circuit) so every error shows at once.
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        # A new case is checked against cases that may be the same event once; the editor
        # who has seen the list may go on (the page posts duplicates_seen back).
        if all(valid) and is_new and not request.POST.get("duplicates_seen"):
            duplicates = possible_duplicates(
                user=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data.get("summary", ""),
                country=form.cleaned_data["country"],
                occurred_on=form.cleaned_data["occurred_on"],
            )
            valid.append(not duplicates)
        if all(valid):
            submit = may_submit and request.POST.get("save") == "submit"
            with transaction.atomic():
                incident = incident_save(
                    actor=request.user,
                    incident=None if is_new else incident,
                    fields=form_values(form),
                    rows=incident_rows(formsets),
                )
                if submit:
                    incident = incident_submit(actor=request.user, incident=incident)
            if submit:
                messages.success(request, _("Saved and submitted for review."))
            else:
                messages.success(request, _("Saved."))
            return redirect(incident.get_staff_url())
    return render(
        request,
        "incidents/staff/form.html",
        {
            "incident": None if is_new else incident,
            "form": form,
            **formsets,
            "error_summary": error_summary(
                form,
                formsets=[(formset, _row_name(name)) for name, formset in formsets.items()],
            )
            if data is not None and shown is None
            else [],
            "may_submit": may_submit,
            "duplicates": duplicates,
        },
    )


def _row_texts(form: forms.ModelForm) -> dict[str, Any] | None:
    """A translation row's values, or None when it was left empty (no translation)."""
    return None if form.is_empty else form_values(form)


def _row_name(formset_name: str) -> Callable[[int], str]:
    return lambda number: f"{ROW_NAMES[formset_name]} {number}"


ROW_NAMES = {
    "perpetrator_links": gettext_lazy("Perpetrator"),
    "sources": gettext_lazy("Source"),
    "figures": gettext_lazy("Figure"),
    "updates": gettext_lazy("Update"),
}


# What the staff read after each step of the workflow (casefile.workflow, where the steps
# and their rules are); the URL writes send_back as send-back.
DONE_MESSAGES = {
    "submit": gettext_lazy("Submitted for review."),
    "publish": gettext_lazy("Published. The case is now public."),
    "send-back": gettext_lazy("Sent back to the editors as a draft."),
    "withdraw": gettext_lazy("Withdrawn from the public site."),
}


@require_http_methods(["GET", "POST"])
def incident_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST takes the step; GET is the page that asks before publishing or withdrawing."""
    if action not in DONE_MESSAGES:
        raise Http404
    incident = get_incident_for_staff(request, pk)
    if request.method == "GET":
        return confirm_step(
            request,
            incident,
            action=action,
            title=incident.title,
            back_url=incident.get_staff_url(),
        )
    return take_step(
        request,
        incident,
        action=action,
        done_message=DONE_MESSAGES[action],
        back_url=incident.get_staff_url(),
    )


@require_safe
def incident_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Each saved version of the case and of its translations, with what changed."""
    incident = get_incident_for_staff(request, pk)
    tracks = [Track("case", _("The case"), Incident.history.filter(id=incident.pk))]
    tracks += language_tracks(
        IncidentTranslation.history.filter(incident_id=incident.pk),
        key="translation",
        label=gettext_lazy("Translation: %(language)s"),
    )
    return history_page(
        request,
        title=incident.title,
        back_url=incident.get_staff_url(),
        back_label=incident.title,
        tracks=tracks,
    )


def _translation_rows(incident: Incident) -> list[dict[str, Any]]:
    translations = {t.language: t for t in incident.translations.all()}
    return [
        {"code": code, "translation": translations.get(code)}
        for code in LANGUAGE_CODES
        if code != incident.original_language
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def incident_translate(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The incident's texts and its updates' in ``language``, beside the original."""
    incident = get_incident_for_staff(request, pk)
    if language not in LANGUAGE_CODES or language == incident.original_language:
        raise Http404
    if not rules.has_perm("incidents.change_incident", request.user, incident):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    translation = incident.translations.filter(language=language).first()
    form = IncidentTranslationForm(
        data,
        instance=translation or IncidentTranslation(incident=incident, language=language),
        language=language,
    )
    updates = list(
        incident.updates.prefetch_related(
            Prefetch("translations", UpdateTranslation.objects.filter(language=language))
        ).order_by("date", "pk")
    )
    update_rows = []
    for update in updates:
        existing = next(iter(update.translations.all()), None)
        update_form = UpdateTranslationForm(
            data,
            instance=existing or UpdateTranslation(update=update, language=language),
            language=language,
            prefix=f"update-{update.pk}",
        )
        originals = {"title": update.title, "body": update.body}
        update_rows.append(
            {
                "update": update,
                "form": update_form,
                "fields": [{"field": f, "original": originals[f.name]} for f in update_form],
            }
        )
    figure_rows = []
    figures = incident.figures.exclude(label="").prefetch_related(
        Prefetch("translations", FigureTranslation.objects.filter(language=language))
    )
    for figure in figures.order_by("counted", "pk"):
        existing = next(iter(figure.translations.all()), None)
        figure_rows.append(
            {
                "figure": figure,
                "heading": f"{figure.value_display} · {figure.get_counted_display()}",
                "form": FigureTranslationForm(
                    data,
                    instance=existing or FigureTranslation(figure=figure, language=language),
                    language=language,
                    prefix=f"figure-{figure.pk}",
                ),
            }
        )
    if data is not None:
        rows = update_rows + figure_rows
        valid = [form.is_valid()] + [row["form"].is_valid() for row in rows]
        if all(valid):
            incident_translation_save(
                actor=request.user,
                incident=incident,
                language=language,
                texts=form_values(form),
                update_texts={row["update"].pk: _row_texts(row["form"]) for row in update_rows},
                figure_labels={row["figure"].pk: _row_texts(row["form"]) for row in figure_rows},
            )
            messages.success(
                request,
                _("Saved the translation into %(language)s.")
                % {"language": language_name(language)},
            )
            return redirect(incident.get_staff_url())
    return render(
        request,
        "incidents/staff/translate.html",
        {
            "incident": incident,
            "form": form,
            "is_new": translation is None,
            "language": language,
            "language_name": language_name(language),
            "original_language_name": language_name(incident.original_language),
            "text_rows": [
                {"field": form[name], "original": getattr(incident, name)} for name in form.fields
            ],
            "update_rows": update_rows,
            "figure_rows": figure_rows,
            "has_errors": data is not None,  # a POST that got here did not validate
        },
    )
