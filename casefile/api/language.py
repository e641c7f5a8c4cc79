"""The API answers in the language a client asks for: ``?lang=ru``, else Accept-Language.

Django's LocaleMiddleware already reads Accept-Language (and the language cookie) for
addresses without a language prefix, such as /api/; this middleware, placed after it,
lets ``?lang=`` override both, and refuses a language Casefile does not offer with a
JSON 400. The answer's Content-Language header names the language used.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from casefile.translatable import LANGUAGE_CODES

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=LANGUAGE_CODES,
    description=(
        "The language of the texts (else the Accept-Language header). A text not yet "
        "translated comes in its original language and is listed in untranslated_fields."
    ),
)


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.GET.get("lang"):
            language = request.GET["lang"]
            if language not in LANGUAGE_CODES:
                message = _("Unknown language: choose one of %(codes)s.") % {
                    "codes": ", ".join(LANGUAGE_CODES)
                }
                return JsonResponse({"detail": message, "errors": {"lang": [message]}}, status=400)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
