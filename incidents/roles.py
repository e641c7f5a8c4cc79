"""What each staff role may do with an incident: may this user edit, submit, publish it?

The roles themselves are in ``casefile.roles``; who may *see* a list of incidents is a
queryset method (``Incident.objects.visible_to``).
"""

from __future__ import annotations

import rules

from casefile.roles import is_editor, is_reviewer


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


# Editors edit drafts. Reviewers may also edit a case in review or already published
# (a typo, a dated update) since they are the ones who vouch for what is public.
rules.add_perm("incidents.add_incident", is_editor | is_reviewer)
rules.add_perm(
    "incidents.change_incident", (is_editor & is_draft) | (is_reviewer & is_not_withdrawn)
)
rules.add_perm("incidents.submit_incident", (is_editor | is_reviewer) & is_draft)
rules.add_perm("incidents.publish_incident", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("incidents.send_back_incident", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("incidents.withdraw_incident", is_reviewer & is_withdrawable)
