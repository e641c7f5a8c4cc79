"""The OpenAPI schema tells every answer an operation can give, errors included.

drf-spectacular documents the successful answers from the views; this hook adds what every
endpoint shares and the views do not declare: the ``lang`` parameter (read by
``casefile.api.language`` on every path) and the error answers, all with the one body
``casefile.api.responses.exception_handler`` writes. ``tests/api/test_schemathesis.py`` holds the
schema to it: any answer it does not describe fails the suite.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS

from casefile.translatable import LANGUAGE_CODES

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the reader's language."},
        "errors": {
            "type": "object",
            "description": "Only on a 400: the messages for each parameter or field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "additionalProperties": False,
}
ERRORS = {
    "400": "Invalid parameters or body: `errors` says which, with messages.",
    "401": "Credentials missing (for a write) or wrong (a bad or expired token).",
    "403": "Your role may not do this, or a session request lacks its CSRF token.",
    "404": "No such record, or one you may not see.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait for the time in Retry-After.",
}
LANG_PARAMETER = {
    "in": "query",
    "name": "lang",
    "required": False,
    "allowEmptyValue": True,
    "description": (
        "The language of the texts (else Accept-Language; empty: the same). A text not yet "
        "translated comes in its original language and is listed in untranslated_fields."
    ),
    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
}


def _views(generator) -> dict[tuple[str, str], Any]:
    """The view class answering each (path, method), as the generator found them."""
    views = {}
    for path, _regex, method, callback in generator.endpoints or ():
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def _error_statuses(operation: dict[str, Any], method: str, view: Any) -> list[str]:
    statuses = ["400", "401"]  # every path reads ?lang= and every request may carry a token
    if method.upper() not in SAFE_METHODS:
        statuses.append("403")
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
        statuses.append("404")
    if "requestBody" in operation:
        statuses.append("415")
    if view is not None and getattr(view, "throttle_classes", None):
        statuses.append("429")
    return statuses


def document_errors(result: dict[str, Any], generator, **kwargs) -> dict[str, Any]:
    """Add ``lang`` and the error answers (with their JSON body) to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    views = _views(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == "lang" and p.get("in") == "query" for p in parameters):
                parameters.append(dict(LANG_PARAMETER))
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(operation, method, views.get((path, method))):
                described = responses.get(status, {}).get("description")
                responses[status] = {"description": described or ERRORS[status], "content": error}
    return result
