"""What each staff role may do with organizations and perpetrator groups."""

from __future__ import annotations

import rules

from casefile.roles import is_editor, is_reviewer

rules.add_perm("organizations.add_organization", is_editor | is_reviewer)
rules.add_perm("organizations.change_organization", is_editor | is_reviewer)
rules.add_perm("organizations.add_perpetratorgroup", is_editor | is_reviewer)
rules.add_perm("organizations.change_perpetratorgroup", is_editor | is_reviewer)
