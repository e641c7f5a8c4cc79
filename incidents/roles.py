"""What each staff role may do with an incident: may this user add or edit it?

The roles are in ``casefile.roles``; the workflow steps (submit, publish, send back,
withdraw) and their permissions are in ``casefile.workflow``; who may *see* a list of
incidents is a queryset method (``Incident.objects.visible_to``).
"""

from __future__ import annotations

import rules

from casefile.roles import is_editor, is_reviewer
from casefile.workflow import MAY_EDIT

rules.add_perm("incidents.add_incident", is_editor | is_reviewer)
rules.add_perm("incidents.change_incident", MAY_EDIT)
