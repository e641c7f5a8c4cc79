"""Every API error in one shape, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as ``{"detail": message}``, plus ``errors`` by field when invalid."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": str(_("Invalid input: see errors.")), "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, except that an unknown ``?format=`` is a 400 naming the formats, not a 404.

    The URL exists; only a parameter is wrong, and every endpoint documents its 400s.
    """

    def filter_renderers(self, renderers, format):
        try:
            return super().filter_renderers(renderers, format)
        except Http404:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            message = _("Unknown format; use one of: %(formats)s.") % {"formats": known}
            raise exceptions.ValidationError({"format": [message]}) from None


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Anything under /api/ that no endpoint answers: JSON, like every other API error."""
    return JsonResponse({"detail": str(_("Not found."))}, status=404)
