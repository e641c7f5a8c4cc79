"""Recording audit events. Every caller goes through ``audit_record``."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.http import HttpRequest

from casefile.client_address import client_address

from .models import AuditEvent

log = logging.getLogger("casefile.audit")

# Detail values are meant to be small facts, never bodies: anything longer is cut.
MAX_DETAIL_TEXT = 500


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event. ``request`` gives the client address (and the actor if not given)."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        client_address=client_address(request) if request is not None else None,
        detail={key: _small(value) for key, value in (detail or {}).items()},
    )
    log.info(
        "audit %s by %s on %s %s from %s",
        action,
        event.actor_username or "-",
        event.object_type or "-",
        event.object_id or "-",
        event.client_address or "-",
    )
    return event


def audit_unpublished_read(*, request: HttpRequest, obj: models.Model) -> AuditEvent | None:
    """Record that a staff member was shown an unpublished record (page, form, API, PDF).

    Only reads count: a POST that changes the record is recorded by its service, and its
    redirect back to the page is a read of its own.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    match = getattr(request, "resolver_match", None)
    return audit_record(
        action=AuditEvent.Action.READ_UNPUBLISHED,
        request=request,
        obj=obj,
        detail={"view": match.view_name if match else ""},
    )


def current_request() -> HttpRequest | None:
    """The request this thread is serving, for writes made deep inside a service.

    simple_history's middleware (installed for the history's "who") keeps it; outside a
    request (a shell, a task) there is none and the event has no client address.
    """
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def current_actor():
    """The logged-in user of the current request, or None."""
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _small(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_TEXT]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)[:MAX_DETAIL_TEXT]
