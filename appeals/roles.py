"""What each staff role may do with an appeal, beyond the workflow steps.

The roles are in ``casefile.roles``; submit, publish, send back and withdraw are the
shared steps of ``casefile.workflow``, applied to the appeal's own state.
"""

from __future__ import annotations

import rules

from casefile.publication import PublicationState
from casefile.roles import is_editor, is_reviewer, is_staff_member
from casefile.workflow import MAY_EDIT, in_state

rules.add_perm("appeals.view_appeal", is_staff_member)
rules.add_perm("appeals.add_appeal", is_editor | is_reviewer)
rules.add_perm("appeals.change_appeal", MAY_EDIT)
rules.add_perm(
    "appeals.render_appeal", (is_editor | is_reviewer) & ~in_state(PublicationState.WITHDRAWN)
)
rules.add_perm("appeals.change_addressee", is_editor | is_reviewer)
