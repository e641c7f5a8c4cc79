"""The admin for records that only their services may write.

A case or an appeal saved in the admin would skip what its services do on every write:
search vectors, facet counts and statistics, public files, the workflow's events and the
audit trail. The admin shows such records and their history; it adds, changes, reverts
and deletes nothing. Deleting goes through ``delete_record``, which the app points at its service.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest


class ShownNotWritten:
    """Mix into a ModelAdmin or an inline: view only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A delete here would skip the services too (an organization deleted would leave
        # published cases without a word in their history).
        return False


class DeletedThroughService(ShownNotWritten):
    """View only, and each deletion (one or a selection) goes through ``delete_record``."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The model permission, as Django checks it: this deletion goes through the service.
        return super(ShownNotWritten, self).has_delete_permission(request, obj)

    def delete_record(self, request: HttpRequest, obj: Model) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.delete_record(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_record(request, obj)
