"""Staff roles and what each may do.

Roles are Django groups created by a migration. Who may *see* a list of incidents is a
queryset method (``Incident.objects.visible_to``); the rules below answer the per-object
questions: may this user edit, submit, publish this incident?
"""

from __future__ import annotations

import rules

EDITOR = "editor"
REVIEWER = "reviewer"
RESEARCHER = "researcher"
STAFF_ROLES = (EDITOR, REVIEWER, RESEARCHER)


@rules.predicate
def is_editor(user) -> bool:
    return _has_role(user, EDITOR)


@rules.predicate
def is_reviewer(user) -> bool:
    return _has_role(user, REVIEWER)


@rules.predicate
def is_staff_member(user) -> bool:
    return any(_has_role(user, role) for role in STAFF_ROLES)


@rules.predicate
def is_draft(user, incident) -> bool:
    return incident is not None and incident.publication_state == incident.State.DRAFT


@rules.predicate
def is_not_withdrawn(user, incident) -> bool:
    return incident is not None and incident.publication_state != incident.State.WITHDRAWN


@rules.predicate
def is_in_review(user, incident) -> bool:
    return incident is not None and incident.publication_state == incident.State.IN_REVIEW


@rules.predicate
def is_withdrawable(user, incident) -> bool:
    return incident is not None and incident.publication_state == incident.State.PUBLISHED


@rules.predicate
def is_withdrawn(user, incident) -> bool:
    return incident is not None and incident.publication_state == incident.State.WITHDRAWN


def _has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # One query per request at most: the group names are cached on the user object.
    if not hasattr(user, "_casefile_roles"):
        user._casefile_roles = frozenset(user.groups.values_list("name", flat=True))
    return role in user._casefile_roles


def can_read_unpublished(user) -> bool:
    return is_staff_member(user)


# Editors edit drafts. Reviewers may also edit a case in review or already published
# (a typo, a dated update) since they are the ones who vouch for what is public.
rules.add_perm("incidents.view_staff_area", is_staff_member)
rules.add_perm("incidents.add_incident", is_editor | is_reviewer)
rules.add_perm(
    "incidents.change_incident", (is_editor & is_draft) | (is_reviewer & is_not_withdrawn)
)
rules.add_perm("incidents.submit_incident", (is_editor | is_reviewer) & is_draft)
rules.add_perm("incidents.publish_incident", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("incidents.send_back_incident", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("incidents.withdraw_incident", is_reviewer & is_withdrawable)
# The audit trail (audit.views): reviewers vouch for what is public and oversee the staff.
rules.add_perm("audit.view_trail", is_reviewer)
rules.add_perm("organizations.add_organization", is_editor | is_reviewer)
rules.add_perm("organizations.change_organization", is_editor | is_reviewer)
rules.add_perm("organizations.add_perpetratorgroup", is_editor | is_reviewer)
rules.add_perm("organizations.change_perpetratorgroup", is_editor | is_reviewer)
