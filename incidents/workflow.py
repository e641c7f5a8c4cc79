"""What an incident adds to the shared publication workflow (``casefile.workflow``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from casefile import workflow

from .facets import facet_key, refresh_facet_counts
from .models import Incident, PublicationEvent
from .signals import publication_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class IncidentWorkflow(workflow.Workflow):
    model = Incident
    event_model = PublicationEvent
    event_owner = "incident"

    def after_save(
        self, incident: Incident, *, actor: AbstractBaseUser, step: workflow.Step
    ) -> None:
        # Facet counts are of published cases: every step changes them or may.
        refresh_facet_counts([facet_key(incident)])
        # Appeals, a floor up, move their public files when a case's publication changes.
        transaction.on_commit(
            lambda: publication_changed.send(sender=Incident, incident=incident), robust=True
        )


workflow.register(IncidentWorkflow())
