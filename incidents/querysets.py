"""The publication gate.

``IncidentQuerySet.published`` is the one place that decides what the public may see.
Every public page, API endpoint, feed, sitemap and PDF starts from it (or from
``visible_to(user)``, which falls back to it for anyone who is not staff).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class IncidentQuerySet(models.QuerySet):
    def published(self) -> IncidentQuerySet:
        # A publication date in the future is an embargo, not a publication.
        return self.filter(
            publication_state=self.model.State.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=timezone.now(),
        )

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> IncidentQuerySet:
        from .roles import can_read_unpublished

        return self.all() if can_read_unpublished(user) else self.published()

    def with_listing_data(self) -> IncidentQuerySet:
        return self.select_related("status").prefetch_related("organizations")

    def in_state(self, state: str) -> IncidentQuerySet:
        return self.filter(publication_state=state)


class ChildOfIncidentQuerySet(models.QuerySet):
    """Sources, figures and updates are public exactly when their incident is."""

    def published(self) -> ChildOfIncidentQuerySet:
        from .models import Incident

        return self.filter(incident__in=Incident.objects.published())
