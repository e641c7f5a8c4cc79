"""Who reads and who writes a case through the API."""

import rules
from rest_framework.permissions import SAFE_METHODS, BasePermission


class IncidentPermission(BasePermission):
    """Anyone reads (what they may see); editors and reviewers write by the role rules."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if view.action == "create":
            return request.user.has_perm("incidents.add_incident")
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.has_perm("incidents.change_incident", request.user, obj)
