"""Who may do what with an appeal: the incident roles, applied to the appeal's own state."""

from __future__ import annotations

import rules

from casefile.roles import is_editor, is_reviewer, is_staff_member


def _state_is(*states: str):
    @rules.predicate
    def predicate(user, appeal) -> bool:
        return appeal is not None and appeal.state in states

    return predicate


is_draft = _state_is("draft")
is_in_review = _state_is("in_review")
is_published = _state_is("published")
is_withdrawn = _state_is("withdrawn")

rules.add_perm("appeals.view_appeal", is_staff_member)
rules.add_perm("appeals.add_appeal", is_editor | is_reviewer)
rules.add_perm(
    "appeals.change_appeal",
    (is_editor & is_draft) | (is_reviewer & (is_draft | is_in_review | is_published)),
)
rules.add_perm("appeals.submit_appeal", (is_editor | is_reviewer) & is_draft)
rules.add_perm("appeals.publish_appeal", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("appeals.send_back_appeal", is_reviewer & (is_in_review | is_withdrawn))
rules.add_perm("appeals.withdraw_appeal", is_reviewer & is_published)
rules.add_perm("appeals.render_appeal", (is_editor | is_reviewer) & ~is_withdrawn)
rules.add_perm("appeals.change_addressee", is_editor | is_reviewer)
