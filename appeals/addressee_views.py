"""The addressee book: the ministers, prosecutors and embassies appeals are sent to.

Every staff role reads it and picks from it; editors and reviewers add and correct entries.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casefile.access import staff_required
from casefile.forms import search_term
from casefile.rows import form_values

from .forms import AddresseeForm
from .models import Addressee
from .services import addressee_save

LIST_PAGE_ROWS = 25
SEARCH_RESULTS = 20


def _addressee_rows(term: str):
    return Addressee.objects.search(term).order_by("name", "pk")


@staff_required
@require_GET
def addressee_list(request: HttpRequest) -> HttpResponse:
    term = search_term(request.GET)
    page = Paginator(_addressee_rows(term), LIST_PAGE_ROWS).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/staff/addressee_list.html",
        {
            "page": page,
            "q": term,
            "query_param": urlencode({"q": term}) if term else "",
            "can_change": request.user.has_perm("appeals.change_addressee"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def addressee_create(request: HttpRequest) -> HttpResponse:
    return _addressee_form_page(request, Addressee())


@staff_required
@require_http_methods(["GET", "POST"])
def addressee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _addressee_form_page(request, get_object_or_404(Addressee, pk=pk))


def _addressee_form_page(request: HttpRequest, addressee: Addressee) -> HttpResponse:
    if not request.user.has_perm("appeals.change_addressee"):
        raise PermissionDenied
    form = AddresseeForm(request.POST or None, instance=addressee)
    if request.method == "POST" and form.is_valid():
        saved = addressee_save(
            actor=request.user,
            addressee=addressee if addressee.pk else None,
            fields=form_values(form),
        )
        messages.success(request, _("Saved “%(name)s”.") % {"name": saved})
        return redirect("appeals:addressee_list")
    return render(
        request,
        "appeals/staff/addressee_form.html",
        {"form": form, "object": addressee if addressee.pk else None},
    )


@staff_required
@require_GET
def addressee_search(request: HttpRequest) -> JsonResponse:
    """The addressee picker's options, shaped like ``organizations:search``."""
    term = search_term(request.GET)
    rows = _addressee_rows(term)[:SEARCH_RESULTS]
    # "id" is what static/js/staff.js reads; "value" is Tom Select's own default name.
    return JsonResponse(
        {"results": [{"id": row.pk, "value": row.pk, "text": str(row)} for row in rows]}
    )
