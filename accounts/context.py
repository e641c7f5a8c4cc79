"""The request being served, for receivers of model signals that carry none.

A password changed in the admin, an authenticator deleted there or a lockout lifted arrive
as model signals; the audit trail still needs who did it and from where. Outside a request
(a management command, the shell) it is None.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def get_request() -> HttpRequest | None:
    return current_request.get()
