"""Staff roles, and the rules every app shares.

Roles are Django groups, created after every ``migrate`` (``casefile.apps.create_staff_roles``).
Who may *see* a list is a queryset method (``visible_to``); the predicates below answer the
per-object questions through django-rules. Each app registers its own permissions with
them (``<app>/roles.py``); the workflow steps register theirs in ``casefile.workflow``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

EDITOR = "editor"
REVIEWER = "reviewer"
RESEARCHER = "researcher"
STAFF_ROLES = (EDITOR, REVIEWER, RESEARCHER)


def role_names(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The user's group names; asked once per request, then read from the user object.

    The token authentication fills the same attribute from its own query
    (``accounts.api_auth``), so an API request asks no more.
    """
    if not hasattr(user, "_casefile_roles"):
        user._casefile_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._casefile_roles


def _has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role in role_names(user)


@rules.predicate
def is_editor(user) -> bool:
    return _has_role(user, EDITOR)


@rules.predicate
def is_reviewer(user) -> bool:
    return _has_role(user, REVIEWER)


@rules.predicate
def is_staff_member(user) -> bool:
    return any(_has_role(user, role) for role in STAFF_ROLES)


def can_read_unpublished(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_staff_member(user)


# The staff screens, whatever the app: any role.
rules.add_perm("casefile.view_staff_area", is_staff_member)
# The audit trail (casefile.audit.views): reviewers vouch for what is public and oversee
# the staff.
rules.add_perm("audit.view_trail", is_reviewer)
