"""The doors of the staff screens: who gets in, and how one object is fetched.

Every staff page about one object fetches it through ``get_for_staff``: what the user may
not see is a 404, never a 403, so its existence does not leak; and reading an unpublished
record's words is on the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from casefile.audit.services import audit_unpublished_read

STAFF_AREA = "casefile.view_staff_area"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only staff roles in. For pages about one object, use ``get_for_staff``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(STAFF_AREA):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_for_staff(
    request: HttpRequest, queryset: QuerySet, *, is_read: bool = True, **lookup: Any
) -> Model:
    """The object of ``queryset.visible_to(user)`` matching ``lookup``, or a 404.

    A record with a publication state (``is_published``) that is not public yet is a
    confidential read: it goes on the audit trail, unless ``is_read=False`` says the page
    shows none of its words (a status poll).
    """
    if not request.user.has_perm(STAFF_AREA):
        raise Http404
    found = get_object_or_404(queryset.visible_to(request.user), **lookup)
    if is_read and getattr(found, "is_published", True) is False:
        audit_unpublished_read(request=request, obj=found)
    return found
