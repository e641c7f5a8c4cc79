"""Which records have a staff page, so the audit trail links its events to them.

The audit trail is on the ground floor and names no app: each app registers its own pages
in ``AppConfig.ready()``. A record with no registered page is listed without a link.
"""

from __future__ import annotations

from django.db import models

# "app_label.model" (an event's object_type) -> URL name, reversed with the record's id.
object_pages: dict[str, str] = {}


def register_object_page(model: type[models.Model], url_name: str) -> None:
    """Link the audit events about rows of ``model`` to ``reverse(url_name, args=[id])``."""
    object_pages[model._meta.label_lower] = url_name
