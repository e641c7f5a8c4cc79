"""Every deletion of a record that matters is an audit event, whatever deleted it.

Rows go away through many doors: an inline row removed on a case's form, an addressee
dropped from an appeal, the Django admin, a cascade from a parent. A ``post_delete``
receiver sees them all, inside the deleting transaction. Each app connects its own models
in ``AppConfig.ready()`` (this module imports none of them). The event names the row by
type and id (and its parent's id, which is not content); never what it said.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete

from .models import AuditEvent
from .services import audit_record, current_actor, current_request

# model -> name of the foreign key to the record it belongs to ("incident" for a source).
_PARENTS: dict[type[models.Model], str] = {}


def audit_deletions(*audited: type[models.Model], parent: str = "") -> None:
    """Record an audit event whenever a row of these models is deleted."""
    for model in audited:
        if parent:
            _PARENTS[model] = parent
        post_delete.connect(
            _record_deletion,
            sender=model,
            weak=False,
            dispatch_uid=f"audit-deleted-{model._meta.label_lower}",
        )


def _record_deletion(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    detail: dict[str, Any] = {}
    if parent := _PARENTS.get(sender):
        detail[parent] = getattr(instance, f"{parent}_id", None)
    origin = kwargs.get("origin")
    if isinstance(origin, models.Model) and origin is not instance:
        # Deleted with its parent (a cascade): say which deletion took it along.
        detail["cascade_from"] = f"{origin._meta.label_lower}:{origin.pk}"
    audit_record(
        action=AuditEvent.Action.DELETED,
        actor=current_actor(),
        request=current_request(),
        obj=instance,
        detail=detail,
    )
