"""Staff screens for organizations and perpetrator groups, and the pickers' JSON endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Model, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casefile.access import get_for_staff, staff_required
from casefile.forms import search_term
from casefile.rows import form_values
from casefile.translatable import LANGUAGE_CODES, language_name

from .forms import (
    OrganizationForm,
    OrganizationQuickForm,
    PerpetratorGroupForm,
    TranslationForm,
)
from .models import Organization, PerpetratorGroup
from .services import organization_save, organization_translation_save, perpetrator_group_save

LIST_PAGE_ROWS = 25
SEARCH_RESULTS = 20


def _list_page(
    request: HttpRequest, queryset: QuerySet, template: str, add_permission: str
) -> HttpResponse:
    term = search_term(request.GET)
    rows = queryset.visible_to(request.user).search(term).order_by("name", "pk")
    page = Paginator(rows, LIST_PAGE_ROWS).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "page": page,
            "q": term,
            "query_param": urlencode({"q": term}) if term else "",
            "can_add": request.user.has_perm(add_permission),
        },
    )


# The form pages and pickers serve both kinds of record: one save signature for both.


def _save_organization(
    actor: Any, organization: Organization | None, fields: dict[str, Any]
) -> Organization:
    return organization_save(actor=actor, organization=organization, fields=fields)


def _save_perpetrator_group(
    actor: Any, group: PerpetratorGroup | None, fields: dict[str, Any]
) -> PerpetratorGroup:
    return perpetrator_group_save(actor=actor, group=group, fields=fields)


def _form_page(
    request: HttpRequest,
    *,
    form_class: type[ModelForm],
    instance: Model,
    save: Callable[[Any, Model | None, dict[str, Any]], Model],
    template: str,
    success_url: str,
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = save(request.user, instance if instance.pk else None, form_values(form))
        messages.success(request, _("Saved “%(name)s”.") % {"name": saved})
        return redirect(success_url)
    translation_rows = []
    if instance.pk:
        translated = set(instance.translations.values_list("language", flat=True))
        translation_rows = [
            (code, code in translated)
            for code in LANGUAGE_CODES
            if code != instance.original_language
        ]
    return render(
        request,
        template,
        {
            "form": form,
            "object": instance if instance.pk else None,
            "translation_rows": translation_rows,
        },
    )


@staff_required
def organization_list(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request,
        Organization.objects.annotate(incident_count=Count("incidents")),
        "organizations/staff/organization_list.html",
        "organizations.add_organization",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organizations.add_organization"):
        raise PermissionDenied
    return _form_page(
        request,
        form_class=OrganizationForm,
        instance=Organization(),
        save=_save_organization,
        template="organizations/staff/organization_form.html",
        success_url=reverse("organizations:staff_list"),
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_for_staff(request, Organization.objects, pk=pk)
    if not request.user.has_perm("organizations.change_organization"):
        raise PermissionDenied
    return _form_page(
        request,
        form_class=OrganizationForm,
        instance=organization,
        save=_save_organization,
        template="organizations/staff/organization_form.html",
        success_url=reverse("organizations:staff_list"),
    )


@staff_required
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request,
        PerpetratorGroup.objects.annotate(incident_count=Count("incident_links")),
        "organizations/staff/perpetrator_list.html",
        "organizations.add_perpetratorgroup",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def perpetrator_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organizations.add_perpetratorgroup"):
        raise PermissionDenied
    return _form_page(
        request,
        form_class=PerpetratorGroupForm,
        instance=PerpetratorGroup(),
        save=_save_perpetrator_group,
        template="organizations/staff/perpetrator_form.html",
        success_url=reverse("organizations:perpetrator_staff_list"),
    )


@require_http_methods(["GET", "POST"])
def perpetrator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_for_staff(request, PerpetratorGroup.objects, pk=pk)
    if not request.user.has_perm("organizations.change_perpetratorgroup"):
        raise PermissionDenied
    return _form_page(
        request,
        form_class=PerpetratorGroupForm,
        instance=group,
        save=_save_perpetrator_group,
        template="organizations/staff/perpetrator_form.html",
        success_url=reverse("organizations:perpetrator_staff_list"),
    )


# JSON endpoints for the pickers on the incident form.


def _search(request: HttpRequest, queryset: QuerySet) -> JsonResponse:
    term = search_term(request.GET)
    rows = queryset.visible_to(request.user).search(term).order_by("name", "pk")
    return JsonResponse(
        {"results": [{"id": row.pk, "text": str(row)} for row in rows[:SEARCH_RESULTS]]}
    )


@staff_required
@require_GET
def organization_search(request: HttpRequest) -> JsonResponse:
    return _search(request, Organization.objects.only("pk", "name", "acronym"))


@staff_required
@require_GET
def perpetrator_search(request: HttpRequest) -> JsonResponse:
    return _search(request, PerpetratorGroup.objects.only("pk", "name"))


def _quick_create(
    request: HttpRequest,
    *,
    permission: str,
    form: ModelForm,
    save: Callable[[Any, None, dict[str, Any]], Model],
) -> JsonResponse:
    if not request.user.has_perm(permission):
        return JsonResponse(
            {"errors": {"__all__": [_("You may not add entries here.")]}}, status=403
        )
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    created = save(request.user, None, form_values(form))
    return JsonResponse({"id": created.pk, "text": str(created)}, status=201)


@require_POST
def organization_quick_create(request: HttpRequest) -> JsonResponse:
    return _quick_create(
        request,
        permission="organizations.add_organization",
        form=OrganizationQuickForm(request.POST),
        save=_save_organization,
    )


def _translate_page(
    request: HttpRequest, record: Organization | PerpetratorGroup, language: str, back: str
) -> HttpResponse:
    if language not in LANGUAGE_CODES or language == record.original_language:
        raise Http404
    existing = record.translations.filter(language=language).first()
    initial = {name: getattr(existing, name, "") for name in record.translatable_fields}
    form = TranslationForm(request.POST or None, initial=initial, record=record, language=language)
    if request.method == "POST" and form.is_valid():
        organization_translation_save(
            actor=request.user, record=record, language=language, texts=form.cleaned_data
        )
        messages.success(
            request,
            _("Saved the translation into %(language)s.") % {"language": language_name(language)},
        )
        return redirect(back)
    return render(
        request,
        "organizations/staff/translate.html",
        {
            "record": record,
            "rows": [
                {"field": form[name], "original": getattr(record, name)}
                for name in record.translatable_fields
            ],
            "original_language": record.original_language,
            "language_name": language_name(language),
            "original_language_name": language_name(record.original_language),
            "back": back,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def organization_translate(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    organization = get_for_staff(request, Organization.objects, pk=pk)
    if not request.user.has_perm("organizations.change_organization"):
        raise PermissionDenied
    back = reverse("organizations:edit", kwargs={"pk": pk})
    return _translate_page(request, organization, language, back)


@staff_required
@require_http_methods(["GET", "POST"])
def perpetrator_translate(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    group = get_for_staff(request, PerpetratorGroup.objects, pk=pk)
    if not request.user.has_perm("organizations.change_perpetratorgroup"):
        raise PermissionDenied
    back = reverse("organizations:perpetrator_edit", kwargs={"pk": pk})
    return _translate_page(request, group, language, back)
